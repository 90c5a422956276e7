import { entropyToMnemonic, mnemonicToEntropy } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { FingerprintError, sha256 } from './hex';

/**
 * Fingerprint words — what exactly is encoded:
 *
 * `toWords(bytes)` encodes THE GIVEN BYTES THEMSELVES (it does not hash them) as a BIP-39 English
 * mnemonic: the bytes are followed by the first (8 × length / 32) bits of their SHA-256 as a checksum,
 * and the bit string is cut into 11-bit numbers, each an index into the 2048-word BIP-39 English list.
 * A 32-byte SHA-256 digest (a key fingerprint or a journal chain head) therefore gives 24 words:
 * 256 bits + 8 checksum bits = 264 bits = 24 × 11. Accepted lengths are BIP-39's: 16, 20, 24, 28 or 32 bytes.
 *
 * It is reversible: `fromWords(words)` gives the bytes back, so a witness who wrote the words down can
 * check them against a hex fingerprint, and the checksum catches a misheard or miswritten word.
 *
 * To fingerprint arbitrary data (a public key, a file) use `fingerprintWords(data)`, which is
 * `toWords(sha256(data))`.
 */
export function toWords(bytes: Uint8Array): string[] {
  if (![16, 20, 24, 28, 32].includes(bytes.length)) {
    throw new FingerprintError('UnsupportedLength', `Fingerprint words need 16, 20, 24, 28 or 32 bytes (a SHA-256 digest is 32); got ${bytes.length}.`);
  }
  return entropyToMnemonic(bytes, wordlist).split(' ');
}

/** Words of the SHA-256 digest of `data`: 24 words. */
export function fingerprintWords(data: Uint8Array | string): string[] {
  return toWords(sha256(data));
}

/**
 * Turns words back into the bytes they encode. Accepts an array or one string separated by spaces,
 * commas or line breaks, in any case. Throws a FingerprintError naming the first word that is not in the
 * list, or saying the checksum does not match (a word was misheard or two were swapped).
 */
export function fromWords(words: string[] | string): Uint8Array {
  const list = (Array.isArray(words) ? words : words.split(/[\s,]+/)).map((w) => w.trim().toLowerCase()).filter((w) => w.length > 0);
  if (![12, 15, 18, 21, 24].includes(list.length)) {
    throw new FingerprintError('WrongWordCount', `Expected 12, 15, 18, 21 or 24 words (24 for a SHA-256 fingerprint); got ${list.length}.`);
  }
  const known = new Set(wordlist);
  const unknownIndex = list.findIndex((w) => !known.has(w));
  if (unknownIndex >= 0) {
    throw new FingerprintError('UnknownWord', `Word ${unknownIndex + 1} ("${list[unknownIndex]}") is not in the word list.`);
  }
  try {
    return mnemonicToEntropy(list.join(' '), wordlist);
  } catch {
    throw new FingerprintError('ChecksumMismatch', 'These words do not add up: one of them was misheard or two were swapped.');
  }
}

/** True when the words a witness wrote down encode exactly these bytes. Never throws. */
export function wordsMatch(words: string[] | string, bytes: Uint8Array): boolean {
  try {
    const decoded = fromWords(words);
    return decoded.length === bytes.length && decoded.every((b, i) => b === bytes[i]);
  } catch {
    return false;
  }
}
