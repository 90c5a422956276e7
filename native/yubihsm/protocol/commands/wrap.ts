/** Wrap keys and wrapped objects (EXPORT_WRAPPED / IMPORT_WRAPPED), PROTOCOL.md §5. */
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { ByteReader, concatBytes, decodeLabel, encodeLabel, readWhole, u16, u64, u8 } from '../bytes';
import { ALGORITHM, OBJECT } from '../defs';
import { ObjectHeader, encodeObjectHeader, readObjectHeader, type ObjectInfo } from './objects';

export const WRAP_NONCE_LENGTH = 13;
export const WRAP_TAG_LENGTH = 16;

const WRAP_KEY_LENGTHS: Record<number, number> = { [ALGORITHM.AES128_CCM_WRAP]: 16, [ALGORITHM.AES192_CCM_WRAP]: 24, [ALGORITHM.AES256_CCM_WRAP]: 32 };

export function wrapKeyLength(algorithm: number): number | undefined {
  return WRAP_KEY_LENGTHS[algorithm];
}

/** PUT_WRAP_KEY: HDR | Delegated(8) | key. */
export function encodePutWrapKey(header: ObjectHeader, delegated: bigint, key: Uint8Array): Uint8Array {
  return concatBytes(encodeObjectHeader(header), u64(delegated), key);
}

export function decodePutWrapKey(payload: Uint8Array): { header: ObjectHeader; delegated: bigint; key: Uint8Array } {
  const r = new ByteReader(payload);
  return { header: readObjectHeader(r), delegated: r.u64(), key: r.rest().slice() };
}

/** GENERATE_WRAP_KEY: HDR | Delegated(8). */
export function encodeGenerateWrapKey(header: ObjectHeader, delegated: bigint): Uint8Array {
  return concatBytes(encodeObjectHeader(header), u64(delegated));
}

export function decodeGenerateWrapKey(payload: Uint8Array): { header: ObjectHeader; delegated: bigint } {
  return readWhole(payload, (r) => ({ header: readObjectHeader(r), delegated: r.u64() }));
}

/** EXPORT_WRAPPED: WrapKeyID(2) | Type(1) | ObjectID(2) [| Format(1)]. */
export function encodeExportWrapped(wrapKeyId: number, type: OBJECT, objectId: number): Uint8Array {
  return concatBytes(u16(wrapKeyId), u8(type), u16(objectId));
}

export function decodeExportWrapped(payload: Uint8Array): { wrapKeyId: number; type: OBJECT; objectId: number; format: number } {
  return readWhole(payload, (r) => ({ wrapKeyId: r.u16(), type: r.u8(), objectId: r.u16(), format: r.remaining > 0 ? r.u8() : 0 }));
}

/** IMPORT_WRAPPED: WrapKeyID(2) | Nonce(13) | ciphertext+tag. */
export function encodeImportWrapped(wrapKeyId: number, blob: Uint8Array): Uint8Array {
  return concatBytes(u16(wrapKeyId), blob);
}

export function decodeImportWrapped(payload: Uint8Array): { wrapKeyId: number; blob: Uint8Array } {
  const r = new ByteReader(payload);
  return { wrapKeyId: r.u16(), blob: r.rest() };
}

export function decodeImportWrappedResponse(payload: Uint8Array): { type: OBJECT; id: number } {
  return readWhole(payload, (r) => ({ type: r.u8(), id: r.u16() }));
}

/** The plaintext inside a wrapped object: a 59-byte header then the object's body. */
export interface WrappedPlaintext extends Omit<ObjectInfo, 'size' | 'delegatedCapabilities'> {
  wrapKeyAlgorithm: number;
  body: Uint8Array;
}

export function encodeWrappedPlaintext(p: WrappedPlaintext): Uint8Array {
  return concatBytes(
    u8(p.wrapKeyAlgorithm),
    u64(p.capabilities),
    u16(p.id),
    u16(p.body.length),
    u16(p.domains),
    u8(p.type),
    u8(p.algorithm),
    u8(p.sequence),
    u8(p.origin),
    encodeLabel(p.label),
    p.body,
  );
}

export function decodeWrappedPlaintext(plain: Uint8Array): WrappedPlaintext {
  const r = new ByteReader(plain);
  const wrapKeyAlgorithm = r.u8();
  const capabilities = r.u64();
  const id = r.u16();
  const length = r.u16();
  const domains = r.u16();
  const type = r.u8();
  const algorithm = r.u8();
  const sequence = r.u8();
  const origin = r.u8();
  const label = decodeLabel(r.take(40));
  const body = r.take(length).slice();
  r.end();
  return { wrapKeyAlgorithm, capabilities, id, domains, type, algorithm, sequence, origin, label, body };
}

function ccmName(key: Uint8Array): 'aes-128-ccm' | 'aes-192-ccm' | 'aes-256-ccm' {
  if (key.length === 16) return 'aes-128-ccm';
  if (key.length === 24) return 'aes-192-ccm';
  if (key.length === 32) return 'aes-256-ccm';
  throw new RangeError('A wrap key is 16, 24 or 32 bytes long.');
}

/** nonce(13) ‖ AES-CCM(key, nonce, no AAD, 16-byte tag)(plaintext). */
export function sealWrapped(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array): Uint8Array {
  const cipher = createCipheriv(ccmName(key), key, nonce, { authTagLength: WRAP_TAG_LENGTH });
  cipher.setAAD(new Uint8Array(0), { plaintextLength: plaintext.length });
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return concatBytes(nonce, ct, cipher.getAuthTag());
}

/** Returns the plaintext, or null when the tag does not verify. */
export function openWrapped(key: Uint8Array, blob: Uint8Array): Uint8Array | null {
  if (blob.length < WRAP_NONCE_LENGTH + WRAP_TAG_LENGTH) return null;
  const nonce = blob.subarray(0, WRAP_NONCE_LENGTH);
  const ct = blob.subarray(WRAP_NONCE_LENGTH, blob.length - WRAP_TAG_LENGTH);
  const tag = blob.subarray(blob.length - WRAP_TAG_LENGTH);
  try {
    const decipher = createDecipheriv(ccmName(key), key, nonce, { authTagLength: WRAP_TAG_LENGTH });
    decipher.setAuthTag(tag);
    decipher.setAAD(new Uint8Array(0), { plaintextLength: ct.length });
    return new Uint8Array(Buffer.concat([decipher.update(ct), decipher.final()]));
  } catch {
    return null;
  }
}
