import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument, visit } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ensureRehearsalToken } from '../../../main/devices/rehearsal';
import { runCli } from '../../fixtures/harness';
import { tempDir } from '../keygen/harness';

// Every template's --answers-example as printed: each placeholder it leaves for the operator (REPLACE-WITH-… or
// <…>) is a quoted YAML string, so whatever is typed over it (digits for a PIN) stays text. Then the example is filled
// the way a person does it, by typing over the placeholder in the text, and run in rehearsal to its end.

const cli = (home: string, ...args: string[]) => runCli(args, { CUSTODIAN_HOME: home });
const isPlaceholder = (text: string) => /REPLACE-WITH-|^<.*>$/.test(text);

describe('custodian template <name> --answers-example', () => {
  it('quotes every placeholder of every template', async () => {
    const home = await tempDir('answers-home');
    const listed = await cli(home, 'templates');
    const names = listed.stdout
      .split('\n')
      .map((l) => l.split(' ')[0])
      .filter(Boolean);
    expect(names.length).toBeGreaterThan(10);
    const unquoted: string[] = [];
    let placeholders = 0;
    for (const name of names) {
      const example = await cli(home, 'template', name, '--answers-example');
      expect(example.status, `${name}: ${example.stderr}`).toBe(0);
      visit(parseDocument(example.stdout), {
        Scalar(_key, node) {
          if (typeof node.value !== 'string' || !isPlaceholder(node.value)) return;
          placeholders++;
          if (node.type !== 'QUOTE_SINGLE' && node.type !== 'QUOTE_DOUBLE') unquoted.push(`${name}: ${node.value}`);
        },
      });
    }
    expect(placeholders).toBeGreaterThan(10);
    expect(unquoted).toEqual([]);
  });

  it('runs inventory to its end after typing the rehearsal PIN (digits) over its placeholder; unquoted digits are refused by name', async () => {
    const home = await tempDir('answers-run-home');
    const { pins } = await ensureRehearsalToken(home);
    expect(pins.user).toMatch(/^\d+$/);
    const work = await tempDir('answers-run-work');
    const script = await cli(home, 'template', 'inventory');
    writeFileSync(join(work, 'inventory.yaml'), script.stdout);
    const example = (await cli(home, 'template', 'inventory', '--answers-example')).stdout;
    expect(example).toContain("'REPLACE-WITH-THE-REHEARSAL-USER-PIN'");

    const run = async (answers: string, out: string) => {
      writeFileSync(join(work, `${out}.answers.yaml`), answers);
      return cli(home, 'run', join(work, 'inventory.yaml'), '--answers', join(work, `${out}.answers.yaml`), '--rehearsal', '--out', join(work, out));
    };
    const filled = await run(example.replaceAll('REPLACE-WITH-THE-REHEARSAL-USER-PIN', pins.user), 'filled');
    expect(filled.status, filled.stdout + filled.stderr).toBe(0);
    expect((await cli(home, 'verify', join(work, 'filled', 'journal.jsonl'))).status).toBe(0);

    // the old sign-subordinate form: digits with no quotes are a YAML number
    const bare = await run(example.replaceAll("'REPLACE-WITH-THE-REHEARSAL-USER-PIN'", pins.user), 'bare');
    expect(bare.status).not.toBe(0);
    const said = bare.stdout + bare.stderr;
    expect(said).toMatch(/\(pin\) must be text: in a script or answers file, put its value in quotes/);
    expect(said).not.toContain(pins.user);
  }, 120_000);
});
