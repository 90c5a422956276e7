import { MIN_SECRET_ENTROPY_BITS } from '../../../shares';
import { PinCeremonyError, PinCeremonyErrorCode } from '../../../errors';
import type { PinLimits } from './pin-rules';

/**
 * Generated SO-PINs. Nobody ever types one (it is rebuilt from shares and handed to the token by Custodian), so it
 * is as long as 128 bits of randomness needs: its check value is printed on every card and journaled, and a
 * weaker PIN could be found from that value alone. Characters are drawn by rejection sampling, so every character
 * of the alphabet is equally likely and the strength is exactly length × log2(alphabet size).
 */
export enum SoPinAlphabet {
  /** Crockford's base32 (0-9 A-Z without I L O U): 5 bits per character, nothing to confuse; 26 characters */
  Base32 = 'base32',
  /** 0-9 A-Z a-z: about 5.95 bits per character; 22 characters */
  Alphanumeric = 'alphanumeric',
  /** 0-9 only, for tokens whose PIN pad or firmware takes digits only; 39 characters */
  Digits = 'digits',
}

const ALPHABETS: Record<SoPinAlphabet, string> = {
  [SoPinAlphabet.Base32]: '0123456789ABCDEFGHJKMNPQRSTVWXYZ',
  [SoPinAlphabet.Alphanumeric]: '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
  [SoPinAlphabet.Digits]: '0123456789',
};

/** the alphabet when a script names none */
export const DEFAULT_SO_PIN_ALPHABET = SoPinAlphabet.Base32;
/** the share format carries secrets of up to 64 bytes */
export const MAX_SO_PIN_LENGTH = 64;

export function alphabetSize(alphabet: SoPinAlphabet): number {
  return ALPHABETS[alphabet].length;
}

/** The script's characterSet: one of the alphabets above, or the default when it names none. */
export function parseAlphabet(value: unknown): SoPinAlphabet {
  if (value === undefined || value === null || value === '') return DEFAULT_SO_PIN_ALPHABET;
  const known = Object.values(SoPinAlphabet) as string[];
  if (typeof value === 'string' && known.includes(value)) return value as SoPinAlphabet;
  throw new PinCeremonyError(PinCeremonyErrorCode.StepMisconfigured, `The SO-PIN character set must be one of ${known.join(', ')} (characterSet).`);
}

/** The fewest characters of `alphabet` that carry at least 128 bits. */
export function minimumSoPinLength(alphabet: SoPinAlphabet): number {
  return Math.ceil(MIN_SECRET_ENTROPY_BITS / Math.log2(alphabetSize(alphabet)));
}

/**
 * The SO-PIN length for a token: at least the 128-bit minimum for the alphabet (a longer `requested` length is
 * honoured), at least the token's own minimum, and within its maximum — or a refusal that gives the numbers.
 */
export function soPinLength(limits: PinLimits, alphabet: SoPinAlphabet, requested?: number): number {
  const needed = minimumSoPinLength(alphabet);
  const upper = Math.min(limits.max, MAX_SO_PIN_LENGTH);
  if (needed > upper) {
    throw new PinCeremonyError(
      PinCeremonyErrorCode.TokenPinLimitsUnusable,
      `This token accepts PINs of at most ${limits.max} characters; a generated SO-PIN of ${MIN_SECRET_ENTROPY_BITS} bits needs ${needed} characters ` +
        `from the ${alphabet} set (${alphabetSize(alphabet)} symbols). Nothing was changed. Use a token (or a character set) that can hold it.`,
    );
  }
  const length = Math.min(Math.max(requested ?? needed, needed, limits.min), upper);
  if (length < limits.min) {
    throw new PinCeremonyError(
      PinCeremonyErrorCode.TokenPinLimitsUnusable,
      `This token accepts PINs of ${limits.min} to ${limits.max} characters; a generated SO-PIN can have at most ${MAX_SO_PIN_LENGTH}.`,
    );
  }
  return length;
}

/** Bits of randomness in a PIN of `length` characters drawn uniformly from `alphabet`. */
export function entropyBits(length: number, alphabet: SoPinAlphabet): number {
  return Math.floor(length * Math.log2(alphabetSize(alphabet)));
}

/**
 * Draws a PIN of `length` characters from `random` (called for more bytes as needed). Returns ASCII bytes the caller
 * owns and zeroes; every random byte used is zeroed here.
 */
export async function generateSoPin(length: number, alphabet: SoPinAlphabet, random: (count: number) => Promise<Uint8Array>): Promise<Uint8Array> {
  const characters = ALPHABETS[alphabet];
  // the largest multiple of the alphabet size below 256: bytes at or above it would favour the first characters
  const limit = 256 - (256 % characters.length);
  const pin = new Uint8Array(length);
  let filled = 0;
  while (filled < length) {
    const bytes = await random(Math.max(16, (length - filled) * 2));
    for (const byte of bytes) {
      if (filled === length) break;
      if (byte < limit) pin[filled++] = characters.charCodeAt(byte % characters.length);
    }
    bytes.fill(0);
  }
  return pin;
}
