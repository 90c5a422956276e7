/** Small big-endian readers and writers for the wire formats; kept here because every command file needs them. */

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

export function u8(value: number): Uint8Array {
  return Uint8Array.of(value & 0xff);
}

export function u16(value: number): Uint8Array {
  return Uint8Array.of((value >>> 8) & 0xff, value & 0xff);
}

export function u32(value: number): Uint8Array {
  return Uint8Array.of((value >>> 24) & 0xff, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff);
}

export function u64(value: bigint): Uint8Array {
  const out = new Uint8Array(8);
  for (let i = 7; i >= 0; i--) {
    out[i] = Number(value & 0xffn);
    value >>= 8n;
  }
  return out;
}

export function hexToBytes(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) throw new Error('Invalid hex string.');
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}

export function bytesToHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** A 40-byte NUL-padded label field; refuses labels longer than 40 UTF-8 bytes. */
/*
 * A label is 40 bytes the device keeps as given, UTF-8 or not: yubihsm_pkcs11 keeps the first 40 bytes of a longer
 * CKA_LABEL on the object (yubihsm-shell 2.8.0 pkcs11/util_pkcs11.c:4716-4721), which can end inside a multi-byte
 * character. So labels decode losslessly: a byte that is not part of valid UTF-8 becomes the lone surrogate
 * U+DC00+byte (as Python's "surrogateescape"), and encodes back to that byte.
 */
const ESCAPED = (unit: number) => unit >= 0xdc80 && unit <= 0xdcff;

function utf8Length(lead: number): number {
  return lead < 0x80 ? 1 : lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
}

export function labelBytes(label: string): Uint8Array {
  const parts: number[] = [];
  let run = '';
  const flush = () => {
    parts.push(...new TextEncoder().encode(run));
    run = '';
  };
  for (let i = 0; i < label.length; i++) {
    const unit = label.charCodeAt(i);
    const afterHigh = i > 0 && label.charCodeAt(i - 1) >= 0xd800 && label.charCodeAt(i - 1) <= 0xdbff;
    if (ESCAPED(unit) && !afterHigh) {
      flush();
      parts.push(unit - 0xdc00);
    } else run += label[i];
  }
  flush();
  return Uint8Array.from(parts);
}

export function encodeLabel(label: string): Uint8Array {
  const raw = labelBytes(label);
  if (raw.length > 40) throw new RangeError('A label can be at most 40 bytes long.');
  const out = new Uint8Array(40);
  out.set(raw);
  return out;
}

export function decodeLabel(field: Uint8Array): string {
  let end = field.indexOf(0);
  if (end < 0) end = field.length;
  const bytes = field.subarray(0, end);
  const strict = new TextDecoder('utf-8', { fatal: true });
  let out = '';
  for (let i = 0; i < bytes.length;) {
    const n = utf8Length(bytes[i]);
    let char: string | undefined;
    if (n > 0 && i + n <= bytes.length) {
      try {
        char = strict.decode(bytes.subarray(i, i + n));
      } catch {
        char = undefined;
      }
    }
    if (char === undefined) {
      out += String.fromCharCode(0xdc00 + bytes[i]);
      i += 1;
    } else {
      out += char;
      i += n;
    }
  }
  return out;
}

/** Sequential reader that throws a RangeError when the payload is shorter than its layout. */
export class ByteReader {
  private offset = 0;
  constructor(private readonly bytes: Uint8Array) {}

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  take(length: number): Uint8Array {
    if (length < 0 || this.offset + length > this.bytes.length) throw new RangeError('Payload too short.');
    const out = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return out;
  }

  rest(): Uint8Array {
    return this.take(this.remaining);
  }

  u8(): number {
    return this.take(1)[0];
  }

  u16(): number {
    const b = this.take(2);
    return (b[0] << 8) | b[1];
  }

  u32(): number {
    const b = this.take(4);
    return ((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0;
  }

  u64(): bigint {
    const b = this.take(8);
    let v = 0n;
    for (const x of b) v = (v << 8n) | BigInt(x);
    return v;
  }

  end(): void {
    if (this.remaining !== 0) throw new RangeError('Payload too long.');
  }
}

/** Overwrites a buffer that held a secret. */
export function wipe(...buffers: (Uint8Array | undefined)[]): void {
  for (const b of buffers) b?.fill(0);
}

/** Reads a whole payload with `read`: a RangeError when it is shorter than the layout, or longer (bytes left over). */
export function readWhole<T>(payload: Uint8Array, read: (r: ByteReader) => T): T {
  const r = new ByteReader(payload);
  const out = read(r);
  r.end();
  return out;
}
