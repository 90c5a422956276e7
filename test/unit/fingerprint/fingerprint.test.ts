import { createHash, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fingerprintHex, fingerprintHexGrouped, fingerprintOf, fromWords, hexToBytes, toWords, wordsMatch } from '../../../main/fingerprint';
import { wordlist } from '@scure/bip39/wordlists/english.js';

describe('fingerprints', () => {
  it('writes colon-free lowercase hex and a grouped form that reads back to the same bytes', () => {
    const digest = new Uint8Array(randomBytes(32));
    const hex = fingerprintHex(digest);
    expect(hex).toMatch(/^[0-9a-f]{64}$/);
    expect(hex).toBe(Buffer.from(digest).toString('hex'));
    const grouped = fingerprintHexGrouped(digest);
    expect(grouped.split('\n')).toHaveLength(2);
    expect(grouped.split(/\s/).every((g) => g.length === 4)).toBe(true);
    expect(hexToBytes(grouped)).toEqual(digest);
    expect(hexToBytes(hex.toUpperCase().match(/../g)!.join(':'))).toEqual(digest);
  });

  it('encodes 32 bytes as 24 BIP-39 words, 11 bits each, and decodes them back', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (bytes) => {
        const words = toWords(bytes);
        expect(words).toHaveLength(24);
        expect(words.every((w) => wordlist.includes(w))).toBe(true);
        // the first word is the first 11 bits of the bytes themselves (not of their hash)
        expect(words[0]).toBe(wordlist[(bytes[0] << 3) | (bytes[1] >> 5)]);
        expect(fromWords(words)).toEqual(bytes);
        expect(fromWords(words.join(' ').toUpperCase())).toEqual(bytes);
      }),
      { numRuns: 100 },
    );
  });

  it('catches a misheard word and names an unknown one', () => {
    const bytes = new Uint8Array(randomBytes(32));
    const words = toWords(bytes);
    const wrong = [...words];
    wrong[5] = wordlist[(wordlist.indexOf(words[5]) + 1) % 2048];
    expect(wordsMatch(wrong, bytes)).toBe(false);
    expect(() => fromWords([...words.slice(0, 23), 'notaword'])).toThrow(expect.objectContaining({ code: 'UnknownWord' }));
    expect(() => fromWords(words.slice(0, 23))).toThrow(expect.objectContaining({ code: 'WrongWordCount' }));
  });

  it('fingerprintOf hashes the data with SHA-256', () => {
    const f = fingerprintOf('public key bytes');
    expect(f.hex).toBe(createHash('sha256').update('public key bytes').digest('hex'));
    expect(wordsMatch(f.words, hexToBytes(f.hex))).toBe(true);
  });

  it('refuses lengths BIP-39 cannot encode', () => {
    expect(() => toWords(new Uint8Array(31))).toThrow(expect.objectContaining({ code: 'UnsupportedLength' }));
  });
});
