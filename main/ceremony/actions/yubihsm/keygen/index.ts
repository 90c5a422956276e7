/*
 * Native key generation on a YubiHSM 2 (the yubihsm-key-generation template), the same steps and outputs as the
 * PKCS#11 key-generation ceremony, through Custodian's own YubiHSM protocol client (no vendor module):
 *
 * yubihsm.device-status     { device? } — serial, firmware, log usage (plain DEVICE_INFO, no session)
 * yubihsm.keygen-preflight  { session, …request } — algorithm offered, session rights, label and ID free; result.plan
 * yubihsm.generate-key      { session, …request } — GENERATE_ASYMMETRIC_KEY, read back; result.keyId, publicKeySha256
 * yubihsm.read-back-key     { session, keyId, expectedPublicKeySha256, …request } — policy check, public key + fingerprint
 * yubihsm.attest-key        { session, keyId, expectedPublicKeySha256, attestationRoots?, …request } — verified attestation
 * yubihsm.certify           { session, keyId, expectedPublicKeySha256, …request } — CSR / root signed on the device
 * yubihsm.inventory         { session, attestationRoots? } — every object, each asymmetric key fingerprinted and attested
 *
 * …request = algorithm, policy, label, keyId, domains, subject, validityYears, csr, selfSigned (keygen's own names).
 */
import type { ActionRegistry } from '../../registry';
import { attest } from './attest';
import { certify } from './certify';
import { deviceStatus, generate, preflight } from './generate';
import { inventory } from './inventory';
import { readBack } from './read-back';

export { YUBIHSM_KEY_ALGORITHMS, YUBIHSM_LABEL_BYTES, yubihsmKeyRequestOf, yubihsmKeyRequestProblems, type YubiHsmKeyRequest } from './request';
export { attestedClaims, type AttestedClaims } from './attestation-claims';

export function registerYubiHsmKeygenActions(registry: ActionRegistry): void {
  registry
    .register('yubihsm.device-status', deviceStatus)
    .register('yubihsm.keygen-preflight', preflight)
    .register('yubihsm.generate-key', generate)
    .register('yubihsm.read-back-key', readBack)
    .register('yubihsm.attest-key', attest)
    .register('yubihsm.certify', certify)
    .register('yubihsm.inventory', inventory);
}
