import { existsSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT } from '../../fixtures/harness';
import { execCliSync, runCli } from '../../fixtures/harness';

// The one test that starts the real command (bin/custodian.js: the built bundle, rebuilt when a source is newer);
// the others call the CLI's main in this process.
const cli = (...args: string[]) => runCli(args);

describe('custodian templates / template', () => {
  it('lists every built-in template', async () => {
    // NODE_DEBUG=esm names each module the run loads: the list comes from the small templates chunk and the catalogue
    // beside the bundle, not from the ceremony code (the YAML parser, zod, the engine: megabytes)
    const out = execCliSync(['templates'], { entry: 'bin', env: { NODE_DEBUG: 'esm' } });
    expect(out.status, out.stderr).toBe(0);
    const loaded = [...new Set([...out.stderr.matchAll(/Translating StandardModule (file:\S+\/out\/node\/[^\s/]+\.js)/g)].map((m) => fileURLToPath(m[1])))];
    expect(loaded.map((f) => basename(f))).toContain('custodian.js');
    expect(loaded.some((f) => basename(f).startsWith('templates-'))).toBe(true);
    const bytes = loaded.reduce((sum, f) => sum + statSync(f).size, 0);
    expect(bytes, loaded.map((f) => `${basename(f)} ${statSync(f).size}`).join(', ')).toBeLessThan(64 * 1024);
    // and it is the full parser's list, to the character (in this process, from source, no catalogue is beside it)
    const parsed = await cli('templates');
    expect(parsed.status).toBe(0);
    expect(out.stdout).toBe(parsed.stdout);
    // every template file in the folder, each named on a line of its own (the folder, not the code's list of names)
    const files = readdirSync(join(ROOT, 'main', 'ceremony', 'templates')).filter((f) => f.endsWith('.yaml') && !f.endsWith('.answers.yaml'));
    expect(files.length).toBeGreaterThan(8);
    const listed = out.stdout.split('\n').map((line) => line.split(' ')[0]);
    expect([...listed.filter(Boolean)].sort()).toEqual(files.map((f) => f.replace(/\.yaml$/, '')).sort());
  });

  it('prints a script for the parameters given: one reveal step per custodian', async () => {
    const reveals = (text: string) => (parse(text) as { steps: Array<{ kind: string }> }).steps.filter((s) => s.kind === 'reveal').length;
    const four = await cli('template', 'backup', '--param', 'custodians=4', '--param', 'threshold=2');
    expect(four.status, four.stderr).toBe(0);
    expect(reveals(four.stdout)).toBe(4);
    const seven = await cli('template', 'backup', '--param=custodians=7', '--param=threshold=4');
    expect(reveals(seven.stdout)).toBe(7);
  });

  it('refuses a malformed --param and an unknown template with a sentence', async () => {
    const bad = await cli('template', 'backup', '--param', 'custodians');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--param needs name=value');
    const unknown = await cli('template', 'no-such-ceremony');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('No template called "no-such-ceremony"');
  });
});

describe('custodian run --rehearsal with a Chromium endpoint', () => {
  it('refuses one off this machine before any step runs, and writes nothing', async () => {
    const home = mkdtempSync(join(tmpdir(), 'custodian-endpoint-'));
    const script = join(home, 'demo.yaml');
    const answers = join(home, 'answers.yaml');
    writeFileSync(script, (await cli('template', 'dry-run-demo')).stdout);
    writeFileSync(answers, (await cli('template', 'dry-run-demo', '--answers-example')).stdout);
    const out = join(home, 'out');
    const run = await runCli(['run', script, '--answers', answers, '--out', out, '--rehearsal'], {
      CUSTODIAN_HOME: home,
      CUSTODIAN_CHROMIUM_ENDPOINT: 'ws://10.0.0.5:40123/abc',
    });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('CUSTODIAN_CHROMIUM_ENDPOINT must be a ws:// address on this machine');
    expect(existsSync(out)).toBe(false);
    expect(existsSync(join(home, 'rehearsal'))).toBe(false); // not even the rehearsal token was made
  });
});
