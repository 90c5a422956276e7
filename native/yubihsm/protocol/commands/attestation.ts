/**
 * SIGN_ATTESTATION_CERTIFICATE: KeyID(2) | AttestingKeyID(2) → a DER X.509 certificate over the key's public key,
 * signed by the attesting key (0 = the device's own attestation key, whose certificate is opaque object 0). The
 * certificate carries what the device asserts about the key as extensions under Yubico's arc 1.3.6.1.4.1.41482.4
 * (yubihsm-shell examples/attest.c lists them: .1 firmware, .2 serial, .3 origin, .4 domains, .5 capabilities,
 * .6 object ID, .9 label), encoded as a YubiHSM 2 writes them (SIMULATOR.md in native/yubihsm/simulator).
 */
import { concatBytes, readWhole, u16, u64 } from '../bytes';
import { derBitString, derInteger, derOctetString, derTlv, derUtf8, DER_TAG } from '../der';

export const BUILT_IN_ATTESTATION_KEY_ID = 0;

export const YUBICO_ATTESTATION_OID = {
  FIRMWARE_VERSION: '1.3.6.1.4.1.41482.4.1',
  SERIAL_NUMBER: '1.3.6.1.4.1.41482.4.2',
  ORIGIN: '1.3.6.1.4.1.41482.4.3',
  DOMAINS: '1.3.6.1.4.1.41482.4.4',
  CAPABILITIES: '1.3.6.1.4.1.41482.4.5',
  OBJECT_ID: '1.3.6.1.4.1.41482.4.6',
  LABEL: '1.3.6.1.4.1.41482.4.9',
} as const;

export function encodeSignAttestation(keyId: number, attestingKeyId: number): Uint8Array {
  return concatBytes(u16(keyId), u16(attestingKeyId));
}

export function decodeSignAttestation(payload: Uint8Array): { keyId: number; attestingKeyId: number } {
  return readWhole(payload, (r) => ({ keyId: r.u16(), attestingKeyId: r.u16() }));
}

/** What the device asserts about an attested key. */
export interface AttestationClaims {
  firmware: [number, number, number];
  serial: number;
  origin: number;
  domains: number;
  capabilities: bigint;
  objectId: number;
  label: string;
}

/**
 * The seven extension values (the extnValue contents), in the order the device writes them: firmware as an OCTET
 * STRING of three bytes, serial and object ID as INTEGERs, origin / domains / capabilities as BIT STRINGs of the
 * big-endian field (1, 2 and 8 bytes, no unused bits), the label as a UTF8String.
 */
export function encodeAttestationExtensions(c: AttestationClaims): Array<{ oid: string; value: Uint8Array }> {
  return [
    { oid: YUBICO_ATTESTATION_OID.FIRMWARE_VERSION, value: derOctetString(Uint8Array.from(c.firmware)) },
    { oid: YUBICO_ATTESTATION_OID.SERIAL_NUMBER, value: derInteger(c.serial) },
    { oid: YUBICO_ATTESTATION_OID.ORIGIN, value: derBitString(Uint8Array.of(c.origin & 0xff)) },
    { oid: YUBICO_ATTESTATION_OID.DOMAINS, value: derBitString(u16(c.domains)) },
    { oid: YUBICO_ATTESTATION_OID.CAPABILITIES, value: derBitString(u64(c.capabilities)) },
    { oid: YUBICO_ATTESTATION_OID.OBJECT_ID, value: derInteger(c.objectId) },
    { oid: YUBICO_ATTESTATION_OID.LABEL, value: c.label ? derUtf8(c.label) : derTlv(DER_TAG.UTF8_STRING, new Uint8Array(0)) },
  ];
}
