import './reflect-metadata';
import { webcrypto } from 'node:crypto';
import { describeAlgorithm, X509Error } from './algorithms';

/**
 * @peculiar/x509 asks a WebCrypto `Crypto` to sign the to-be-signed bytes. This adapter answers every call with
 * Node's WebCrypto except `sign`, which it hands to the HSM signer. The "signing key" it is given is the public key
 * imported from the SPKI: it only tells @peculiar/x509 which AlgorithmIdentifier to write.
 *
 * The signer returns what PKCS#11 returns: RSA signatures as they are, ECDSA as raw r||s — the same shape WebCrypto
 * produces, so @peculiar/x509's signature formatter DER-encodes it (SEQUENCE { r INTEGER, s INTEGER }) for X.509.
 */

export type HsmSigner = (data: Uint8Array) => Promise<Uint8Array>;

export interface HsmSigningKey {
  readonly crypto: Crypto;
  readonly publicKey: CryptoKey;
  readonly signingAlgorithm: Algorithm;
}

const CURVE_BY_OID: Record<string, string> = { '2a8648ce3d030107': 'P-256', '2b81040022': 'P-384', '2b81040023': 'P-521' };

/** The named curve of an EC SPKI (its AlgorithmIdentifier parameters), by looking for the known OIDs. */
function curveOf(spki: Uint8Array): string | undefined {
  const hex = Buffer.from(spki.subarray(0, 40)).toString('hex');
  return Object.entries(CURVE_BY_OID).find(([oid]) => hex.includes(oid))?.[1];
}

export async function hsmSigningKey(spki: Uint8Array, algorithm: string, sign: HsmSigner): Promise<HsmSigningKey> {
  const description = describeAlgorithm(algorithm);
  const isEc = algorithm.startsWith('ECDSA');
  const curve = isEc ? curveOf(spki) : undefined;
  if (isEc && !curve) throw new X509Error('UnsupportedKey', 'The public key is not on P-256, P-384 or P-521.');
  let publicKey: CryptoKey;
  try {
    publicKey = await webcrypto.subtle.importKey('spki', spki, description.importParams(curve), true, ['verify']);
  } catch {
    throw new X509Error('KeyAlgorithmMismatch', `The public key does not fit the signature algorithm ${algorithm}.`);
  }
  const subtle = webcrypto.subtle;
  const hsmSubtle = new Proxy(subtle, {
    get(target, property) {
      if (property === 'sign') {
        return async (_algorithm: unknown, _key: unknown, data: BufferSource) => {
          const bytes =
            data instanceof ArrayBuffer
              ? new Uint8Array(data)
              : new Uint8Array((data as ArrayBufferView).buffer, (data as ArrayBufferView).byteOffset, (data as ArrayBufferView).byteLength);
          const signature = await sign(bytes);
          return signature.slice().buffer;
        };
      }
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const crypto = {
    subtle: hsmSubtle,
    getRandomValues: webcrypto.getRandomValues.bind(webcrypto),
    randomUUID: webcrypto.randomUUID.bind(webcrypto),
  } as unknown as Crypto;
  return { crypto, publicKey, signingAlgorithm: description.signing };
}
