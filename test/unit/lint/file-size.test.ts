// No file of ours over 400 lines: code, styles, scripts and tests alike (a longer one is split where its parts
// separate). Generated and installed trees (node_modules, out, test-results) are not ours.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../fixtures/harness/cli';

const LIMIT = 400;
const ROOTS = ['main', 'native', 'preload', 'renderer', 'scripts', 'test', 'bin', '.ci'];
// YAML too: the ceremony templates and their answers examples are read by people before the day
const OURS = /\.(ts|tsx|js|mjs|cjs|css|html|c|h|sh|ya?ml)$|^run$/;
const NOT_OURS = new Set(['node_modules', 'out', 'test-results']);

function filesUnder(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((e) => {
    if (NOT_OURS.has(e.name)) return [];
    const full = join(dir, e.name);
    return e.isDirectory() ? filesUnder(full) : OURS.test(e.name) ? [full] : [];
  });
}

/** Each file over the limit, as `path: N lines`. */
export function overLimit(files: Array<{ path: string; text: string }>, limit = LIMIT): string[] {
  return files
    .map(({ path, text }) => ({ path, lines: text.split('\n').length - (text.endsWith('\n') ? 1 : 0) }))
    .filter((f) => f.lines > limit)
    .map((f) => `${f.path}: ${f.lines} lines`);
}

describe('file size', () => {
  it(`no file of ours is over ${LIMIT} lines`, () => {
    const files = ROOTS.flatMap((r) => filesUnder(join(ROOT, r))).map((full) => ({ path: relative(ROOT, full), text: readFileSync(full, 'utf8') }));
    expect(files.length).toBeGreaterThan(300);
    expect(files.filter((f) => f.path.startsWith('main/ceremony/templates/') && f.path.endsWith('.yaml')).length).toBeGreaterThan(30);
    expect(overLimit(files)).toEqual([]);
  });

  it('a planted file of 401 lines is named; one of 400 is not', () => {
    const lines = (n: number) => 'x\n'.repeat(n);
    expect(
      overLimit([
        { path: 'main/x/long.ts', text: lines(401) },
        { path: 'main/x/fine.ts', text: lines(400) },
        { path: 'main/ceremony/templates/long.yaml', text: lines(401) },
      ]),
    ).toEqual(['main/x/long.ts: 401 lines', 'main/ceremony/templates/long.yaml: 401 lines']);
    expect(OURS.test('key-rotation.yaml') && OURS.test('ci.yml')).toBe(true);
  });
});
