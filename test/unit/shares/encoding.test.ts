import { randomBytes } from 'node:crypto';
import { bech32m } from '@scure/base';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ChecksumError,
  CURRENT_SHARE_FORMAT,
  decodeShareText,
  encodeShareText,
  groupShareText,
  makeShareSet,
  MalformedShareError,
  MAX_SECRET_BYTES,
  MAX_SHARE_TEXT_LENGTH,
  newSetId,
  NotAShareError,
  SHARE_PREFIX,
  ShareErrorCode,
  shareTextLength,
  UnsupportedVersionError,
  type DecodedShare,
} from '../../../main/shares';

const ALPHABET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';

function shareArbitrary(): fc.Arbitrary<DecodedShare> {
  return fc
    .record({
      n: fc.integer({ min: 2, max: 255 }),
      secretLength: fc.integer({ min: 1, max: MAX_SECRET_BYTES }),
      setIdBytes: fc.uint8Array({ minLength: 8, maxLength: 8 }),
    })
    .chain(({ n, secretLength, setIdBytes }) =>
      fc.record({
        version: fc.constant(CURRENT_SHARE_FORMAT),
        setId: fc.constant(Buffer.from(setIdBytes).toString('hex')),
        n: fc.constant(n),
        m: fc.integer({ min: 2, max: n }),
        index: fc.integer({ min: 1, max: n }),
        bytes: fc
          .tuple(fc.uint8Array({ minLength: secretLength, maxLength: secretLength }), fc.integer({ min: 1, max: 255 }))
          .map(([y, x]) => Uint8Array.of(...y, x)),
      }),
    );
}

function rejects(text: string): boolean {
  try {
    decodeShareText(text, { locateTypo: false });
    return false;
  } catch (error) {
    return error instanceof ChecksumError || error instanceof NotAShareError;
  }
}

