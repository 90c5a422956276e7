import { createHash } from 'node:crypto';
import { makeCsr, makeRoot, summaryOf } from '../../pkcs11/keygen';
import type { ActionDefinition, JsonObject } from '../../registry';
import { integerParam, yubihsmClient } from '../device';
import { onKeygenSession } from './session';
import { checkedPublicKey } from './read-back';
import { yubihsmKeyRequestOf } from './request';

/** The hash each certificate signature uses: the device signs the digest (SIGN_PKCS1 writes the DigestInfo). */
const HASH_OF: Record<string, string> = { 'RSA-PKCS1-SHA256': 'sha256', 'ECDSA-SHA256': 'sha256', 'ECDSA-SHA384': 'sha384', 'ECDSA-SHA512': 'sha512' };

/**
 * yubihsm.certify — the CSR and/or the self-signed root for the new key, made by main/x509 exactly as keygen.certify
 * makes them on PKCS#11, with a signer that hashes the to-be-signed bytes here and has the YubiHSM sign the digest
 * (SIGN_ECDSA or SIGN_PKCS1). The root's serial comes from the device's random generator. Each document is verified
 * against the key read back before it is written, exclusively, to the outputs.
 * params { session, keyId, expectedPublicKeySha256, …the request }
 */
export const certify: ActionDefinition = {
  description: 'Makes the CSR and/or the self-signed root certificate, signed on the YubiHSM, and verifies them.',
  async run(ctx, params, inputs) {
    const request = yubihsmKeyRequestOf(params);
    const base = request.base;
    if (!base.csr && !base.selfSigned) return { publicResult: { made: 'nothing', summary: 'No CSR and no certificate were asked for; nothing to sign.' } };
    const keyId = integerParam(params, 'keyId');
    const client = yubihsmClient(ctx);
    const hash = HASH_OF[base.spec.certificateSignature!];
    const scheme = request.scheme === 'pkcs1' ? 'pkcs1' : 'ecdsa';
    return onKeygenSession(ctx, params, inputs, async (handle) => {
      const spki = await checkedPublicKey(ctx, handle, keyId, params);
      const sign = async (data: Uint8Array) => client.sign(handle.sessionKey, keyId, scheme, new Uint8Array(createHash(hash).update(data).digest()));
      const csr = base.csr ? await makeCsr(ctx, base, spki, sign) : null;
      const root = base.selfSigned ? await makeRoot(ctx, base, spki, sign, () => client.random(handle.sessionKey, 16)) : null;
      const publicResult: JsonObject = {
        made: [csr ? 'csr' : '', root ? 'root certificate' : ''].filter(Boolean).join(' and '),
        ...(csr ? { csr } : {}),
        ...(root ? { certificate: root } : {}),
        summary: summaryOf(csr, root).replace(/inside the HSM/g, 'on the YubiHSM'),
      };
      return { publicResult };
    });
  },
};
