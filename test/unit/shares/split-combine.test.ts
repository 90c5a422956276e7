import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CheckValueMismatchError,
  combineShareTexts,
  decodeShareText,
  LowEntropySecretError,
  makeShareSet,
  MAX_SECRET_BYTES,
  ShareCollector,
  ShareErrorCode,
  TooFewSharesError,
  type ShareSet,
} from '../../../main/shares';

function collectorFor(set: ShareSet, withCommitments = true): ShareCollector {
  return new ShareCollector({
    setId: set.setId,
    m: set.m,
    n: set.n,
    checkValue: set.checkValue,
    commitments: withCommitments ? set.shares : undefined,
  });
}

function subsetsOfSize<T>(items: readonly T[], size: number): T[][] {
  if (size === 0) return [[]];
  if (items.length < size) return [];
  const [first, ...rest] = items;
  return [...subsetsOfSize(rest, size - 1).map((s) => [first, ...s]), ...subsetsOfSize(rest, size)];
}

const setShape = fc.record({ n: fc.integer({ min: 2, max: 7 }), secretLength: fc.integer({ min: 16, max: MAX_SECRET_BYTES }) }).chain(({ n, secretLength }) =>
  fc.record({
    n: fc.constant(n),
    m: fc.integer({ min: 2, max: n }),
    secret: fc.uint8Array({ minLength: secretLength, maxLength: secretLength }),
    order: fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n }),
  }),
);

