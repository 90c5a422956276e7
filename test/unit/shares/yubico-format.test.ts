import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ShareErrorCode,
  YubicoShareCollector,
  YubicoShareKind,
  checkShareText,
  combineGf256x11d,
  decodeYubicoShare,
  parseYubicoWrapKeyRecord,
} from '../../../main/shares';
import { capabilityMask, WRAP_KEY_DESIGN } from '../../../main/ceremony/actions/yubihsm';

// Shares written by Yubico's tools (FORMAT.md §7). The arithmetic of yubihsm-setup's rusty_secrets 0.0.2 is checked
// against that crate's own test vectors (tests/test_vectors.rs at tag 0.0.2); the 52-byte wrap-key vectors are ours,
// made by test/fixtures/yubihsm/make-yubico-shares.ts from our reading of Yubico's sources.

const vectors = JSON.parse(readFileSync('test/fixtures/yubihsm/yubico-shares.json', 'utf8')) as {
  record: { id: number; domains: number; keyHex: string; recordHex: string };
  setup: { threshold: number; shares: string[] };
  manager: { threshold: number; shares: string[] };
};

const b64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));

function rebuild(texts: string[], threshold = 2): Promise<Uint8Array> {
  const c = new YubicoShareCollector({ threshold });
  for (const t of texts) {
    const r = c.add(t);
    if (!r.accepted) throw r.error;
  }
  return c.combine();
}

describe('rusty_secrets 0.0.2 arithmetic (GF(2^8) mod 0x11D), against the crate’s own vectors', () => {
  it('recovers "My secret\\n" from shares 1 and 4 (test_recover_sellibitze)', () => {
    const secret = combineGf256x11d([1, 4], [b64('1YAYwmOHqZ69jA'), b64('F7rAjX3UOa53KA')]);
    expect(Buffer.from(secret).toString()).toBe('My secret\n');
    // and from shares 2 and 5 of the same set (test_recover_sellibitze_more_than_threshold_shars)
    expect(Buffer.from(combineGf256x11d([2, 5], [b64('YJZQDGm22Y77Gw'), b64('j0P4PHsw4lW+rg')])).toString()).toBe('My secret\n');
  });

  it('recovers the 64-byte sentence from five shares (test_recover_es_test_vectors)', () => {
    const shares: Array<[number, string]> = [
      [1, 'DbuicpLQiCf7bVWiAz8eCpQGpdZmYQ7z2j2+g351tWFLOQPTZkXY8BYfwGGGjkOoz1g9x0ScmLFcWk+2tign'],
      [2, 'nShdfkY5+SlfybMyqjHXCZ01bq5N/0Lkf0nQZw5x3bnHIEVfa0RA4YcJ4SjG/UdpgO/gOcyLRkSp2Dwf8bvw'],
      [3, 'qEhJ3IVEdbDkiRoy+jOJ/KuGE9jWyGeOYEcDwPfEV8E9rfD1Bc17BQAbJ51Xd8oexS2M1qMvNgJHZUQZbUgQ'],
      [6, 'yyVPUeaYPPiWK0wIV5OQ/t61V0lSEO+7X++EWeHRlIq3sRBNwUpKNfx/C+Vc9xTzUftrqBKvkWDZQal7nyi2'],
      [7, 'i8iL6bVf272B3qIjp0QqSny6AIm+DkP7oQjkVVLvx9EMhlvd4HJOxPpmtNF/RjA/zz21d7DY/B//saOPpBQa'],
    ];
    const secret = combineGf256x11d(
      shares.map(([x]) => x),
      shares.map(([, y]) => b64(y)),
    );
    expect(Buffer.from(secret).toString()).toBe('The immoral cannot be made moral through the use of secret law.');
  });
});

