import type { ActionRegistry } from '../registry';
import { copyOutputs } from './copy';

/** Evidence of the ceremony leaving the room: outputs.copy (copy to removable media, read back, hashes shown). */
export function registerEvidenceActions(registry: ActionRegistry): void {
  registry.register('outputs.copy', copyOutputs);
}

export { copyOutputs, type CopiedFile } from './copy';
