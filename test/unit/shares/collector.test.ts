import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  ChecksumError,
  CheckValueMismatchError,
  CommitmentMismatchError,
  decodeShareText,
  DuplicateShareError,
  encodeShareText,
  InconsistentHeaderError,
  isShareError,
  LowEntropySecretError,
  makeShareSet,
  ShareCollector,
  ShareErrorCode,
  TooFewSharesError,
  UnsupportedVersionError,
  WrongSetError,
  NotAShareError,
  MalformedShareError,
  type ShareAddResult,
  type ShareSet,
} from '../../../main/shares';

async function kekSet(): Promise<{ kek: Buffer; set: ShareSet }> {
  const kek = randomBytes(32);
  return { kek, set: await makeShareSet(kek, { entropyBits: 128, n: 5, m: 3 }) };
}

function collectorFor(set: ShareSet, extra: Partial<ConstructorParameters<typeof ShareCollector>[0]> = {}) {
  return new ShareCollector({
    setId: set.setId,
    m: set.m,
    n: set.n,
    checkValue: set.checkValue,
    commitments: set.shares,
    ...extra,
  });
}

function rejected(result: ShareAddResult) {
  if (result.accepted) throw new Error('expected the share to be refused');
  return result;
}

/** Messages must never carry share characters, share bytes or the secret. */
function expectNoSecretIn(message: string, set: ShareSet, kek: Uint8Array) {
  expect(message).not.toContain(Buffer.from(kek).toString('hex'));
  for (const share of set.shares) {
    const data = share.text.slice('cshare1'.length);
    // any 8 consecutive share characters (4-character windows would match ordinary words by chance)
    for (let at = 0; at + 8 <= data.length; at++) expect(message.toLowerCase()).not.toContain(data.slice(at, at + 8));
    expect(message).not.toContain(Buffer.from(decodeShareText(share.text).bytes).toString('hex'));
  }
}

