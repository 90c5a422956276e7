import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSoftHsm, type SoftHsm } from '../../fixtures/softhsm';
import { ROOT } from './world';

// The air gap at preflight: `custodian run` started in a network namespace of its own with a veth pair up (v0, v1)
// besides loopback. A real ceremony (a SoftHSM2 token behind a module configured as a vendor's) is refused before
// anything is written, naming the interfaces; with `network: allowed` and its acknowledgement step it runs; a
// rehearsal runs with a notice.

const exec = promisify(execFile);
const WITH_VETH = 'ip link set lo up && ip link add v0 type veth peer name v1 && ip link set v0 up && ip link set v1 up && exec "$0" "$@"';
const ACK = { id: 'network-acknowledged', kind: 'confirm', title: 'The network is up', quorum: { administrator: 1, witnesses: 1 } };
const SCRIPT = (metadata: Record<string, unknown>, devices: unknown[]) =>
  stringify({
    metadata: { id: 'air-gap', title: 'Air gap', ...metadata },
    roles: { administrator: {}, witnesses: { count: 1 } },
    devices,
    steps: [
      ACK,
      devices.length
        ? { id: 'status', kind: 'action', title: 'Token status', action: 'pkcs11.token-status', device: 'hsm' }
        : { id: 'hello', kind: 'announce', title: 'Hello', text: 'Hello' },
    ],
  });
const ANSWERS = (more: Record<string, unknown> = {}) =>
  stringify({
    checkIns: [
      { participant: 'administrator', name: 'Ada Admin', identityCheck: 'Passport checked', checkedBy: 'witness-1' },
      { participant: 'witness-1', name: 'Wendy Witness', identityCheck: 'Passport checked', checkedBy: 'administrator' },
    ],
    steps: { 'network-acknowledged': { confirmations: ['administrator', 'witness-1'] }, ...more },
  });

describe('custodian run with a network interface up', () => {
  let vault: SoftHsm;
  let work: string;
  let env: NodeJS.ProcessEnv;
  let hsm: unknown;

  beforeAll(async () => {
    vault = await makeSoftHsm();
    await vault.initToken('Vault Token', '87654321', '31415926');
    const module = join(vault.dir, 'vendor-pkcs11.so');
    copyFileSync(vault.module, module);
    const home = mkdtempSync(join(tmpdir(), 'custodian-airgap-'));
    work = mkdtempSync(join(tmpdir(), 'custodian-airgap-work-'));
    writeFileSync(
      join(home, 'settings.json'),
      JSON.stringify({ version: 1, modules: [{ path: module, name: 'Vendor' }], yubihsmConnectors: [], rehearsalPinsAcknowledged: false }),
    );
    hsm = { id: 'hsm', type: 'pkcs11', description: 'The vault token', module, token: { label: 'Vault Token' } };
    env = { ...process.env, CUSTODIAN_HOME: home, SOFTHSM2_CONF: vault.conf };
  }, 60_000);
  afterAll(async () => {
    await vault?.cleanup();
  });

  async function run(name: string, script: string, extra: string[] = [], answers = ANSWERS()): Promise<{ code: number; out: string; dir: string }> {
    writeFileSync(join(work, `${name}.yaml`), script);
    writeFileSync(join(work, 'answers.yaml'), answers);
    const dir = join(work, name);
    const args = [join(ROOT, 'bin/custodian.js'), 'run', join(work, `${name}.yaml`), '--answers', join(work, 'answers.yaml'), '--out', dir, ...extra];
    try {
      const { stdout, stderr } = await exec('unshare', ['-rn', 'sh', '-c', WITH_VETH, process.execPath, ...args], { cwd: ROOT, env, maxBuffer: 1 << 24 });
      return { code: 0, out: stdout + stderr, dir };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, out: e.stdout + e.stderr, dir };
    }
  }

  it('refuses a real ceremony at preflight, naming the interfaces, and writes nothing', async () => {
    const r = await run('real', SCRIPT({}, [hsm]));
    expect(r.code, r.out).not.toBe(0);
    expect(r.out).toMatch(
      /Refused: this is a real ceremony and the machine is not air-gapped — network interfaces up: (v0, v1|v1, v0)\. .*nothing was written/,
    );
    expect(existsSync(r.dir)).toBe(false);
  }, 120_000);

  it('runs a real ceremony whose script allows the network, the administrator and a witness acknowledging it first', async () => {
    const r = await run('allowed', SCRIPT({ network: 'allowed' }, [hsm]));
    expect(r.out).toContain('Mode: real ceremony');
    expect(r.out).toMatch(/: completed/);
    expect(readFileSync(join(r.dir, 'journal.jsonl'), 'utf8')).toMatch(/"stepId":"network-acknowledged"/);
  }, 240_000);

  it('runs a rehearsal with a notice naming the interfaces', async () => {
    const r = await run('rehearsal', SCRIPT({ rehearsal: true }, []), ['--rehearsal'], ANSWERS({ hello: { confirmations: ['administrator'] } }));
    expect(r.out).toMatch(/Notice: not air-gapped \(up: (v0, v1|v1, v0)\); a rehearsal runs anyway, a real ceremony would be refused\./);
    expect(r.out).toMatch(/: completed/);
  }, 240_000);
});
