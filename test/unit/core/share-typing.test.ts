import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkShareAsTyped } from '../../../main/ipc/share-typing';
import { makeShareSet } from '../../../main/shares';

/** Replaces the character at `at` (0-based, after "cshare1") by another one a card can carry. */
function typo(text: string, at: number): string {
  const data = text.slice('cshare1'.length);
  const wrong = data[at] === 'q' ? 'p' : 'q';
  return `cshare1${data.slice(0, at)}${wrong}${data.slice(at + 1)}`;
}

describe('a share checked while it is typed', () => {
  it('says a whole, correct share reads correctly, in any grouping', async () => {
    const set = await makeShareSet(randomBytes(32), { n: 3, m: 2, entropyBits: 256 });
    const check = checkShareAsTyped(set.shares[1].grouped.toUpperCase());
    expect(check).toMatchObject({ ok: true, complete: true, suspiciousGroups: [] });
    expect(check.summary).toContain('share 2 of 3');
  });

  it('waits while the share is still being typed, and names at once a group holding a character no card carries', async () => {
    const set = await makeShareSet(randomBytes(32), { n: 3, m: 2, entropyBits: 256 });
    const groups = set.shares[0].groups;
    const partial = checkShareAsTyped(`cshare1 ${groups.slice(0, 5).join(' ')}`);
    expect(partial).toMatchObject({ ok: false, complete: false, suspiciousGroups: [], groupsTyped: 5 });
    const misread = [...groups.slice(0, 6)];
    misread[3] = `${misread[3].slice(0, 3)}b`;
    expect(checkShareAsTyped(`cshare1 ${misread.join(' ')}`)).toMatchObject({ ok: false, complete: false, suspiciousGroups: [4] });
    expect(checkShareAsTyped('cshxre1')).toMatchObject({ ok: false, complete: false });
  });

  it('names the group to re-read when one character of a whole share is wrong', async () => {
    const set = await makeShareSet(randomBytes(32), { n: 3, m: 2, entropyBits: 256 });
    const text = set.shares[2].text;
    for (const at of [0, 17, 40]) {
      const check = checkShareAsTyped(typo(text, at));
      expect(check).toMatchObject({ ok: false, complete: true });
      expect(check.suspiciousGroups).toContain(Math.floor(at / 4) + 1);
    }
  });

  it('lets a share written by Yubico’s tools through once its form reads, saying what it cannot check', () => {
    const yubico = (JSON.parse(readFileSync('test/fixtures/yubihsm/yubico-shares.json', 'utf8')) as { setup: { shares: string[] } }).setup.shares[0];
    expect(checkShareAsTyped(yubico)).toMatchObject({ ok: true, complete: true });
    expect(checkShareAsTyped(yubico).summary).toMatch(/no checksum/);
    expect(checkShareAsTyped(yubico.slice(0, 40))).toMatchObject({ ok: false, complete: false });
  });
});
