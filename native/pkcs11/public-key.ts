import { createHash, createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { CKA, CKK } from './constants';
import type { Cryptoki, Handle } from './cryptoki';
import { readAttributes } from './attributes';
import { LayerErrorCode, Pkcs11LayerError } from './errors';

/**
 * Public keys out of the token as SubjectPublicKeyInfo (DER and PEM) with the SHA-256 fingerprint of the DER — the
 * fingerprint custodians compare aloud. Node's crypto does the ASN.1 from JWK fields, so there is no hand-rolled DER.
 */

export interface ExportedPublicKey {
  readonly spkiDer: Uint8Array;
  readonly spkiPem: string;
  /** SHA-256 of spkiDer, lowercase hex. */
  readonly sha256: string;
  readonly algorithm: 'RSA' | 'EC' | 'Ed25519';
  readonly curve?: string;
  readonly bits?: number;
}

const CURVE_BY_PARAMS: Record<string, { jwk: string; size: number }> = {
  '06082a8648ce3d030107': { jwk: 'P-256', size: 32 },
  '06052b81040022': { jwk: 'P-384', size: 48 },
  '06052b81040023': { jwk: 'P-521', size: 66 },
};
const ED25519_PARAMS = new Set(['06032b6570', '130c656477617264733235353139']); // OID, or PrintableString "edwards25519"

const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

/** CKA_EC_POINT is a DER OCTET STRING by the standard; a few modules return the bare point. Accept both. */
export function unwrapEcPoint(value: Uint8Array, rawLength: number): Uint8Array {
  if (value.length === rawLength) return value;
  if (value[0] !== 0x04) throw new Pkcs11LayerError('PublicKeyInvalid', 'The token returned an EC point in an unknown encoding.');
  let offset = 2;
  let length = value[1];
  if (length & 0x80) {
    const lengthBytes = length & 0x7f;
    length = 0;
    for (let i = 0; i < lengthBytes; i++) length = length * 256 + value[2 + i];
    offset = 2 + lengthBytes;
  }
  const inner = value.subarray(offset, offset + length);
  if (inner.length !== rawLength) throw new Pkcs11LayerError('PublicKeyInvalid', 'The token returned an EC point of the wrong length.');
  return inner;
}

function fromKeyObject(key: KeyObject, algorithm: ExportedPublicKey['algorithm'], extra: { curve?: string; bits?: number }): ExportedPublicKey {
  const spkiDer = new Uint8Array(key.export({ type: 'spki', format: 'der' }));
  return {
    spkiDer,
    spkiPem: key.export({ type: 'spki', format: 'pem' }).toString(),
    sha256: createHash('sha256').update(spkiDer).digest('hex'),
    algorithm,
    ...extra,
  };
}

/** Build the SPKI from a public (or RSA private) key object's attributes. */
export function exportPublicKey(cryptoki: Cryptoki, session: Handle, object: Handle): ExportedPublicKey {
  const { CKA_KEY_TYPE: keyType } = readAttributes(cryptoki, session, object, [CKA.CKA_KEY_TYPE]);
  if (keyType === CKK.CKK_RSA) {
    const a = readAttributes(cryptoki, session, object, [CKA.CKA_MODULUS, CKA.CKA_PUBLIC_EXPONENT]);
    const n = a.CKA_MODULUS as Uint8Array;
    const jwk: JsonWebKey = { kty: 'RSA', n: b64url(n), e: b64url(a.CKA_PUBLIC_EXPONENT as Uint8Array) };
    const key = createPublicKey({ key: jwk, format: 'jwk' });
    return fromKeyObject(key, 'RSA', { bits: key.asymmetricKeyDetails?.modulusLength });
  }
  if (keyType === CKK.CKK_EC || keyType === CKK.CKK_EC_EDWARDS) {
    const a = readAttributes(cryptoki, session, object, [CKA.CKA_EC_PARAMS, CKA.CKA_EC_POINT]);
    const params = Buffer.from(a.CKA_EC_PARAMS as Uint8Array).toString('hex');
    if (!a.CKA_EC_POINT) {
      throw new Pkcs11LayerError(LayerErrorCode.InvalidParams, 'This object has no public point; export the public key object instead.');
    }
    const pointAttr = a.CKA_EC_POINT as Uint8Array;
    if (ED25519_PARAMS.has(params)) {
      const x = unwrapEcPoint(pointAttr, 32);
      return fromKeyObject(createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: b64url(x) }, format: 'jwk' }), 'Ed25519', { curve: 'Ed25519' });
    }
    const curve = CURVE_BY_PARAMS[params];
    if (!curve) throw new Pkcs11LayerError(LayerErrorCode.MechanismUnsupported, 'This key uses a curve this program does not export.');
    const point = unwrapEcPoint(pointAttr, 2 * curve.size + 1);
    if (point[0] !== 0x04) throw new Pkcs11LayerError('PublicKeyInvalid', 'The token returned a compressed EC point, which this program does not export.');
    const x = point.subarray(1, 1 + curve.size);
    const y = point.subarray(1 + curve.size);
    return fromKeyObject(createPublicKey({ key: { kty: 'EC', crv: curve.jwk, x: b64url(x), y: b64url(y) }, format: 'jwk' }), 'EC', { curve: curve.jwk });
  }
  throw new Pkcs11LayerError(LayerErrorCode.InvalidParams, 'Only RSA, EC and Ed25519 keys have a public key to export.');
}

