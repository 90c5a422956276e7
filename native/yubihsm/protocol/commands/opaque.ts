/**
 * Opaque objects: PUT_OPAQUE (HDR | data) and GET_OPAQUE (ID → data). Yubico's tools keep X.509 certificates this
 * way (algorithm OPAQUE_X509_CERTIFICATE, the same ID as the key they belong to), and yubihsm_pkcs11 keeps the
 * CKA_ID/CKA_LABEL it cannot store in a key's own header as an OPAQUE_DATA "Meta object" (pkcs11/util_pkcs11.c).
 */
import { ByteReader, concatBytes, u16 } from '../bytes';
import { ALGORITHM } from '../defs';
import { ObjectHeader, encodeObjectHeader, readObjectHeader } from './objects';

export const OPAQUE_ALGORITHMS: readonly ALGORITHM[] = [ALGORITHM.OPAQUE_DATA, ALGORITHM.OPAQUE_X509_CERTIFICATE];

/** The device's own attestation certificate is read as opaque object 0 (it is not in LIST_OBJECTS). */
export const DEVICE_ATTESTATION_CERTIFICATE_ID = 0;

export function encodePutOpaque(header: ObjectHeader, data: Uint8Array): Uint8Array {
  return concatBytes(encodeObjectHeader(header), data);
}

export function decodePutOpaque(payload: Uint8Array): { header: ObjectHeader; data: Uint8Array } {
  const r = new ByteReader(payload);
  const header = readObjectHeader(r);
  return { header, data: r.rest().slice() };
}

export function encodeGetOpaque(id: number): Uint8Array {
  return u16(id);
}

export function decodeGetOpaque(payload: Uint8Array): number {
  const r = new ByteReader(payload);
  const id = r.u16();
  r.end();
  return id;
}
