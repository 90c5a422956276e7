import { registerDemoActions } from './demo';
import { registerKeygenActions } from './pkcs11/keygen';
import { registerBackupActions } from './backup';
import { registerTokenActions } from './pkcs11';
import { registerPinActions } from './pin';
import { registerYubiHsmActions } from './yubihsm';
import { registerCaActions } from './ca';
import { registerLifecycleActions } from './lifecycle';
import { registerEvidenceActions } from './evidence';
import { ActionRegistry, type ActionDefinition } from './registry';

export { ActionRegistry } from './registry';
export { SecretVault, vaultOf } from './vault';
export { counterSentence, Pkcs11SessionStore } from './pkcs11';
export { PREFLIGHT_PARAMETER_CHECKS } from './preflight-checks';
export type { ActionContext, ActionDefinition, ActionInputs, ActionResult, EffectCheck, JsonObject, ParameterProblem } from './registry';

/** The registry the engine uses unless given another: the built-in demo actions, plus whatever hosts register. */
export const defaultActionRegistry = new ActionRegistry();
registerDemoActions(defaultActionRegistry);
registerTokenActions(defaultActionRegistry);
registerKeygenActions(defaultActionRegistry); // keygen.* (the key-generation ceremony)
registerPinActions(defaultActionRegistry); // pin.* (token initialisation and PIN ceremonies)
registerBackupActions(defaultActionRegistry); // backup.*, restore.* and the generic shares.*
registerYubiHsmActions(defaultActionRegistry); // yubihsm.* (YubiHSM setup and auth-key rotation)
registerCaActions(defaultActionRegistry); // ca.* (offline root: sign a subordinate CA, sign a CRL)
registerLifecycleActions(defaultActionRegistry); // lifecycle.* (key rotation, destruction, inventory)
registerEvidenceActions(defaultActionRegistry); // outputs.copy (outputs to removable media, read back, hashes)

/** Registers an action in the default registry (real ceremonies: pkcs11.generate-key-pair, shares.split-kek…). */
export function registerAction(name: string, definition: ActionDefinition): void {
  defaultActionRegistry.register(name, definition);
}
