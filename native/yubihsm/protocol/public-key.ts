/**
 * GET_PUBLIC_KEY answers with the bare key (EC X‖Y, RSA modulus, Ed25519 32 bytes); certificates, fingerprints and
 * every other tool want a SubjectPublicKeyInfo. Built here through node:crypto's JWK import, so the DER is Node's.
 */
import { createPublicKey, type JsonWebKey } from 'node:crypto';
import { ALGORITHM } from './defs';
import { YubiHsmError } from './errors';

const EC_CURVES: Partial<Record<ALGORITHM, { crv: string; bytes: number }>> = {
  [ALGORITHM.EC_P256]: { crv: 'P-256', bytes: 32 },
  [ALGORITHM.EC_P384]: { crv: 'P-384', bytes: 48 },
  [ALGORITHM.EC_P521]: { crv: 'P-521', bytes: 66 },
  [ALGORITHM.EC_K256]: { crv: 'secp256k1', bytes: 32 },
};
const RSA_BYTES: Partial<Record<ALGORITHM, number>> = { [ALGORITHM.RSA_2048]: 256, [ALGORITHM.RSA_3072]: 384, [ALGORITHM.RSA_4096]: 512 };

const b64u = (b: Uint8Array) => Buffer.from(b).toString('base64url');

function jwkOf(algorithm: ALGORITHM, key: Uint8Array): JsonWebKey | undefined {
  const ec = EC_CURVES[algorithm];
  if (ec) return key.length === 2 * ec.bytes ? { kty: 'EC', crv: ec.crv, x: b64u(key.subarray(0, ec.bytes)), y: b64u(key.subarray(ec.bytes)) } : undefined;
  const rsa = RSA_BYTES[algorithm];
  if (rsa) return key.length === rsa ? { kty: 'RSA', n: b64u(key), e: 'AQAB' } : undefined;
  if (algorithm === ALGORITHM.EC_ED25519) return key.length === 32 ? { kty: 'OKP', crv: 'Ed25519', x: b64u(key) } : undefined;
  return undefined;
}

/** DER SubjectPublicKeyInfo of a key as GET_PUBLIC_KEY returns it. RSA keys on a YubiHSM always have e = 65537. */
export function spkiFromPublicKey(algorithm: ALGORITHM, key: Uint8Array): Uint8Array {
  const jwk = jwkOf(algorithm, key);
  if (!jwk) throw new YubiHsmError('INVALID_RESPONSE', `The YubiHSM returned a public key that does not fit algorithm ${ALGORITHM[algorithm] ?? algorithm}.`);
  return new Uint8Array(createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'der' }));
}
