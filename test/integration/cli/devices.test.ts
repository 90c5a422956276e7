import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execCliSync, runTool } from '../../fixtures/harness';
import { buildStandin } from '../../fixtures/pkcs11-standin/build';
import { makeSoftHsm, SOFTHSM2_MODULE, type SoftHsm } from '../../fixtures/softhsm';

/** `custodian devices` names what it learned of each module: random bytes and objects before login, id and label sizes. */
describe('custodian devices: what each module does before login', () => {
  let softhsm: SoftHsm;
  let home: string;
  let standin: string;

  beforeAll(async () => {
    softhsm = await makeSoftHsm();
    await softhsm.initToken('Devices Test', '12345678', '1234');
    // one wrong user PIN: SoftHSM2 then sets CKF_USER_PIN_COUNT_LOW; Yubico's module reports no PIN counter at all
    await runTool('pkcs11-tool', ['--module', SOFTHSM2_MODULE, '--token-label', 'Devices Test', '--login', '--pin', '9999', '--list-objects'], softhsm.env);
    standin = await buildStandin();
    home = mkdtempSync(join(tmpdir(), 'custodian-devices-'));
    const modules = [
      { path: SOFTHSM2_MODULE, name: 'SoftHSM2' },
      { path: standin, name: 'Stand-in' },
    ];
    writeFileSync(join(home, 'settings.json'), JSON.stringify({ version: 1, modules, yubihsmConnectors: [], rehearsalPinsAcknowledged: false }));
  }, 60_000);
  afterAll(async () => {
    await softhsm?.cleanup();
  });

  const devices = (...args: string[]) => execCliSync(['devices', ...args], { env: softhsm.env, home, timeout: 120_000 });

  it('says, per module, whether random bytes and objects are available before login, and the id and label sizes it holds', () => {
    const out = devices();
    expect(out.status, out.stderr).toBe(0);
    // one section per module, each starting with its name two spaces in
    const sections = out.stdout.split(/\n(?= {2}\S)/);
    const softhsmPart = sections.find((p) => p.startsWith('  SoftHSM2'))!;
    const standinPart = sections.find((p) => p.startsWith('  Stand-in'))!;
    expect(softhsmPart).toContain('random bytes before login: allowed');
    expect(softhsmPart).toContain('objects before login: visible');
    expect(softhsmPart).toContain('key ids of any size held by the key');
    expect(standinPart).toContain('Yubico (www.yubico.com)');
    expect(standinPart).toContain('random bytes before login: refused');
    expect(standinPart).toContain('objects before login: hidden');
    expect(standinPart).toContain('2-byte key ids held by the key; other sizes kept in a separate meta object');
    expect(standinPart).toContain('at most 40 bytes');
    expect(standinPart).toContain('token and PIN administration: not offered');
  });

  // yubihsm-shell 2.8.0 pkcs11/yubihsm_pkcs11.c:652-744 (C_GetTokenInfo): model "YubiHSM", flags RNG, LOGIN_REQUIRED,
  // USER_PIN_INITIALIZED, TOKEN_INITIALIZED only, PIN 8..64, no counters
  it('shows the token as Yubico’s module gives it: model YubiHSM, PIN length 8 to 64 from the token, no PIN counter it does not report', () => {
    const out = devices();
    expect(out.status, out.stderr).toBe(0);
    const line = (name: string) =>
      out.stdout
        .split(/\n(?= {2}\S)/)
        .find((p) => p.startsWith(`  ${name}`))!
        .split('\n')
        .find((l) => l.includes('token "Devices Test"'))!;
    expect(line('SoftHSM2')).toContain('user PIN count low');
    expect(line('Stand-in')).toMatch(/Yubico \(www\.yubico\.com\) YubiHSM {2}serial \S+ {2}\(initialised, user PIN ok, SO PIN ok\)/);
    const snapshot = JSON.parse(devices('--json').stdout) as {
      modules: Array<{
        name: string;
        tokens: Array<{ label: string; model: string; pinLength: unknown; userPin: Record<string, boolean>; soPin: Record<string, boolean> }>;
      }>;
    };
    const token = snapshot.modules.find((m) => m.name.startsWith('Stand-in'))!.tokens.find((t) => t.label === 'Devices Test')!;
    expect(token).toMatchObject({ model: 'YubiHSM', pinLength: { min: 8, max: 64 } });
    expect(Object.values(token.userPin).some(Boolean) || Object.values(token.soPin).some(Boolean)).toBe(false);
    expect(JSON.stringify(token)).not.toMatch(/triesLeft/);
  });

  it('gives the same in --json, per token', () => {
    const out = devices('--json');
    expect(out.status, out.stderr).toBe(0);
    const snapshot = JSON.parse(out.stdout) as { modules: Array<{ name: string; tokens: Array<{ label: string; learned: Record<string, unknown> | null }> }> };
    const learned = (name: string) => snapshot.modules.find((m) => m.name.startsWith(name))!.tokens.find((t) => t.label === 'Devices Test')!.learned;
    expect(learned('SoftHSM2')).toMatchObject({ randomBeforeLogin: 'allowed', objectsBeforeLogin: 'visible', preferredIdBytes: 8 });
    expect(learned('Stand-in')).toMatchObject({ randomBeforeLogin: 'refused', objectsBeforeLogin: 'hidden', idSizes: { nativeBytes: 2 }, labelMaxBytes: 40 });
  });
});
