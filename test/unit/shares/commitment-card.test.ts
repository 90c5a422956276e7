import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  checkShareText,
  decodeShareText,
  identifyBadShares,
  makeShareCard,
  makeShareSet,
  normalizeSetId,
  shareSetRecord,
  ShareErrorCode,
  verifyShareCommitment,
} from '../../../main/shares';

// The commitment as FORMAT.md specifies it, written out again here so the test checks the spec, not the code.
function specCommitment(setId: string, index: number, shareBytes: Uint8Array): string {
  return createHash('sha256')
    .update(
      Buffer.concat([
        Buffer.from('custodian share commitment v1', 'ascii'),
        Buffer.of(0),
        Buffer.from(setId.replace(/-/g, ''), 'hex'),
        Buffer.of(index),
        shareBytes,
      ]),
    )
    .digest('hex');
}

describe('share commitments', () => {
  it('follow the documented construction', async () => {
    const set = await makeShareSet(randomBytes(32), { entropyBits: 128, n: 4, m: 2 });
    for (const share of set.shares) {
      const decoded = decodeShareText(share.text);
      expect(share.commitment).toBe(specCommitment(set.setId, share.index, decoded.bytes));
      expect(verifyShareCommitment(decoded, set.shares)).toBe('match');
    }
    expect(new Set(set.shares.map((s) => s.commitment)).size).toBe(4);
  });

  it('identifyBadShares names the forged and the unreadable card and passes the good ones', async () => {
    const set = await makeShareSet(randomBytes(32), { entropyBits: 128, n: 5, m: 3 });
    const record = shareSetRecord(set);
    const forged = await makeShareSet(randomBytes(32), { entropyBits: 128, n: 5, m: 3, setId: set.setId });
    const typo = set.shares[4].text.slice(0, -1) + (set.shares[4].text.endsWith('q') ? 'p' : 'q');
    const bad = identifyBadShares([set.shares[0].text, forged.shares[1].text, set.shares[2].grouped, typo], record.commitments);
    expect(bad).toEqual([
      { position: 1, index: 2, problem: 'mismatch' },
      { position: 3, index: null, problem: 'unreadable', message: expect.stringContaining('typo') },
    ]);
    const partial = identifyBadShares([set.shares[0].text], record.commitments.slice(1));
    expect(partial).toEqual([{ position: 0, index: 1, problem: 'not-recorded' }]);
    expect(
      identifyBadShares(
        set.shares.map((s) => s.text),
        record.commitments,
      ),
    ).toEqual([]);
  });

  it('the journal record of a set holds no share text', async () => {
    const set = await makeShareSet(randomBytes(32), { entropyBits: 128, n: 3, m: 2 });
    const json = JSON.stringify(shareSetRecord(set));
    for (const share of set.shares) expect(json).not.toContain(share.text.slice(7, 30));
    expect(JSON.parse(json)).toMatchObject({ setId: set.setId, n: 3, m: 2, secretLength: 32, checkValue: set.checkValue });
  });
});

describe('custodian share check', () => {
  it('tells a custodian alone that the card reads correctly', async () => {
    const set = await makeShareSet(randomBytes(32), { entropyBits: 128, n: 5, m: 3 });
    const result = checkShareText(set.shares[3].grouped.toUpperCase().replace(/ /g, '-'));
    expect(result).toMatchObject({ ok: true, formatVersion: 1, setId: set.setId, index: 4, n: 5, m: 3, secretLength: 32 });
    expect(result.summary).toContain(`share 4 of 5 (any 3 restore) from set ${set.setId}`);
  });

  it('says what is wrong without throwing', async () => {
    const set = await makeShareSet(randomBytes(16), { entropyBits: 128, n: 3, m: 2 });
    const text = set.shares[0].text;
    const typo = text.slice(0, 12) + (text[12] === 'x' ? 'y' : 'x') + text.slice(13);
    const result = checkShareText(typo);
    expect(result).toMatchObject({ ok: false, code: ShareErrorCode.ChecksumError, suspiciousGroups: [2] });
    expect(result.summary).toContain('Group 2');
    expect(checkShareText('not a share')).toMatchObject({ ok: false, code: ShareErrorCode.NotAShare });
  });
});

describe('share card data', () => {
  it('carries everything the printed card shows, with the QR payload the same share', async () => {
    const set = await makeShareSet(randomBytes(32), { entropyBits: 128, n: 5, m: 3 });
    const card = makeShareCard(set, 2, { ceremonyId: 'CER-2025-001', custodianName: 'Ada Lovelace', date: new Date('2025-03-04T10:00:00Z') });
    expect(card).toMatchObject({
      ceremonyId: 'CER-2025-001',
      setId: set.setId,
      index: 2,
      n: 5,
      m: 3,
      caption: 'Share 2 of 5 — any 3 of the 5 shares restore the secret',
      groupedText: set.shares[1].grouped,
      checkValue: set.checkValue,
      checkValueText: `AES-KCV ${set.checkValue.value}`,
      commitment: set.shares[1].commitment,
      date: '2025-03-04',
      custodianName: 'Ada Lovelace',
      formatVersion: 1,
    });
    expect(decodeShareText(card.qrPayload).index).toBe(2);
    expect(card.qrPayload).toMatch(/^[0-9A-Z]+$/); // QR alphanumeric mode
    expect(normalizeSetId(card.setId.toUpperCase())).toBe(set.setId);
    expect(() => makeShareCard(set, 6, { ceremonyId: 'x', custodianName: 'y', date: '2025-01-01' })).toThrow(RangeError);
  });
});
