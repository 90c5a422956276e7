// The staleness check every `npx custodian` and `npm start` makes (scripts/build.js): a build is stale as soon as
// anything under its sources is newer than it — a file edited in place deep down, a file added or one deleted.
import { lutimesSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newestMtime } from '../../../scripts/build.js';

const at = (seconds: number) => new Date(seconds * 1000);

describe('newestMtime', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'custodian-stale-'));
    mkdirSync(join(root, 'a', 'b', 'c'), { recursive: true });
    for (const file of ['top.ts', 'a/one.ts', 'a/b/c/deep.ts']) writeFileSync(join(root, file), 'x');
    // everything at t=1000 s, folders included
    for (const path of ['top.ts', 'a/one.ts', 'a/b/c/deep.ts', 'a/b/c', 'a/b', 'a', '.']) utimesSync(join(root, path), at(1000), at(1000));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('is the newest of every file and folder below the path', () => {
    expect(newestMtime(root)).toBe(1000_000);
    utimesSync(join(root, 'a/b/c/deep.ts'), at(1000), at(2000)); // edited in place: only the file's own mtime moves
    expect(statSync(join(root, 'a/b/c')).mtimeMs).toBe(1000_000);
    expect(newestMtime(root)).toBe(2000_000);
    expect(newestMtime(join(root, 'a/b/c/deep.ts'))).toBe(2000_000); // a file on its own
  });

  it('sees a file added or deleted (its folder changes)', () => {
    writeFileSync(join(root, 'a/b/new.ts'), 'y');
    utimesSync(join(root, 'a/b/new.ts'), at(500), at(500)); // even one carrying an old mtime (copied, extracted)
    expect(newestMtime(root)).toBeGreaterThan(1000_000);
    utimesSync(join(root, 'a/b'), at(1000), at(1000));
    rmSync(join(root, 'a/b/new.ts'));
    expect(newestMtime(root)).toBeGreaterThan(1000_000);
  });

  it('follows a linked folder, and an absent path counts as nothing', () => {
    const outside = mkdtempSync(join(tmpdir(), 'custodian-stale-linked-'));
    try {
      writeFileSync(join(outside, 'linked.ts'), 'z');
      utimesSync(join(outside, 'linked.ts'), at(3000), at(3000));
      utimesSync(outside, at(1000), at(1000));
      symlinkSync(outside, join(root, 'a', 'link'));
      lutimesSync(join(root, 'a', 'link'), at(1000), at(1000));
      utimesSync(join(root, 'a'), at(1000), at(1000));
      expect(newestMtime(root)).toBe(3000_000); // only the file behind the link is newer
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
    expect(newestMtime(join(root, 'no-such-folder'))).toBe(0);
  });
});
