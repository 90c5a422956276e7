// The layers of ARCHITECTURE.md, checked over the source tree's import graph (test/unit/lint/import-graph.ts):
// no import circles; across areas only an area's index.ts (or the IPC and print contracts in preload/); preload/print is
// the print layer, importing nothing of ours outside it, and main and preload import nothing from renderer/; the
// Electron glue imports nothing from the hosts; every folder has an index.ts. Each rule fails on a planted violation.
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../fixtures/harness/cli';
import { deepImports, foldersWithoutIndex, importCycles, importEdges, layerRules, readSourceTree, type SourceFile } from './import-graph';

const tree = readSourceTree(ROOT);
const edges = importEdges(tree);
const planted = (...files: Array<[string, string]>): SourceFile[] => files.map(([path, text]) => ({ path, text }));

describe('import circles', () => {
  it('there are none, type-only imports included', () => {
    expect(importCycles(edges).map((c) => c.join(' → '))).toEqual([]);
  });

  it('a planted circle of two files, and one of three through a type import, are found', () => {
    const two = planted(['main/x/a.ts', "import { b } from './b';\nexport const a = b;"], ['main/x/b.ts', "import { a } from './a';\nexport const b = a;"]);
    expect(importCycles(importEdges(two))).toEqual([['main/x/a.ts', 'main/x/b.ts', 'main/x/a.ts']]);
    const three = planted(
      ['main/x/a.ts', "export { b } from './b';"],
      ['main/x/b.ts', "import type { C } from '../y/c';\nexport const b = 1 as unknown as C;"],
      ['main/y/c.ts', "import { a } from '../x/a';\nexport type C = typeof a;"],
    );
    expect(importCycles(importEdges(three))).toHaveLength(1);
  });
});

describe('imports across areas go through the area’s index.ts', () => {
  it('holds for the tree', () => {
    expect(deepImports(edges).map((v) => v.message)).toEqual([]);
  });

  it('a planted deep import fails, saying exactly what to import instead', () => {
    const files = planted(
      ['main/ceremony/actions/k.ts', "import { Pkcs11Client } from '../../devices/pkcs11-client';\nexport const k = Pkcs11Client;"],
      ['main/devices/pkcs11-client.ts', 'export class Pkcs11Client {}'],
      ['main/devices/index.ts', "export { Pkcs11Client } from './pkcs11-client';"],
    );
    const [violation, ...rest] = deepImports(importEdges(files));
    expect(rest).toEqual([]);
    expect(violation.message).toContain("imports '../../devices/pkcs11-client'");
    expect(violation.message).toContain("import from '../../devices' (main/devices/index.ts) instead");
    // through the index, or inside its own area, is fine
    const fine = planted(
      ['main/ceremony/actions/k.ts', "import { Pkcs11Client } from '../../devices';\nimport { j } from '../engine/j';\nexport const k = [Pkcs11Client, j];"],
      ['main/ceremony/engine/j.ts', 'export const j = 1;'],
      ['main/devices/index.ts', 'export class Pkcs11Client {}'],
    );
    expect(deepImports(importEdges(fine))).toEqual([]);
  });
});

describe('the print layer and the Electron glue', () => {
  it('hold for the tree', () => {
    expect(layerRules(edges).map((v) => v.message)).toEqual([]);
  });

  it('a planted import of a screen from preload/print fails', () => {
    const files = planted(
      ['preload/print/Card.tsx', "import { Home } from '../../renderer/screens/Home';\nexport const C = Home;"],
      ['renderer/screens/Home.tsx', 'export const Home = 1;'],
    );
    expect(layerRules(importEdges(files)).map((v) => v.rule)).toEqual(['print-layer', 'main-renderer']);
  });

  it('a planted import from main, or preload, into renderer/ fails, its index too; preload/print is fine', () => {
    const files = planted(
      ['main/transcript/t.ts', "import { D } from '../../renderer/components';\nimport type { M } from '../../preload/print';\nexport type T = [M, typeof D];"],
      ['preload/m.ts', "import { D } from '../renderer/components/index';\nexport const m = D;"],
      ['preload/print/index.ts', 'export type M = 1;'],
      ['renderer/components/index.ts', 'export const D = 1;'],
    );
    expect(layerRules(importEdges(files)).map((v) => `${v.rule}:${v.file}:${v.line}`)).toEqual([
      'main-renderer:main/transcript/t.ts:1',
      'main-renderer:preload/m.ts:1',
    ]);
  });

  it('a planted import of the browser host from main/app fails', () => {
    const files = planted(
      ['main/app/p.ts', "import { x } from '../hosts/browser';\nexport const p = x;"],
      ['main/hosts/browser/index.ts', 'export const x = 1;'],
    );
    expect(layerRules(importEdges(files)).map((v) => v.rule)).toEqual(['electron-glue']);
  });
});

describe('every folder has an index.ts', () => {
  it('holds for the tree', () => {
    expect(foldersWithoutIndex(tree)).toEqual([]);
  });

  it('a planted folder without one is named', () => {
    expect(foldersWithoutIndex(planted(['main/x/a.ts', ''], ['main/y/index.ts', ''], ['main/y/b.ts', '']))).toEqual(['main/x']);
  });
});

/** Classes in main/, preload/ and renderer/ that extend Error itself: only main/errors' CustodianError may. */
function errorBasesBesidesCustodianError(files: SourceFile[]): string[] {
  const found: string[] = [];
  for (const f of files) {
    if (!/^(main|preload|renderer)\//.test(f.path) || f.path === 'main/errors/index.ts') continue;
    for (const m of f.text.matchAll(/class\s+(\w+)(?:<[^>]*>)?\s+extends\s+Error\b/g)) found.push(`${f.path}: ${m[1]}`);
  }
  return found;
}

describe('one base error class', () => {
  it('every error of main, preload and the renderer extends CustodianError (main/errors), none Error itself', () => {
    expect(errorBasesBesidesCustodianError(tree)).toEqual([]);
  });

  it('a planted error class extending Error is named', () => {
    expect(
      errorBasesBesidesCustodianError(
        planted(['main/x/errors.ts', 'export class OddError extends Error {}'], ['main/y/errors.ts', 'export class FineError extends CustodianError {}']),
      ),
    ).toEqual(['main/x/errors.ts: OddError']);
  });
});
