import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filesContaining } from '../../fixtures/harness';
import { makeSoftHsm, type SoftHsm } from '../../fixtures/softhsm';
import { cliArgv, ROOT } from '../../fixtures/harness';

// `custodian run` on a real device (a SoftHSM2 token Custodian did not make, behind a module configured as a
// vendor's): each secret is asked on the terminal, naming who types it, and never echoed; without a terminal the run
// is refused with that reason; --rehearsal on it is refused before the first step. Driven through a pseudo-terminal.

const exec = promisify(execFile);
const PIN = '31415926';

const SCRIPT = (module: string) =>
  stringify({
    metadata: { id: 'real-login', title: 'Real login' },
    roles: { administrator: {}, witnesses: { count: 1 } },
    devices: [{ id: 'hsm', type: 'pkcs11', description: 'The vault token', module, token: { label: 'Vault Token' } }],
    steps: [
      {
        id: 'login',
        kind: 'action',
        title: 'Log in',
        action: 'pkcs11.login',
        device: 'hsm',
        params: { user: 'USER' },
        inputs: { from: 'administrator', fields: [{ name: 'pin', label: 'User PIN', type: 'text', secret: true, minLength: 4 }] },
      },
      { id: 'status', kind: 'action', title: 'Token status', action: 'pkcs11.token-status', device: 'hsm' },
      { id: 'logout', kind: 'action', title: 'Log out', action: 'pkcs11.logout', device: 'hsm', params: { user: 'USER' } },
    ],
  });

// a real ceremony with a reveal: a secret made on the day is shown to custodian 2 alone, on the terminal
const REVEAL_SCRIPT = (module: string) =>
  stringify({
    metadata: { id: 'real-reveal', title: 'Real reveal' },
    roles: { administrator: {}, custodians: { count: 2, threshold: 2 }, witnesses: { count: 1 } },
    devices: [{ id: 'hsm', type: 'pkcs11', description: 'The vault token', module, token: { label: 'Vault Token' } }],
    steps: [
      { id: 'status', kind: 'action', title: 'Token status', action: 'pkcs11.token-status', device: 'hsm' },
      { id: 'make-secret', kind: 'action', title: 'Make a secret', action: 'demo.make-rehearsal-secret' },
      {
        id: 'reveal-secret',
        kind: 'reveal',
        title: 'Custodian 2 receives the secret',
        text: 'Everyone except custodian 2 looks away.',
        secret: { step: 'make-secret', key: 'secret' },
        to: 'custodian-2',
      },
    ],
  });

const ANSWERS = stringify({
  checkIns: [
    { participant: 'administrator', name: 'Ada Admin', identityCheck: 'Passport checked', checkedBy: 'witness-1' },
    { participant: 'witness-1', name: 'Wendy Witness', identityCheck: 'Passport checked', checkedBy: 'administrator' },
  ],
});

