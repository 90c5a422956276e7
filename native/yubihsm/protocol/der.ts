/**
 * The little DER the YubiHSM needs: the device answers SIGN_ATTESTATION_CERTIFICATE with an X.509 certificate whose
 * Yubico extensions are DER values, and the simulator has to build those certificates synchronously (a device
 * answers one frame with one frame), which rules out the WebCrypto-based X.509 libraries. Encoders and one reader.
 */
import { concatBytes } from './bytes';

export const DER_TAG = {
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

function lengthBytes(length: number): Uint8Array {
  if (length < 0x80) return Uint8Array.of(length);
  const out: number[] = [];
  for (let v = length; v > 0; v = Math.floor(v / 256)) out.unshift(v & 0xff);
  return Uint8Array.of(0x80 | out.length, ...out);
}

export function derTlv(tag: number, content: Uint8Array): Uint8Array {
  return concatBytes(Uint8Array.of(tag), lengthBytes(content.length), content);
}

export const derSequence = (...items: Uint8Array[]) => derTlv(DER_TAG.SEQUENCE, concatBytes(...items));
export const derSet = (...items: Uint8Array[]) => derTlv(DER_TAG.SET, concatBytes(...items));
export const derNull = () => Uint8Array.of(DER_TAG.NULL, 0);
export const derOctetString = (bytes: Uint8Array) => derTlv(DER_TAG.OCTET_STRING, bytes);
export const derUtf8 = (text: string) => derTlv(DER_TAG.UTF8_STRING, new TextEncoder().encode(text));
/** A BIT STRING whose content is whole bytes (no unused bits), as the device writes its masks. */
export const derBitString = (bytes: Uint8Array) => derTlv(DER_TAG.BIT_STRING, concatBytes(Uint8Array.of(0), bytes));
/** `[n] EXPLICIT` context tag around one value. */
export const derExplicit = (n: number, content: Uint8Array) => derTlv(0xa0 | n, content);

/** A non-negative INTEGER (minimal two's complement: a leading 00 when the top bit is set). */
export function derInteger(value: bigint | number | Uint8Array): Uint8Array {
  let bytes: Uint8Array;
  if (value instanceof Uint8Array) {
    let start = 0;
    while (start < value.length - 1 && value[start] === 0) start++;
    bytes = value.subarray(start);
  } else {
    let hex = BigInt(value).toString(16);
    if (hex.length % 2) hex = '0' + hex;
    bytes = new Uint8Array(Buffer.from(hex, 'hex'));
  }
  if (bytes.length === 0) bytes = Uint8Array.of(0);
  if (bytes[0] & 0x80) bytes = concatBytes(Uint8Array.of(0), bytes);
  return derTlv(DER_TAG.INTEGER, bytes);
}

export function derOid(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map((a) => BigInt(a));
  if (arcs.length < 2) throw new RangeError('An OID has at least two arcs.');
  const out: number[] = [Number(arcs[0] * 40n + arcs[1])];
  for (const arc of arcs.slice(2)) {
    const chunk: number[] = [];
    let v = arc;
    do {
      chunk.unshift(Number(v & 0x7fn));
      v >>= 7n;
    } while (v > 0n);
    for (let i = 0; i < chunk.length - 1; i++) chunk[i] |= 0x80;
    out.push(...chunk);
  }
  return derTlv(DER_TAG.OID, Uint8Array.from(out));
}

/** UTCTime before 2050, GeneralizedTime from 2050 on (RFC 5280 §4.1.2.5). */
export function derTime(date: Date): Uint8Array {
  const iso = date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return date.getUTCFullYear() < 2050
    ? derTlv(DER_TAG.UTC_TIME, new TextEncoder().encode(iso.slice(2) + 'Z'))
    : derTlv(DER_TAG.GENERALIZED_TIME, new TextEncoder().encode(iso + 'Z'));
}

/** An X.501 name of one CN attribute (what the device writes as issuer and subject). */
export const derCommonName = (cn: string) => derSequence(derSet(derSequence(derOid('2.5.4.3'), derUtf8(cn))));

export interface DerValue {
  tag: number;
  /** the content octets */
  content: Uint8Array;
  /** the whole TLV */
  raw: Uint8Array;
}

/** Reads the TLV at `offset`; throws RangeError on a truncated or indefinite-length value. */
export function readDer(bytes: Uint8Array, offset = 0): DerValue {
  if (offset + 2 > bytes.length) throw new RangeError('DER value truncated.');
  const tag = bytes[offset];
  let length = bytes[offset + 1];
  let header = 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4 || offset + 2 + count > bytes.length) throw new RangeError('DER length not supported.');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + bytes[offset + 2 + i];
    header += count;
  }
  const end = offset + header + length;
  if (end > bytes.length) throw new RangeError('DER value truncated.');
  return { tag, content: bytes.subarray(offset + header, end), raw: bytes.subarray(offset, end) };
}

/** The values inside a constructed value (SEQUENCE, SET, explicit tag). */
export function readDerChildren(content: Uint8Array): DerValue[] {
  const out: DerValue[] = [];
  for (let offset = 0; offset < content.length;) {
    const v = readDer(content, offset);
    out.push(v);
    offset += v.raw.length;
  }
  return out;
}
