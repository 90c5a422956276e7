import { PinCeremonyError, PinCeremonyErrorCode } from './errors';
import type { PinLimits } from './pin-rules';

/**
 * Generated SO-PINs. Nobody ever types one (it is rebuilt from shares and handed to the token by Custodian), so it
 * can be long and random; but it must still fit the token's PIN limits and its character set. Characters are drawn
 * by rejection sampling, so every character of the alphabet is equally likely.
 */
export enum SoPinAlphabet {
  /** 0-9 A-Z a-z: about 5.95 bits per character */
  Alphanumeric = 'alphanumeric',
  /** 0-9 only, for tokens whose PIN pad or firmware takes digits only */
  Digits = 'digits',
}

const ALPHABETS: Record<SoPinAlphabet, string> = {
  [SoPinAlphabet.Alphanumeric]: '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
  [SoPinAlphabet.Digits]: '0123456789',
};

/** 20 characters: about 119 bits alphanumeric, 66 bits in digits — and not 16/24/32, so its check value is the HMAC one meant for PINs. */
export const PREFERRED_SO_PIN_LENGTH = 20;
/** below this, a generated SO-PIN is too weak to be worth splitting */
export const MIN_SO_PIN_LENGTH = 8;
/** the share format carries secrets of up to 64 bytes */
export const MAX_SO_PIN_LENGTH = 64;

export function parseAlphabet(value: unknown): SoPinAlphabet {
  return value === SoPinAlphabet.Digits ? SoPinAlphabet.Digits : SoPinAlphabet.Alphanumeric;
}

/** The SO-PIN length for a token: the preferred length moved inside the token's limits. */
export function soPinLength(limits: PinLimits, preferred = PREFERRED_SO_PIN_LENGTH): number {
  const upper = Math.min(limits.max, MAX_SO_PIN_LENGTH);
  const length = Math.min(Math.max(preferred, limits.min, MIN_SO_PIN_LENGTH), upper);
  if (length < MIN_SO_PIN_LENGTH || length < limits.min) {
    throw new PinCeremonyError(
      PinCeremonyErrorCode.TokenPinLimitsUnusable,
      `This token accepts PINs of ${limits.min} to ${limits.max} characters; a generated SO-PIN needs ${MIN_SO_PIN_LENGTH} to ${MAX_SO_PIN_LENGTH}.`,
    );
  }
  return length;
}

export function entropyBits(length: number, alphabet: SoPinAlphabet): number {
  return Math.floor(length * Math.log2(ALPHABETS[alphabet].length));
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
