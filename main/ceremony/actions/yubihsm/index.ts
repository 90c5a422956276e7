/*
 * YubiHSM 2 ceremony actions (setup, auth-key rotation). Every device operation goes through the device host
 * (main/devices/yubihsm-client.ts → native/yubihsm/ceremony-handlers.ts); a session is kept by name in the vault and
 * closed when the ceremony ends. Passwords are secret inputs of the one step that uses them; the wrap key lives only in
 * the vault (split by shares.split). Param names avoid the journal's secret words.
 *
 * yubihsm.inspect-device   { device?, as?, allowNonFactory? } — factory key session, device facts, factory check
 * yubihsm.open-session     { device?, keyId, as } input password — a wrong password is the device's AUTHENTICATION_FAILED
 * yubihsm.close-session    { session }
 * yubihsm.list-objects     { session }
 * yubihsm.enable-audit     { session, forceAudit? } — command audit on; result.startAnchor
 * yubihsm.make-wrap-secret { session, vaultKey } — workstation random XOR device random, into the vault
 * yubihsm.put-wrap-key     { session, vaultKey, keyId, domains, label? }
 * yubihsm.put-auth-key     { session, role | copyOf, keyId, domains?, label? } inputs password, passwordAgain; proven
 * yubihsm.export-wrapped   { session, wrapKeyId, keyIds, shareSetId?, wrapKeyCheckValue? } — files + manifest
 * yubihsm.delete-auth-key  { session, keyId, replacementKeyId?, replacementProven? } — never locks out
 * yubihsm.prove-refused    { device?, keyId, mustBeGone?, withFactoryDefault? } input password?
 * yubihsm.change-password  { device?, keyId, session? } inputs currentPassword, newPassword, newPasswordAgain
 * yubihsm.verify-audit-log { session, anchor? "<n>:<digest>", markRead? } — result.newAnchor
 * yubihsm.read-backups     { backups, setupJournal?, shareFormat, custodians, threshold } — files, manifest, journal checked
 * yubihsm.accept-yubico-share   { collectorVaultKey, threshold, tool? } input share — one share in Yubico's format
 * yubihsm.rebuild-yubico-wrap-key { collectorVaultKey, into, backups } — the record, proven to open every backup
 * yubihsm.put-restored-wrap-key { session, vaultKey, backups, shareFormat, wrapKey? } — as recorded at setup
 * yubihsm.import-backups   { session, wrapKeyId, backups, contents, fingerprints? } — each proven the one backed up
 * yubihsm.prove-opens      { device?, keyId } input password — a restored auth key opens a session
 * native key generation (yubihsm.device-status, keygen-preflight, generate-key, read-back-key, attest-key, certify): keygen/
 */
import type { ActionRegistry } from '../registry';
import { enableAudit, verifyAuditLog } from './audit-actions';
import { changePassword, deleteAuthKey, proveRefused, putAuthKey } from './key-actions';
import { closeSession, inspectDevice, listObjects, openSession } from './session-actions';
import { exportWrapped, makeWrapSecret, putWrapKey } from './wrap-actions';
import { registerYubiHsmKeygenActions } from './keygen';
import { readBackups } from './restore-read';
import { importBackups, proveOpens, putRestoredWrapKey } from './restore-actions';
import { acceptYubicoShare, rebuildYubicoWrapKey } from './yubico-shares';

export { YubiHsmCeremonyError, YubiHsmCeremonyErrorCode } from '../../../errors';
export { parseDevice } from './device';
export { parseAnchor } from './audit-actions';
export { ROLES, WRAP_KEY_DESIGN, MANAGES_AUTH_KEYS, roleMasks, type RoleName, type RoleDesign } from './roles';
export { capabilityList, capabilityMask, parseDomains } from './capabilities';
export { MIN_PASSWORD_LENGTH } from './passwords';
export { YUBIHSM_KEY_ALGORITHMS, YUBIHSM_LABEL_BYTES, attestedClaims, yubihsmKeyRequestOf } from './keygen';

export function registerYubiHsmActions(registry: ActionRegistry): void {
  registry
    .register('yubihsm.inspect-device', inspectDevice)
    .register('yubihsm.open-session', openSession)
    .register('yubihsm.close-session', closeSession)
    .register('yubihsm.list-objects', listObjects)
    .register('yubihsm.enable-audit', enableAudit)
    .register('yubihsm.make-wrap-secret', makeWrapSecret)
    .register('yubihsm.put-wrap-key', putWrapKey)
    .register('yubihsm.put-auth-key', putAuthKey)
    .register('yubihsm.export-wrapped', exportWrapped)
    .register('yubihsm.delete-auth-key', deleteAuthKey)
    .register('yubihsm.prove-refused', proveRefused)
    .register('yubihsm.change-password', changePassword)
    .register('yubihsm.verify-audit-log', verifyAuditLog)
    .register('yubihsm.read-backups', readBackups)
    .register('yubihsm.accept-yubico-share', acceptYubicoShare)
    .register('yubihsm.rebuild-yubico-wrap-key', rebuildYubicoWrapKey)
    .register('yubihsm.put-restored-wrap-key', putRestoredWrapKey)
    .register('yubihsm.import-backups', importBackups)
    .register('yubihsm.prove-opens', proveOpens);
  registerYubiHsmKeygenActions(registry);
}
