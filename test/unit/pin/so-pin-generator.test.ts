import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  alphabetSize,
  DEFAULT_SO_PIN_ALPHABET,
  entropyBits,
  generateSoPin,
  minimumSoPinLength,
  parseAlphabet,
  PinCeremonyErrorCode,
  SoPinAlphabet,
  soPinLength,
} from '../../../main/ceremony/actions/pin';
import { MIN_SECRET_ENTROPY_BITS } from '../../../main/shares';

const hostRandom = async (count: number) => new Uint8Array(randomBytes(count));
const everyAlphabet = Object.values(SoPinAlphabet);

describe('generated SO-PINs carry at least 128 bits', () => {
  it.each(everyAlphabet)('the %s set: the chosen length holds ≥ 128 bits on a token that takes 4 to 255 characters', (alphabet) => {
    const length = soPinLength({ min: 4, max: 255 }, alphabet);
    expect(length).toBe(minimumSoPinLength(alphabet));
    expect(entropyBits(length, alphabet)).toBeGreaterThanOrEqual(MIN_SECRET_ENTROPY_BITS);
    // one character fewer would not
    expect(entropyBits(length - 1, alphabet)).toBeLessThan(MIN_SECRET_ENTROPY_BITS);
  });

  it('base32 is Crockford’s 32 symbols, 26 characters; alphanumeric 22; digits 39', () => {
    expect(alphabetSize(SoPinAlphabet.Base32)).toBe(32);
    expect(minimumSoPinLength(SoPinAlphabet.Base32)).toBe(26);
    expect(minimumSoPinLength(SoPinAlphabet.Alphanumeric)).toBe(22);
    expect(minimumSoPinLength(SoPinAlphabet.Digits)).toBe(39);
    expect(DEFAULT_SO_PIN_ALPHABET).toBe(SoPinAlphabet.Base32);
  });

  it.each(everyAlphabet)('the %s set: a generated PIN has that length and only that set’s characters', async (alphabet) => {
    const length = soPinLength({ min: 4, max: 255 }, alphabet);
    const expected = { base32: /^[0-9ABCDEFGHJKMNPQRSTVWXYZ]+$/, alphanumeric: /^[0-9A-Za-z]+$/, digits: /^[0-9]+$/ }[alphabet];
    for (let i = 0; i < 20; i++) {
      const pin = await generateSoPin(length, alphabet, hostRandom);
      expect(pin.length).toBe(length);
      expect(new TextDecoder().decode(pin)).toMatch(expected);
    }
  });

  it('a longer requested length and a token minimum are honoured; never below 128 bits', () => {
    expect(soPinLength({ min: 4, max: 255 }, SoPinAlphabet.Base32, 40)).toBe(40);
    expect(soPinLength({ min: 4, max: 255 }, SoPinAlphabet.Base32, 8)).toBe(26);
    expect(soPinLength({ min: 30, max: 255 }, SoPinAlphabet.Base32)).toBe(30);
  });

  it.each(everyAlphabet)('the %s set: a token whose maximum PIN length cannot hold 128 bits is refused, with the numbers', (alphabet) => {
    const needed = minimumSoPinLength(alphabet);
    const error = (() => {
      try {
        soPinLength({ min: 4, max: needed - 1 }, alphabet);
      } catch (e) {
        return e as Error & { code: string };
      }
    })();
    expect(error?.code).toBe(PinCeremonyErrorCode.TokenPinLimitsUnusable);
    expect(error?.message).toContain(`at most ${needed - 1} characters`);
    expect(error?.message).toContain(`needs ${needed} characters`);
    expect(error?.message).toContain('128 bits');
    expect(soPinLength({ min: 4, max: needed }, alphabet)).toBe(needed);
  });

  it('an unknown character set is a script error, not a silent fallback', () => {
    expect(() => parseAlphabet('hex')).toThrow(/base32, alphanumeric, digits/);
    expect(parseAlphabet(undefined)).toBe(SoPinAlphabet.Base32);
    expect(parseAlphabet('digits')).toBe(SoPinAlphabet.Digits);
  });

  it('draws every character equally often (rejection sampling; a bounded count of draws)', async () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 400; i++) {
      for (const c of new TextDecoder().decode(await generateSoPin(26, SoPinAlphabet.Base32, hostRandom))) counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    expect(counts.size).toBe(32);
    // 10 400 draws, 325 expected per symbol: a biased mapping (byte % 32 over a non-multiple) would still pass this,
    // so the check is that no symbol is missing or wildly off
    for (const n of counts.values()) expect(n).toBeGreaterThan(200);
  });
});