describe('Yubico wrap-key shares as typed from paper', () => {
  it.each([
    ['yubihsm-setup', vectors.setup.shares],
    ['yubihsm-manager', vectors.manager.shares],
  ])('%s: any two of the three rebuild the wrap-key record', async (kind, shares) => {
    for (const pair of [
      [0, 1],
      [0, 2],
      [2, 1],
    ]) {
      const secret = await rebuild(pair.map((i) => shares[i]));
      expect(Buffer.from(secret).toString('hex')).toBe(vectors.record.recordHex);
      const record = parseYubicoWrapKeyRecord(secret)!;
      expect(record).toMatchObject({ id: 100, domains: 1, capabilities: capabilityMask('export-wrapped', 'import-wrapped') });
      expect(record.delegatedCapabilities).toBe(capabilityMask(...WRAP_KEY_DESIGN.delegated));
      expect(Buffer.from(record.key).toString('hex')).toBe(vectors.record.keyHex);
    }
    expect(decodeYubicoShare(shares[0]).kind).toBe(kind);
  });

  it('reads a share written with spaces and line breaks as printed', async () => {
    const spaced = vectors.setup.shares[0].replace(/(.{10})/g, '$1 ').replace(/-/g, ' - ');
    expect((await rebuild([spaced, vectors.setup.shares[2]])).length).toBe(52);
  });

  it('refuses what the form shows is mistyped, each with its own sentence and no share characters', () => {
    const share = vectors.setup.shares[1];
    const cases: Array<[string, ShareErrorCode, RegExp]> = [
      [share.slice(0, -2) + share.slice(-1), ShareErrorCode.MalformedShare, /70 characters .* this one has 69/],
      [share.slice(0, 20) + '*' + share.slice(21), ShareErrorCode.ChecksumError, /Character 17 after the second dash/],
      [share.slice(0, -1) + 'B', ShareErrorCode.ChecksumError, /last character cannot end/],
      ['hello', ShareErrorCode.NotAShare, /not a share in Yubico/],
      [`0-1-${share.slice(4)}`, ShareErrorCode.MalformedShare, /threshold/],
      [vectors.manager.shares[0].slice(0, 50) + 'g' + vectors.manager.shares[0].slice(51), ShareErrorCode.ChecksumError, /not a hexadecimal digit/],
    ];
    for (const [text, code, message] of cases) {
      const c = new YubicoShareCollector({ threshold: 2, kind: text.length > 90 ? YubicoShareKind.Manager : undefined });
      const r = c.add(text);
      expect(r.accepted, text).toBe(false);
      if (r.accepted) continue;
      expect(r.error.code).toBe(code);
      expect(r.error.message).toMatch(message);
      expect(r.error.message).not.toContain(share.slice(4, 12));
    }
  });

  it('refuses a share of another threshold, the same share twice, and too few shares', async () => {
    const c = new YubicoShareCollector({ threshold: 3 });
    expect(c.add(vectors.setup.shares[0])).toMatchObject({ accepted: false, error: { code: ShareErrorCode.InconsistentHeader } });
    const two = new YubicoShareCollector({ threshold: 2 });
    expect(two.add(vectors.setup.shares[0]).accepted).toBe(true);
    expect(two.add(vectors.setup.shares[0])).toMatchObject({ accepted: false, error: { code: ShareErrorCode.DuplicateShare } });
    await expect(two.combine()).rejects.toMatchObject({ code: ShareErrorCode.TooFewShares });
    // a manager share does not join yubihsm-setup shares
    expect(two.add(vectors.manager.shares[1]).accepted).toBe(false);
  });

  it('a substitution the form cannot see rebuilds another record (the backups then refuse it)', async () => {
    const share = vectors.setup.shares[0];
    const typo = share.slice(0, 30) + (share[30] === 'A' ? 'B' : 'A') + share.slice(31);
    const secret = await rebuild([typo, vectors.setup.shares[1]]);
    expect(Buffer.from(secret).toString('hex')).not.toBe(vectors.record.recordHex);
  });

  it('custodian share check recognises a Yubico share and says what it cannot check', () => {
    expect(checkShareText(vectors.setup.shares[2])).toMatchObject({ ok: true, format: 'yubihsm-setup', index: 3, m: 2, secretLength: 52 });
    expect(checkShareText(vectors.manager.shares[0])).toMatchObject({ ok: true, format: 'yubihsm-manager', index: 1, m: 2 });
    expect(checkShareText(vectors.setup.shares[2].slice(0, -1) + 'B')).toMatchObject({ ok: false, code: ShareErrorCode.ChecksumError });
  });
});
