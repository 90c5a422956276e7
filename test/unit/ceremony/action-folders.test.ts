// A step's `action:` name finds its code: README's table of action prefixes names the folder of main/ceremony/actions/
// that registers each prefix, and this test holds every registered action to it (the file calling register() must
// lie in that folder, and in no deeper folder the table gives another prefix), so the table cannot drift.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ActionRegistry } from '../../../main/ceremony/actions/registry';
import { ROOT } from '../../fixtures/harness/cli'; // cli alone: the harness's index loads the ceremony actions before the spy below

const ACTIONS = 'main/ceremony/actions/';

/** README's rows: each action prefix (`keygen.*`) with its folder under main/ceremony/actions/ (`pkcs11/keygen/`). */
export function prefixTable(readme: string): Map<string, string> {
  const table = new Map<string, string>();
  for (const line of readme.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 4 || !/^`\w+\.\*`/.test(cells[1])) continue;
    const folder = /^`([\w/-]+\/)`$/.exec(cells[2])?.[1];
    if (!folder) continue;
    for (const m of cells[1].matchAll(/`(\w+)\.\*`/g)) table.set(m[1], folder);
  }
  return table;
}

/** Each registered action whose registering file is not where the table says, as a sentence naming both. */
export function misplacedActions(table: Map<string, string>, registered: Array<{ name: string; file: string }>): string[] {
  const problems: string[] = [];
  for (const { name, file } of registered) {
    const prefix = name.split('.')[0];
    const folder = table.get(prefix);
    if (!folder) {
      problems.push(`${name}: README's action table has no row for ${prefix}.* (registered in ${file})`);
      continue;
    }
    const inside = file.startsWith(ACTIONS) ? file.slice(ACTIONS.length) : file;
    const deepest = [...table.values()].filter((f) => inside.startsWith(f)).sort((a, b) => b.length - a.length)[0];
    if (deepest !== folder) problems.push(`${name}: registered in ${file}, but README's table puts ${prefix}.* in ${ACTIONS}${folder}`);
  }
  return problems;
}

/** Every action the default registry holds, with the source file that registered it (from the call's stack). */
async function registrations(): Promise<Array<{ name: string; file: string }>> {
  const found: Array<{ name: string; file: string }> = [];
  const original = ActionRegistry.prototype.register;
  ActionRegistry.prototype.register = function (this: ActionRegistry, name, definition) {
    const frames = (new Error().stack ?? '').split('\n').slice(1);
    const frame = frames.find((f) => f.includes(`/${ACTIONS}`) && !f.includes(`/${ACTIONS}registry.ts`)) ?? '';
    const file = /(main\/ceremony\/actions\/[\w/.-]+\.ts)/.exec(frame)?.[1] ?? `(unknown caller: ${frame.trim()})`;
    found.push({ name, file });
    return original.call(this, name, definition);
  };
  try {
    await import('../../../main/ceremony/actions');
  } finally {
    ActionRegistry.prototype.register = original;
  }
  return found;
}

describe("README's table of action prefixes", () => {
  const table = prefixTable(readFileSync(join(ROOT, 'README.md'), 'utf8'));

  it('names a folder for every registered action, and the action is registered there', async () => {
    const registered = await registrations();
    expect(registered.length).toBeGreaterThan(60);
    expect(new Set(registered.map((r) => r.name.split('.')[0]))).toEqual(new Set(table.keys()));
    expect(misplacedActions(table, registered)).toEqual([]);
  });

  it('a planted action in the wrong folder, or with a prefix the table lacks, is named', () => {
    const planted = [
      { name: 'keygen.generate', file: `${ACTIONS}pkcs11/keygen/index.ts` },
      { name: 'pkcs11.login', file: `${ACTIONS}pkcs11/keygen/index.ts` },
      { name: 'shares.split', file: `${ACTIONS}pin/index.ts` },
      { name: 'odd.step', file: `${ACTIONS}demo/index.ts` },
    ];
    expect(misplacedActions(table, planted)).toEqual([
      `pkcs11.login: registered in ${ACTIONS}pkcs11/keygen/index.ts, but README's table puts pkcs11.* in ${ACTIONS}pkcs11/`,
      `shares.split: registered in ${ACTIONS}pin/index.ts, but README's table puts shares.* in ${ACTIONS}backup/shares/`,
      `odd.step: README's action table has no row for odd.* (registered in ${ACTIONS}demo/index.ts)`,
    ]);
  });
});
