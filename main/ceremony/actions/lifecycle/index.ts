import type { ActionRegistry } from '../registry';
import { checkBackup, destroyKeys, identifyKeys } from './destroy';
import { inventory } from './inventory';
import { retireKey } from './retire';

/** Key lifecycle actions: rotation's retirement, witnessed destruction, inventory (templates key-rotation, key-destruction, inventory). */
export function registerLifecycleActions(registry: ActionRegistry): void {
  registry
    .register('lifecycle.identify-keys', identifyKeys)
    .register('lifecycle.check-backup', checkBackup)
    .register('lifecycle.destroy-keys', destroyKeys)
    .register('lifecycle.retire-key', retireKey)
    .register('lifecycle.inventory', inventory);
}

export { retiredLabel } from './retire';
