// Issue 24 item 5 on screen: devices as a person sees them. The rehearsal store's free (uninitialised) slot — which
// SoftHSM2's own tool lists — is no REAL token on Home or in `custodian devices`, at most "free slot of the rehearsal
// store"; and a ceremony on the SoftHSM2 token alone prints only that token among its devices, though the YubiHSM
// simulator was present (Home lists it) the whole time.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { execCli, screenshotPath, tempHome, useBrowserHost } from '../fixtures/harness';
import { driveCeremony } from './ceremony-driver';
import { ADMIN_AND_WITNESS, keyGenerationInputs, startKeyGeneration } from './keygen-room';

/** The rehearsal store's slots as SoftHSM2's own tool lists them: label and whether initialised. */
function softhsmSlots(conf: string): Array<{ label: string; initialized: boolean }> {
  const out = execFileSync('softhsm2-util', ['--show-slots'], { env: { ...process.env, SOFTHSM2_CONF: conf }, encoding: 'utf8' });
  return out
    .split(/\nSlot /)
    .slice(1)
    .map((slot) => ({ label: /Label:\s*(.*)/.exec(slot)?.[1].trim() ?? '', initialized: /Initialized:\s*yes/.test(slot) }));
}

describe('devices as a person sees them, in Chromium', () => {
  const browser = useBrowserHost('devices-shown');

  it('shows no free slot of the rehearsal store as a REAL token, on Home and in `custodian devices`', async () => {
    const { host, home } = browser;
    const { page } = host;
    const slots = softhsmSlots(host.context.rehearsal!.softhsmConf);
    // SoftHSM2 always keeps a free slot beside the rehearsal token: the case this is about is there
    expect(slots.filter((s) => !s.initialized).length).toBeGreaterThan(0);
    expect(slots.filter((s) => s.initialized).map((s) => s.label)).toEqual(['Custodian Rehearsal']);

    const modules = page.locator('[data-testid="modules-panel"]');
    await modules.locator('[data-testid="token"]').first().waitFor({ timeout: 30_000 });
    await page.locator('[data-testid="yubihsm-list"] li').first().waitFor({ timeout: 30_000 });
    await page.screenshot({ path: screenshotPath('e2e-devices-shown-home'), fullPage: true });
    // one card per initialised token, each REHEARSAL; nothing in the panel says REAL or "(no label)"
    const cards = await modules.locator('[data-testid="token"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-label')));
    expect(cards).toEqual(['Custodian Rehearsal']);
    expect(await modules.locator('[data-testid="token-mode"]').allInnerTexts()).toEqual(['REHEARSAL']);
    const panel = await modules.innerText();
    expect(panel).not.toMatch(/\bREAL\b/);
    expect(panel).not.toContain('(no label)');
    expect(await modules.locator('[data-testid="free-slot"]').innerText()).toMatch(/^Free slot of the rehearsal store\b/);

    // the CLI, as its own process on a home of its own (the browser host holds this one)
    const cliHome = tempHome('devices-cli');
    const cli = await execCli(['devices'], { home: cliHome });
    expect(cli.status, cli.stderr).toBe(0);
    expect(softhsmSlots(join(cliHome, 'rehearsal', 'softhsm2.conf')).some((s) => !s.initialized)).toBe(true);
    expect(cli.stdout).toContain('free slot of the rehearsal store');
    expect(cli.stdout).toMatch(/REHEARSAL token "Custodian Rehearsal"/);
    expect(cli.stdout).not.toMatch(/REAL token/);
    expect(home).not.toBe(cliHome);
  });

  it('prints only the SoftHSM2 token among the devices of a ceremony that used it alone, not the simulator that was present', async () => {
    const { host, home } = browser;
    const { page } = host;
    // the simulator is present: Home lists it
    await page.getByRole('button', { name: 'Devices' }).click();
    const simulator = page.locator('[data-testid="yubihsm-list"] li', { hasText: 'simulator' });
    await simulator.first().waitFor({ timeout: 30_000 });

    await startKeyGeneration(page);
    const result = await driveCeremony(page, {
      checkIns: ADMIN_AND_WITNESS,
      inputs: keyGenerationInputs(host.context.rehearsal!.pins.user, tempHome('medium')),
    });
    expect(result.status).toBe('completed');
    const id = (await page.getAttribute('[data-testid="ceremony"]', 'data-ceremony'))!;
    const dir = join(home, 'ceremonies', id);

    // the journal: the simulator was among the devices present, the ceremony's devices are the token alone
    const opened = JSON.parse(readFileSync(join(dir, 'journal.jsonl'), 'utf8').split('\n')[0]).data as {
      devices: Array<{ kind: string }>;
      ceremonyDevices: Array<{ kind: string; description: string }>;
    };
    expect(opened.devices.map((d) => d.kind)).toContain('yubihsm');
    expect(opened.ceremonyDevices.map((d) => d.kind)).toEqual(['pkcs11']);
    expect(opened.ceremonyDevices[0].description).toContain('Custodian Rehearsal');
    // the screen's device line says the same
    expect(await page.locator('[data-testid="ceremony-mode"]').innerText()).not.toMatch(/YubiHSM|simulator/);

    // the transcript: its devices are the token; the simulator (or any YubiHSM) is nowhere among them
    await page.getByRole('button', { name: 'Print the transcript (PDF)' }).click();
    await page.locator('[data-testid="transcript-pdf"]').waitFor({ timeout: 60_000 });
    const printed = execFileSync('pdftotext', ['-layout', join(dir, 'transcript.pdf'), '-'], { encoding: 'utf8' });
    const flat = printed.replace(/\s+/g, ' ');
    expect(flat).toContain('Devices hsm: rehearsal device: token “Custodian Rehearsal”');
    // (every page's REHEARSAL notice names both kinds of rehearsal hardware; that is not a device of the ceremony)
    const notice = 'REHEARSAL — this ceremony was made on rehearsal hardware (SoftHSM2 or the YubiHSM simulator).';
    expect(flat).toContain(notice);
    expect(flat.split(notice).join(' ')).not.toMatch(/simulator|YubiHSM|Yubico/i);
  });
});