/** The public-key attributes to recreate a public key object from an SPKI (used when restoring a backup). */
export function publicKeyAttributesFromSpki(spkiDer: Uint8Array): Array<readonly [CKA, Uint8Array | number]> {
  const key = createPublicKey({ key: Buffer.from(spkiDer), format: 'der', type: 'spki' });
  const jwk = key.export({ format: 'jwk' });
  const fromB64 = (s: string | undefined) => new Uint8Array(Buffer.from(s ?? '', 'base64url'));
  const octetString = (bytes: Uint8Array) => {
    // DER OCTET STRING: our points are always shorter than 128 bytes except P-521 (133), which needs 0x81.
    const header = bytes.length < 0x80 ? [0x04, bytes.length] : [0x04, 0x81, bytes.length];
    return new Uint8Array([...header, ...bytes]);
  };
  if (jwk.kty === 'RSA') {
    return [
      [CKA.CKA_KEY_TYPE, CKK.CKK_RSA],
      [CKA.CKA_MODULUS, fromB64(jwk.n)],
      [CKA.CKA_PUBLIC_EXPONENT, fromB64(jwk.e)],
    ];
  }
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') {
    return [
      [CKA.CKA_KEY_TYPE, CKK.CKK_EC_EDWARDS],
      [CKA.CKA_EC_PARAMS, Buffer.from('06032b6570', 'hex')],
      [CKA.CKA_EC_POINT, octetString(fromB64(jwk.x))],
    ];
  }
  if (jwk.kty === 'EC') {
    const entry = Object.entries(CURVE_BY_PARAMS).find(([, c]) => c.jwk === jwk.crv);
    if (!entry) throw new Pkcs11LayerError(LayerErrorCode.InvalidParams, `Curve ${jwk.crv} is not supported.`);
    const point = new Uint8Array([0x04, ...fromB64(jwk.x), ...fromB64(jwk.y)]);
    return [
      [CKA.CKA_KEY_TYPE, CKK.CKK_EC],
      [CKA.CKA_EC_PARAMS, new Uint8Array(Buffer.from(entry[0], 'hex'))],
      [CKA.CKA_EC_POINT, octetString(point)],
    ];
  }
  throw new Pkcs11LayerError(LayerErrorCode.InvalidParams, 'Unsupported public key type in the backup.');
}

export function fingerprintOfSpki(spkiDer: Uint8Array): string {
  return createHash('sha256').update(spkiDer).digest('hex');
}