describe('custodian run of a real ceremony at a terminal', () => {
  let vault: SoftHsm;
  let home: string;
  let work: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    vault = await makeSoftHsm();
    await vault.initToken('Vault Token', '87654321', PIN);
    const module = join(vault.dir, 'vendor-pkcs11.so');
    copyFileSync(vault.module, module);
    home = mkdtempSync(join(tmpdir(), 'custodian-cli-real-'));
    work = mkdtempSync(join(tmpdir(), 'custodian-cli-work-'));
    writeFileSync(
      join(home, 'settings.json'),
      JSON.stringify({ version: 1, modules: [{ path: module, name: 'Vendor' }], yubihsmConnectors: [], rehearsalPinsAcknowledged: false }),
    );
    writeFileSync(join(work, 'script.yaml'), SCRIPT(module));
    writeFileSync(join(work, 'answers.yaml'), ANSWERS);
    env = { ...process.env, CUSTODIAN_HOME: home, SOFTHSM2_CONF: vault.conf };
  }, 60_000);
  afterAll(async () => {
    await vault?.cleanup();
  });

  const run = (out: string, extra: string[] = []) =>
    cliArgv(['run', join(work, 'script.yaml'), '--answers', join(work, 'answers.yaml'), '--out', out, ...extra]);

  it('asks the PIN on the terminal, naming who types it, without echo, and completes', async () => {
    const out = join(work, 'run-tty');
    const { stdout } = await exec(
      'python3',
      [join(ROOT, 'test/integration/rehearsal/at-terminal.py'), JSON.stringify(run(out)), JSON.stringify([['Administrator (Ada Admin) types: User PIN', PIN]])],
      {
        cwd: ROOT,
        env,
        maxBuffer: 1 << 24,
      },
    );
    expect(stdout).toContain('Mode: real ceremony');
    expect(stdout).toContain('Administrator (Ada Admin) types: User PIN (not shown as you type)');
    expect(stdout).toMatch(/: completed/);
    expect(stdout).not.toContain(PIN);
    expect(readFileSync(join(out, 'journal.jsonl'), 'utf8')).toContain('"mode":"real"');
    expect(filesContaining(out, [PIN])).toEqual([]);
  }, 240_000);

  it('shows a reveal to its holder alone on the terminal, after the others look away, then wipes the screen; without a terminal it refuses before showing', async () => {
    const module = join(vault.dir, 'vendor-pkcs11.so');
    writeFileSync(join(work, 'reveal.yaml'), REVEAL_SCRIPT(module));
    writeFileSync(
      join(work, 'reveal-answers.yaml'),
      stringify({
        checkIns: [
          { participant: 'administrator', name: 'Ada Admin', identityCheck: 'Passport checked', checkedBy: 'witness-1' },
          { participant: 'custodian-1', name: 'Carl One', identityCheck: 'Passport checked', checkedBy: 'administrator' },
          { participant: 'custodian-2', name: 'Bob Ng', identityCheck: 'Passport checked', checkedBy: 'administrator' },
          { participant: 'witness-1', name: 'Wendy Witness', identityCheck: 'Passport checked', checkedBy: 'administrator' },
        ],
      }),
    );
    const args = (out: string) => {
      const a = run(out);
      a[a.indexOf(join(work, 'script.yaml'))] = join(work, 'reveal.yaml');
      a[a.indexOf(join(work, 'answers.yaml'))] = join(work, 'reveal-answers.yaml');
      return a;
    };
    const out = join(work, 'run-reveal');
    const { stdout } = await exec(
      'python3',
      [
        join(ROOT, 'test/integration/rehearsal/at-terminal.py'),
        JSON.stringify(args(out)),
        JSON.stringify([
          ['Custodian 2 (Bob Ng): press Enter to show the secret', ''],
          ['then press Enter', ''],
        ]),
      ],
      { cwd: ROOT, env, maxBuffer: 1 << 24 },
    ).catch((e: { code: number; stdout: string; stderr: string }) => ({ stdout: `exit ${e.code}\n${e.stdout}${e.stderr}` }));
    expect(stdout).toContain('Custodian 2 (Bob Ng) alone at the screen: everyone else looks away.');
    expect(stdout).toMatch(/: completed/);
    // the secret shown is the one the journal committed to, and the screen and its scrollback are wiped after it
    const shown = /show the secret[^\n]*\n\s*\n\s+([0-9a-f ]{39})\s*\n/.exec(stdout)?.[1];
    expect(shown, stdout).toMatch(/^[0-9a-f]{4}( [0-9a-f]{4}){7}$/);
    const journal = readFileSync(join(out, 'journal.jsonl'), 'utf8');
    const commitment = /"rehearsalSecretCommitment":"([0-9a-f]{64})"/.exec(journal)![1];
    expect(
      createHash('sha256')
        .update(Buffer.from(shown!.replace(/ /g, ''), 'hex'))
        .digest('hex'),
    ).toBe(commitment);
    expect(stdout.indexOf('\x1b[3J')).toBeGreaterThan(stdout.indexOf(shown!));
    expect(journal).toContain('"reveal.shown"');
    expect(filesContaining(out, [shown!.replace(/ /g, ''), shown!])).toEqual([]);

    // no terminal: the reveal is refused before it runs, and nothing is shown or lost
    const failed = await exec(process.execPath, args(join(work, 'run-reveal-no-tty')).slice(1), { cwd: ROOT, env }).catch(
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    expect((failed as { code?: number }).code).toBe(1);
    expect(`${failed.stdout}${failed.stderr}`).toMatch(
      /the secret of step "reveal-secret" is shown to its holder alone, on a screen, and standard input is not a terminal/,
    );
  }, 240_000);

  it('refuses without a terminal, saying so, and takes no secret from the answers file', async () => {
    const failed = await exec(process.execPath, run(join(work, 'run-no-tty')).slice(1), { cwd: ROOT, env }).catch(
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    expect((failed as { code?: number }).code).toBe(1);
    expect(`${failed.stdout}${failed.stderr}`).toContain('standard input is not a terminal');
  }, 240_000);

  it('refuses --rehearsal on a real device before the first step, naming it', async () => {
    writeFileSync(
      join(work, 'rehearsal-answers.yaml'),
      // the public answers of the real run (check-ins, confirmations), with the PIN in the file as a rehearsal has it
      stringify({
        ...(parse(readFileSync(join(work, 'answers.yaml'), 'utf8')) as Record<string, unknown>),
        rehearsal: true,
        steps: { login: { input: { by: 'administrator', values: { pin: PIN } } } },
      }),
    );
    const args = run(join(work, 'run-rehearsal'), ['--rehearsal']).slice(1);
    args[args.indexOf(join(work, 'answers.yaml'))] = join(work, 'rehearsal-answers.yaml');
    const failed = await exec(process.execPath, args, { cwd: ROOT, env }).catch((e: { code: number; stdout: string; stderr: string }) => e);
    expect((failed as { code?: number }).code).toBe(1);
    expect(`${failed.stdout}${failed.stderr}`).toMatch(/runs only on rehearsal devices, and token “Vault Token” .* is a real device/);
  }, 240_000);
});
