/** Asymmetric keys: GENERATE_ASYMMETRIC_KEY, GET_PUBLIC_KEY and the SIGN_* commands. */
import { ByteReader, concatBytes, readWhole, u16, u8 } from '../bytes';
import { ALGORITHM, OBJECT } from '../defs';
import { ObjectHeader, encodeObjectHeader, readObjectHeader } from './objects';

export function encodeGenerateAsymmetric(header: ObjectHeader): Uint8Array {
  return encodeObjectHeader(header);
}

export function decodeGenerateAsymmetric(payload: Uint8Array): ObjectHeader {
  const r = new ByteReader(payload);
  const h = readObjectHeader(r);
  r.end();
  return h;
}

/** GET_PUBLIC_KEY: KeyID(2) [| Type(1) on FW ≥ 2.4 for wrap keys]. */
export function encodeGetPublicKey(keyId: number, type?: OBJECT): Uint8Array {
  return type === undefined ? u16(keyId) : concatBytes(u16(keyId), u8(type));
}

export function decodeGetPublicKey(payload: Uint8Array): { keyId: number; type: OBJECT } {
  return readWhole(payload, (r) => ({ keyId: r.u16(), type: r.remaining > 0 ? (r.u8() as OBJECT) : OBJECT.ASYMMETRIC_KEY }));
}

export interface PublicKeyResponse {
  algorithm: ALGORITHM;
  /** EC: X‖Y; RSA: modulus n; Ed25519: 32 bytes. */
  key: Uint8Array;
}

export function encodePublicKeyResponse(p: PublicKeyResponse): Uint8Array {
  return concatBytes(u8(p.algorithm), p.key);
}

export function decodePublicKeyResponse(payload: Uint8Array): PublicKeyResponse {
  const r = new ByteReader(payload);
  return { algorithm: r.u8(), key: r.rest().slice() };
}

/** SIGN_ECDSA / SIGN_PKCS1 / SIGN_EDDSA: KeyID(2) | digest or message. */
export function encodeSignRequest(keyId: number, data: Uint8Array): Uint8Array {
  return concatBytes(u16(keyId), data);
}

export function decodeSignRequest(payload: Uint8Array): { keyId: number; data: Uint8Array } {
  const r = new ByteReader(payload);
  return { keyId: r.u16(), data: r.rest() };
}

/** SIGN_PSS: KeyID(2) | MGF1 algorithm(1) | SaltLen(2) | digest. */
export function encodeSignPss(keyId: number, mgf1: ALGORITHM, saltLength: number, digest: Uint8Array): Uint8Array {
  return concatBytes(u16(keyId), u8(mgf1), u16(saltLength), digest);
}

export function decodeSignPss(payload: Uint8Array): { keyId: number; mgf1: ALGORITHM; saltLength: number; digest: Uint8Array } {
  const r = new ByteReader(payload);
  return { keyId: r.u16(), mgf1: r.u8(), saltLength: r.u16(), digest: r.rest() };
}

/** Byte length of the curve order for the EC key algorithms; used to fit a digest to the curve. */
const EC_CURVE_BYTES: Partial<Record<ALGORITHM, number>> = {
  [ALGORITHM.EC_P224]: 28,
  [ALGORITHM.EC_P256]: 32,
  [ALGORITHM.EC_K256]: 32,
  [ALGORITHM.EC_BP256]: 32,
  [ALGORITHM.EC_P384]: 48,
  [ALGORITHM.EC_BP384]: 48,
  [ALGORITHM.EC_BP512]: 64,
  [ALGORITHM.EC_P521]: 66,
};

export function ecCurveBytes(algorithm: ALGORITHM): number | undefined {
  return EC_CURVE_BYTES[algorithm];
}

/** The client left-pads or truncates a digest to the curve size, as python-yubihsm does. */
export function fitDigestToCurve(digest: Uint8Array, curveBytes: number): Uint8Array {
  if (digest.length >= curveBytes) return digest.slice(0, curveBytes);
  const out = new Uint8Array(curveBytes);
  out.set(digest, curveBytes - digest.length);
  return out;
}

const RSA_MODULUS_BYTES: Partial<Record<ALGORITHM, number>> = { [ALGORITHM.RSA_2048]: 256, [ALGORITHM.RSA_3072]: 384, [ALGORITHM.RSA_4096]: 512 };

export function rsaModulusBytes(algorithm: ALGORITHM): number | undefined {
  return RSA_MODULUS_BYTES[algorithm];
}