describe('ShareCollector — each share checked as it is typed', () => {
  it('counts down to the quorum and rebuilds the KEK', async () => {
    const { kek, set } = await kekSet();
    const collector = collectorFor(set);
    expect(collector.add(set.shares[3].grouped)).toEqual({ accepted: true, index: 4, remaining: 2 });
    expect(collector.add(set.shares[0].text.toUpperCase())).toEqual({ accepted: true, index: 1, remaining: 1 });
    expect(collector.add(set.shares[1].grouped)).toEqual({ accepted: true, index: 2, remaining: 0 });
    expect(collector.acceptedIndices).toEqual([1, 2, 4]);
    expect(Buffer.from(await collector.combine()).equals(kek)).toBe(true);
  });

  it('ChecksumError: a typo is refused and the index is unknown', async () => {
    const { kek, set } = await kekSet();
    const text = set.shares[0].text;
    const typo = text.slice(0, 30) + (text[30] === 'q' ? 'p' : 'q') + text.slice(31);
    const result = rejected(collectorFor(set).add(typo));
    expect(result.error).toBeInstanceOf(ChecksumError);
    expect(result.error.code).toBe(ShareErrorCode.ChecksumError);
    expect(result.index).toBeNull();
    expect(result.error.message).toContain('typo');
    expect((result.error as ChecksumError).suspiciousGroups).toEqual([Math.floor((30 - 7) / 4) + 1]);
    expectNoSecretIn(result.error.message, set, kek);
  });

  it('WrongSet: names both sets', async () => {
    const { kek, set } = await kekSet();
    const other = await makeShareSet(randomBytes(32), { entropyBits: 128, n: 5, m: 3 });
    const result = rejected(collectorFor(set).add(other.shares[0].text));
    expect(result.error).toBeInstanceOf(WrongSetError);
    expect(result.error.code).toBe(ShareErrorCode.WrongSet);
    expect(result.error.message).toContain(other.setId);
    expect(result.error.message).toContain(set.setId);
    expectNoSecretIn(result.error.message, other, kek);
  });

  it('DuplicateShare: the same share twice counts once', async () => {
    const { kek, set } = await kekSet();
    const collector = collectorFor(set);
    collector.add(set.shares[2].text);
    const result = rejected(collector.add(set.shares[2].grouped));
    expect(result.error).toBeInstanceOf(DuplicateShareError);
    expect(result).toMatchObject({ index: 3, remaining: 2 });
    expect(result.error.message).toContain('Share 3');
    expectNoSecretIn(result.error.message, set, kek);
  });

  it('TooFewShares: combine before the quorum says how many are missing', async () => {
    const { set } = await kekSet();
    const collector = collectorFor(set);
    collector.add(set.shares[0].text);
    const error = await collector.combine().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TooFewSharesError);
    expect((error as Error).message).toBe('Need 3 shares to rebuild the secret, have 1.');
  });

  it('CommitmentMismatch: a share that is not what the journal recorded is named', async () => {
    const { kek, set } = await kekSet();
    // A well-formed share of the same set id and shape but different bytes: a forged or mis-printed card.
    const forged = await makeShareSet(randomBytes(32), { entropyBits: 128, n: 5, m: 3, setId: set.setId });
    const result = rejected(collectorFor(set).add(forged.shares[1].text));
    expect(result.error).toBeInstanceOf(CommitmentMismatchError);
    expect(result.error.code).toBe(ShareErrorCode.CommitmentMismatch);
    expect(result.index).toBe(2);
    expect(result.error.message).toContain('Share 2 does not match what was recorded');
    expectNoSecretIn(result.error.message, forged, kek);

    const withoutRecord = collectorFor(set, { commitments: set.shares.filter((s) => s.index !== 4) });
    const missing = rejected(withoutRecord.add(set.shares[3].text));
    expect(missing.error).toMatchObject({ code: ShareErrorCode.CommitmentMismatch, notRecorded: true });
  });

  it('CheckValueMismatch: a set rebuilt against the wrong record is stopped', async () => {
    const { kek, set } = await kekSet();
    const otherKek = randomBytes(32);
    const other = await makeShareSet(otherKek, { entropyBits: 128, n: 5, m: 3 });
    const collector = collectorFor(set, { commitments: undefined, checkValue: other.checkValue });
    for (const share of set.shares.slice(0, 3)) collector.add(share.text);
    const error = await collector.combine().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckValueMismatchError);
    expect((error as CheckValueMismatchError).code).toBe(ShareErrorCode.CheckValueMismatch);
    expect((error as Error).message).toContain(other.checkValue.value);
    expect((error as Error).message).not.toContain(set.checkValue.value);
    expectNoSecretIn((error as Error).message, set, kek);
  });

  it('InconsistentHeader: a share claiming another M of N, or another length, is refused', async () => {
    const { set } = await kekSet();
    const shaped = await makeShareSet(randomBytes(32), { entropyBits: 128, n: 5, m: 2, setId: set.setId });
    const result = rejected(collectorFor(set, { commitments: undefined }).add(shaped.shares[0].text));
    expect(result.error).toBeInstanceOf(InconsistentHeaderError);
    expect(result.error.message).toContain('any 2 of 5');

    const shorter = await makeShareSet(randomBytes(16), { entropyBits: 128, n: 5, m: 3, setId: set.setId });
    const collector = collectorFor(set, { commitments: undefined });
    collector.add(set.shares[0].text);
    expect(rejected(collector.add(shorter.shares[1].text)).error.code).toBe(ShareErrorCode.InconsistentHeader);
    const declared = collectorFor(set, { commitments: undefined, secretLength: 32 });
    expect(rejected(declared.add(shorter.shares[1].text)).error.code).toBe(ShareErrorCode.InconsistentHeader);
  });

  it('UnsupportedVersion, NotAShare and MalformedShare come back as refusals, not exceptions', async () => {
    const { set } = await kekSet();
    const collector = collectorFor(set);
    expect(rejected(collector.add('hello world')).error).toBeInstanceOf(NotAShareError);
    const { bech32m } = await import('@scure/base');
    const v2 = bech32m.encode('cshare', [2, ...bech32m.toWords(randomBytes(44))]);
    expect(rejected(collector.add(v2)).error).toBeInstanceOf(UnsupportedVersionError);
    const badHeader = bech32m.encode('cshare', [1, ...bech32m.toWords(Uint8Array.from([...randomBytes(8), 9, 5, 3, 1, 2]))]);
    expect(rejected(collector.add(badHeader)).error).toBeInstanceOf(MalformedShareError);
    expect(collector.remaining).toBe(3);
  });

  it('every error code is distinct and every error is a ShareError', () => {
    const errors = [
      new ChecksumError(),
      new NotAShareError(),
      new MalformedShareError('x'),
      new UnsupportedVersionError(9),
      new WrongSetError(1, 'a', 'b'),
      new InconsistentHeaderError(1, 'x'),
      new DuplicateShareError(1),
      new TooFewSharesError(3, 1),
      new CommitmentMismatchError(1),
      new CheckValueMismatchError('abcdef'),
      new LowEntropySecretError(26, 128, 'a check value'),
    ];
    expect(errors.every(isShareError)).toBe(true);
    expect(new Set(errors.map((e) => e.code)).size).toBe(errors.length);
    expect(new Set(errors.map((e) => e.message)).size).toBe(errors.length);
    expect(Object.values(ShareErrorCode)).toHaveLength(errors.length);
  });

  it('destroy() zeroes every held share and closes the collector', async () => {
    const { set } = await kekSet();
    const collector = collectorFor(set);
    collector.add(set.shares[0].text);
    collector.add(set.shares[1].text);
    // Reach into the private store only to prove the zeroing happens.
    const held = [...(collector as unknown as { held: Map<number, Uint8Array> }).held.values()];
    expect(held.some((bytes) => bytes.some((b) => b !== 0))).toBe(true);
    collector.destroy();
    expect(held.every((bytes) => bytes.every((b) => b === 0))).toBe(true);
    expect(() => collector.add(set.shares[2].text)).toThrow(/destroyed/);
  });

  it('a successful combine zeroes the shares it held; remove() drops one', async () => {
    const { kek, set } = await kekSet();
    const collector = collectorFor(set);
    for (const share of set.shares.slice(0, 4)) collector.add(share.text);
    expect(collector.remove(4)).toBe(true);
    expect(collector.remove(4)).toBe(false);
    const held = [...(collector as unknown as { held: Map<number, Uint8Array> }).held.values()];
    expect(held).toHaveLength(3);
    expect(Buffer.from(await collector.combine()).equals(kek)).toBe(true);
    expect(held.every((bytes) => bytes.every((b) => b === 0))).toBe(true);
  });

  it('refuses a share whose secret-sharing position repeats one already held', async () => {
    const { set } = await kekSet();
    const first = decodeShareText(set.shares[0].text);
    const clash = encodeShareText({ ...first, index: 2, bytes: first.bytes.map((b, i, all) => (i === all.length - 1 ? b : b ^ 1)) });
    const collector = collectorFor(set, { commitments: undefined });
    collector.add(set.shares[0].text);
    const result = rejected(collector.add(clash));
    expect(result.error.code).toBe(ShareErrorCode.InconsistentHeader);
    expect(result.error.message).toContain('share 1');
  });
});