describe('splitting and rebuilding', () => {
  it('rebuilds the secret from every M-subset of a 3-of-5 KEK set, in any order', async () => {
    const kek = randomBytes(32);
    const set = await makeShareSet(kek, { entropyBits: 128, n: 5, m: 3 });
    const subsets = subsetsOfSize(set.shares, 3);
    expect(subsets).toHaveLength(10);
    for (const subset of subsets) {
      for (const ordered of [subset, [...subset].reverse()]) {
        const collector = collectorFor(set);
        for (const share of ordered) expect(collector.add(share.grouped).accepted).toBe(true);
        expect(Buffer.from(await collector.combine()).equals(kek)).toBe(true);
      }
    }
  });

  it('any M of N shares rebuild any secret (property)', async () => {
    await fc.assert(
      fc.asyncProperty(setShape, async ({ n, m, secret, order }) => {
        const set = await makeShareSet(secret, { entropyBits: secret.length * 8, n, m });
        const collector = collectorFor(set);
        for (const position of order.slice(0, m)) expect(collector.add(set.shares[position].text).accepted).toBe(true);
        const rebuilt = await collector.combine();
        expect(Buffer.from(rebuilt).equals(Buffer.from(secret))).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('M−1 shares are refused as too few (property)', async () => {
    await fc.assert(
      fc.asyncProperty(setShape, async ({ n, m, secret, order }) => {
        const set = await makeShareSet(secret, { entropyBits: secret.length * 8, n, m });
        const collector = collectorFor(set);
        for (const position of order.slice(0, m - 1)) collector.add(set.shares[position].text);
        expect(collector.remaining).toBe(1);
        const failure = await collector.combine().catch((error: unknown) => error);
        expect(failure).toBeInstanceOf(TooFewSharesError);
        expect(failure).toMatchObject({ code: ShareErrorCode.TooFewShares, needed: m, have: m - 1 });
      }),
      { numRuns: 40 },
    );
  });

  it("shares of another secret fail the set's check value (property)", async () => {
    await fc.assert(
      fc.asyncProperty(setShape, async ({ n, m, secret, order }) => {
        const set = await makeShareSet(secret, { entropyBits: secret.length * 8, n, m });
        const other = Uint8Array.from(secret);
        other[0] ^= 0x01;
        const otherSet = await makeShareSet(other, { entropyBits: 128, n, m, setId: set.setId });
        const collector = collectorFor(otherSet, false);
        // right set id, right shape — but the check value recorded for `set`
        const wrongRecord = new ShareCollector({ setId: set.setId, m, n, checkValue: set.checkValue });
        for (const position of order.slice(0, m)) {
          collector.add(otherSet.shares[position].text);
          wrongRecord.add(otherSet.shares[position].text);
        }
        await expect(wrongRecord.combine()).rejects.toBeInstanceOf(CheckValueMismatchError);
        expect(Buffer.from(await collector.combine()).equals(Buffer.from(other))).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  it('a mix of two sets under the same set id fails the check value (property)', async () => {
    await fc.assert(
      fc.asyncProperty(setShape, fc.nat(), async ({ n, m, secret, order }, pick) => {
        const a = await makeShareSet(secret, { entropyBits: secret.length * 8, n, m });
        const b = await makeShareSet(randomBytes(secret.length), { entropyBits: 128, n, m, setId: a.setId });
        const collector = collectorFor(a, false);
        const chosen = order.slice(0, m);
        const fromB = chosen[pick % m]; // one share of the quorum comes from the other set
        for (const position of chosen) {
          const result = collector.add((position === fromB ? b : a).shares[position].text);
          if (!result.accepted) {
            // the foreign share may reuse an x coordinate already held: still refused, never combined
            expect(result.error.code).toBe(ShareErrorCode.InconsistentHeader);
            return;
          }
        }
        await expect(collector.combine()).rejects.toBeInstanceOf(CheckValueMismatchError);
      }),
      { numRuns: 40 },
    );
  });

  it('accepts a Node Buffer secret (as pkcs11js returns) and leaves the caller’s bytes untouched', async () => {
    const kek = randomBytes(32);
    const copy = Buffer.from(kek);
    const set = await makeShareSet(kek, { entropyBits: 128, n: 3, m: 2 });
    expect(kek.equals(copy)).toBe(true);
    const rebuilt = await combineShareTexts([set.shares[0].text, set.shares[2].text], { checkValue: set.checkValue });
    expect(Buffer.from(rebuilt).equals(kek)).toBe(true);
  });

  it('does not put the secret or share bytes into the share set beyond the texts', async () => {
    const kek = randomBytes(32);
    const set = await makeShareSet(kek, { entropyBits: 128, n: 3, m: 2 });
    const json = JSON.stringify(set);
    expect(json).not.toContain(kek.toString('hex'));
    for (const share of set.shares) {
      const bytesHex = Buffer.from(decodeShareText(share.text).bytes).toString('hex');
      expect(json).not.toContain(bytesHex);
    }
  });

  it('refuses to split a secret below 128 bits, or one whose strength is not stated, with the numbers', async () => {
    const eightDigits = new TextEncoder().encode('24681357');
    const weak = await makeShareSet(eightDigits, { entropyBits: 26, n: 3, m: 2 }).catch((e: unknown) => e);
    expect(weak).toBeInstanceOf(LowEntropySecretError);
    expect((weak as Error).message).toContain('26 bits');
    expect((weak as Error).message).toContain('128');
    expect((weak as Error).message).not.toContain('24681357');
    // a claim beyond 8 bits per byte is impossible: 8 bytes can never hold 128 bits
    await expect(makeShareSet(eightDigits, { entropyBits: 256, n: 3, m: 2 })).rejects.toMatchObject({ code: ShareErrorCode.LowEntropySecret, entropyBits: 64 });
    await expect(makeShareSet(randomBytes(32), { entropyBits: Number.NaN, n: 3, m: 2 })).rejects.toBeInstanceOf(LowEntropySecretError);
    await expect(makeShareSet(randomBytes(32), { entropyBits: 127, n: 3, m: 2 })).rejects.toBeInstanceOf(LowEntropySecretError);
    await expect(makeShareSet(randomBytes(16), { entropyBits: 128, n: 3, m: 2 })).resolves.toMatchObject({ secretLength: 16 });
  });

  it('refuses impossible splits', async () => {
    await expect(makeShareSet(randomBytes(32), { entropyBits: 128, n: 3, m: 4 })).rejects.toThrow(RangeError);
    await expect(makeShareSet(randomBytes(32), { entropyBits: 128, n: 1, m: 1 })).rejects.toThrow(RangeError);
    await expect(makeShareSet(randomBytes(MAX_SECRET_BYTES + 1), { entropyBits: 128, n: 3, m: 2 })).rejects.toThrow(RangeError);
    await expect(makeShareSet(new Uint8Array(0), { entropyBits: 128, n: 3, m: 2 })).rejects.toThrow(RangeError);
  });
});
