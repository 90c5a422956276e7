import type { ActionRegistry } from '../registry';
import { registerShareActions } from './shares';
import { backupActions } from './backup-actions';
import { restoreActions } from './restore-actions';

export { BackupError, BackupErrorCode } from '../../../errors';
export { whyNotBackupable } from './backup-actions';
export {
  BUNDLE_FORMAT,
  BUNDLE_FORMAT_VERSION,
  MANIFEST_FILE,
  MANIFEST_MAC_FILE,
  ManifestSchema,
  readBundle,
  type Manifest,
  type ManifestObject,
} from './bundle';

/** The backup and restore actions (backup.*, restore.*) and the generic share actions (shares.*) they use. */
export function registerBackupActions(registry: ActionRegistry): void {
  registerShareActions(registry);
  for (const [name, action] of Object.entries({ ...backupActions, ...restoreActions })) registry.register(name, action);
}