describe('share text encoding', () => {
  it('round-trips every field of any valid share', () => {
    fc.assert(
      fc.property(shareArbitrary(), (share) => {
        const text = encodeShareText(share);
        const back = decodeShareText(text);
        expect(back.setId.replace(/-/g, '')).toBe(share.setId);
        expect([back.version, back.index, back.n, back.m]).toEqual([share.version, share.index, share.n, share.m]);
        expect(Buffer.from(back.bytes).equals(Buffer.from(share.bytes))).toBe(true);
        expect(text.length).toBe(shareTextLength(share.bytes.length - 1));
        expect(text.length).toBeLessThanOrEqual(MAX_SHARE_TEXT_LENGTH);
      }),
      { numRuns: 300 },
    );
  });

  it('reads a share back whatever the grouping, case, line breaks or dashes', () => {
    fc.assert(
      fc.property(
        shareArbitrary(),
        fc.array(fc.constantFrom(' ', '-', '  ', '\n', '\t', ' - ', '\u2013'), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 1, max: 9 }),
        fc.boolean(),
        (share, separators, groupSize, upper) => {
          const text = encodeShareText(share);
          let typed = '';
          for (let at = 0; at < text.length; at += groupSize) {
            typed += text.slice(at, at + groupSize) + separators[(at / groupSize) % separators.length];
          }
          if (upper) typed = typed.toUpperCase();
          const back = decodeShareText(typed);
          expect(Buffer.from(back.bytes).equals(Buffer.from(share.bytes))).toBe(true);
          expect(back.index).toBe(share.index);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('prints "cshare1" then groups of four that join back into the share', async () => {
    const set = await makeShareSet(randomBytes(32), { entropyBits: 128, n: 3, m: 2 });
    for (const share of set.shares) {
      const { groups, grouped } = groupShareText(share.text);
      expect(grouped.split(' ')[0]).toBe(SHARE_PREFIX);
      expect(groups.slice(0, -1).every((g) => g.length === 4)).toBe(true);
      expect(SHARE_PREFIX + groups.join('')).toBe(share.text);
      expect(share.grouped).toBe(grouped);
    }
  });

  it('keeps a 32-byte KEK share within the 89-character range of bech32m guarantees', () => {
    expect(shareTextLength(32)).toBeLessThanOrEqual(89);
  });

  it('rejects every single-character substitution and adjacent swap of a real 32-byte share (exhaustive)', async () => {
    const set = await makeShareSet(randomBytes(32), { entropyBits: 128, n: 5, m: 3 });
    const text = set.shares[2].text;
    expect(decodeShareText(text).index).toBe(3);
    let tried = 0;
    for (let position = 0; position < text.length; position++) {
      for (const c of ALPHABET + '1') {
        if (c === text[position]) continue;
        const typo = text.slice(0, position) + c + text.slice(position + 1);
        expect(rejects(typo), `substitution at ${position}`).toBe(true);
        tried++;
      }
    }
    for (let position = 0; position + 1 < text.length; position++) {
      if (text[position] === text[position + 1]) continue;
      const swapped = text.slice(0, position) + text[position + 1] + text[position] + text.slice(position + 2);
      expect(rejects(swapped), `swap at ${position}`).toBe(true);
      tried++;
    }
    expect(tried).toBeGreaterThan(text.length * 31);
  });

  // bech32m's checksum is affine in the characters: whether an error pattern goes unnoticed depends only on
  // the XOR differences it adds and on how far from the end they sit — not on the share's content or length.
  // So trying every difference (1..31) at every distance up to the longest v1 share proves detection of every
  // substitution and every adjacent swap (a swap adds the same difference d to two neighbours) for every share.
  it('proves detection for every share up to the longest v1 length (all error values at every position)', async () => {
    const set = await makeShareSet(randomBytes(MAX_SECRET_BYTES), { entropyBits: 128, n: 2, m: 2 });
    const text = set.shares[0].text;
    expect(text.length).toBe(MAX_SHARE_TEXT_LENGTH);
    const values = [...text.slice(SHARE_PREFIX.length)].map((c) => ALPHABET.indexOf(c));
    const asText = (v: number[]) => SHARE_PREFIX + v.map((x) => ALPHABET[x]).join('');
    for (let position = 0; position < values.length; position++) {
      for (let difference = 1; difference < 32; difference++) {
        const single = [...values];
        single[position] ^= difference;
        expect(rejects(asText(single)), `substitution ${difference} at ${position}`).toBe(true);
        if (position + 1 < values.length) {
          const pair = [...values];
          pair[position] ^= difference;
          pair[position + 1] ^= difference;
          expect(rejects(asText(pair)), `swap pattern ${difference} at ${position}`).toBe(true);
        }
      }
    }
  });

  it('names the group holding a single typo, a swap, a missing or a doubled character', async () => {
    const set = await makeShareSet(randomBytes(32), { entropyBits: 128, n: 3, m: 2 });
    const text = set.shares[0].text;
    const data = text.slice(SHARE_PREFIX.length);
    const groupOf = (position: number) => Math.floor(position / 4) + 1;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: data.length - 2 }), fc.constantFrom(...ALPHABET), fc.nat(3), (p, c, kind) => {
        let typed: string;
        let expected: number[];
        if (kind === 0) {
          fc.pre(c !== data[p]);
          typed = data.slice(0, p) + c + data.slice(p + 1);
          expected = [groupOf(p)];
        } else if (kind === 1) {
          fc.pre(data[p] !== data[p + 1]);
          typed = data.slice(0, p) + data[p + 1] + data[p] + data.slice(p + 2);
          expected = [...new Set([groupOf(p), groupOf(p + 1)])];
        } else if (kind === 2) {
          typed = data.slice(0, p) + data.slice(p + 1);
          expected = [groupOf(p)];
        } else {
          typed = data.slice(0, p) + data[p] + data.slice(p);
          expected = [groupOf(p)];
        }
        try {
          decodeShareText(SHARE_PREFIX + typed);
          expect.unreachable('typo accepted');
        } catch (error) {
          expect(error).toBeInstanceOf(ChecksumError);
          const groups = (error as ChecksumError).suspiciousGroups;
          // Missing/doubled characters inside a run of equal characters may sit in a neighbouring group.
          if (kind >= 2) expect(groups.some((g) => Math.abs(g - expected[0]) <= 1)).toBe(true);
          else expect(groups).toEqual(expected);
          expect((error as Error).message).not.toContain(typed);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('points at the group holding a character no card uses', async () => {
    const set = await makeShareSet(randomBytes(32), { entropyBits: 128, n: 3, m: 2 });
    const data = set.shares[1].text.slice(SHARE_PREFIX.length);
    const typed = SHARE_PREFIX + data.slice(0, 9) + 'o' + data.slice(10);
    expect(() => decodeShareText(typed)).toThrow(ChecksumError);
    try {
      decodeShareText(typed);
    } catch (error) {
      expect((error as ChecksumError).suspiciousGroups).toEqual([3]);
      expect((error as ChecksumError).code).toBe(ShareErrorCode.ChecksumError);
    }
  });

  it('refuses text that is not a share at all', () => {
    expect(() => decodeShareText('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4')).toThrow(NotAShareError);
    expect(() => decodeShareText('')).toThrow(NotAShareError);
  });

  it('refuses a future format version by name rather than misreading it', () => {
    const words = [2, ...bech32m.toWords(randomBytes(44))];
    const future = bech32m.encode('cshare', words);
    try {
      decodeShareText(future);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(UnsupportedVersionError);
      expect((error as UnsupportedVersionError).version).toBe(2);
      expect((error as Error).message).toContain('version 2');
    }
  });

  it('refuses a checksum-valid text whose header is impossible', () => {
    const setId = Buffer.from(newSetId().replace(/-/g, ''), 'hex');
    const build = (index: number, n: number, m: number, tail: number[]) =>
      bech32m.encode('cshare', [1, ...bech32m.toWords(Uint8Array.from([...setId, index, n, m, ...tail]))]);
    expect(() => decodeShareText(build(4, 3, 2, [7, 1]))).toThrow(MalformedShareError); // index > N
    expect(() => decodeShareText(build(1, 3, 4, [7, 1]))).toThrow(MalformedShareError); // M > N
    expect(() => decodeShareText(build(1, 3, 1, [7, 1]))).toThrow(MalformedShareError); // M < 2
    expect(() => decodeShareText(build(1, 3, 2, [7, 0]))).toThrow(MalformedShareError); // x = 0
    expect(() => decodeShareText(build(1, 3, 2, []))).toThrow(MalformedShareError); // no share bytes
    expect(decodeShareText(build(1, 3, 2, [7, 1])).index).toBe(1);
  });
});
