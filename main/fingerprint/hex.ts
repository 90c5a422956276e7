import { createHash } from 'node:crypto';
import { CustodianError } from '../errors';

/** SHA-256 of the given bytes (or of a string's UTF-8 encoding). */
export function sha256(data: Uint8Array | string): Uint8Array {
  return new Uint8Array(createHash('sha256').update(data).digest());
}

/** SHA-256 as colon-free lowercase hex: the form stored in the journal and compared by programs. */
export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The bytes as colon-free lowercase hex (`"3fa0…"`), exactly two characters per byte. */
export function fingerprintHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/**
 * The same hex split into groups for reading aloud: groups of 4 characters separated by one space,
 * with a line break after every 8 groups (16 bytes), so a 32-byte digest reads as two lines of
 * eight groups — short enough for a witness to follow with a finger on the screen.
 */
export function fingerprintHexGrouped(bytes: Uint8Array, groupSize = 4, groupsPerLine = 8): string {
  return groupHex(fingerprintHex(bytes), groupSize, groupsPerLine);
}

/** Groups an existing hex string (any case, colons and spaces ignored) the way `fingerprintHexGrouped` does. */
export function groupHex(hex: string, groupSize = 4, groupsPerLine = 8): string {
  const clean = normaliseHex(hex);
  const groups: string[] = [];
  for (let i = 0; i < clean.length; i += groupSize) groups.push(clean.slice(i, i + groupSize));
  const lines: string[] = [];
  for (let i = 0; i < groups.length; i += groupsPerLine) lines.push(groups.slice(i, i + groupsPerLine).join(' '));
  return lines.join('\n');
}

/** Accepts hex as people write it (upper case, colons, spaces, line breaks) and returns bare lowercase hex. */
export function normaliseHex(hex: string): string {
  return hex.replace(/[\s:]/g, '').toLowerCase();
}

/** Parses hex in any of the forms `normaliseHex` accepts; throws a FingerprintError on anything else. */
export function hexToBytes(hex: string): Uint8Array {
  const clean = normaliseHex(hex);
  if (clean.length % 2 !== 0 || !/^[0-9a-f]*$/.test(clean)) {
    throw new FingerprintError('NotHex', 'This is not a hexadecimal fingerprint (only 0-9 and a-f, two per byte).');
  }
  return new Uint8Array(Buffer.from(clean, 'hex'));
}

export type FingerprintErrorCode = 'NotHex' | 'UnsupportedLength' | 'UnknownWord' | 'WrongWordCount' | 'ChecksumMismatch';

export class FingerprintError extends CustodianError<FingerprintErrorCode> {
  override name = 'FingerprintError';
}
