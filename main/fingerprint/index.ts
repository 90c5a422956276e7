// Fingerprints for people: hex to compare, grouped hex and words to read aloud.
import { fingerprintHex, fingerprintHexGrouped, sha256 } from './hex';
import { toWords } from './words';

export { FingerprintError, fingerprintHex, fingerprintHexGrouped, groupHex, hexToBytes, normaliseHex, sha256, sha256Hex } from './hex';
export type { FingerprintErrorCode } from './hex';
export { fingerprintWords, fromWords, toWords, wordsMatch } from './words';

export interface Fingerprint {
  /** colon-free lowercase hex of the SHA-256 digest */
  hex: string;
  /** the same hex in groups of four, two lines, for reading aloud */
  grouped: string;
  /** 24 BIP-39 English words encoding the digest (see toWords) */
  words: string[];
}

/** SHA-256 fingerprint of data, in all three forms. */
export function fingerprintOf(data: Uint8Array | string): Fingerprint {
  const digest = sha256(data);
  return { hex: fingerprintHex(digest), grouped: fingerprintHexGrouped(digest), words: toWords(digest) };
}

/** The three forms of an existing 32-byte digest (e.g. a journal chain head), without hashing again. */
export function describeDigest(digest: Uint8Array): Fingerprint {
  return { hex: fingerprintHex(digest), grouped: fingerprintHexGrouped(digest), words: toWords(digest) };
}
