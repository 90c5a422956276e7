import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BrowserHost } from '../../main/hosts/browser';
import { serveSimulator } from '../../native/yubihsm';
import { execCliSync, openBrowserHost, screenshotPath, spawnApp, tempHome } from '../fixtures/harness';

function softhsmSerials(home: string): string[] {
  // Independent of Custodian: ask SoftHSM2's own tool which tokens live in the rehearsal token store.
  const out = execFileSync('softhsm2-util', ['--show-slots'], {
    env: { ...process.env, SOFTHSM2_CONF: join(home, 'rehearsal', 'softhsm2.conf') },
    encoding: 'utf8',
  });
  return [...out.matchAll(/Serial number:\s+(\S+)/g)].map((m) => m[1]);
}

describe('Home screen', () => {
  it('npm start (browser host, headless) shows the rehearsal token with its flags, through the real device host', async () => {
    const home = tempHome('start');
    const ready = join(home, 'ready.json');
    const { said, exited } = spawnApp('npm', home, { CUSTODIAN_READY_FILE: ready, CUSTODIAN_EXIT_WHEN_READY: '1' });
    const code = await exited;
    const output = said.out + said.err;
    expect(code, output).toBe(0);
    expect(output).toContain('starting Custodian in the browser host');

    const report = JSON.parse(readFileSync(ready, 'utf8')) as { text: string; hostPid: number; pid: number };
    copyFileSync(`${ready}.png`, screenshotPath('e2e-home'));
    expect(report.hostPid).not.toBe(report.pid);
    expect(report.text).toContain('REHEARSAL');
    expect(report.text).toContain('Custodian Rehearsal');
    expect(report.text).toContain('SoftHSM project');
    expect(report.text).toContain('Initialised');
    expect(report.text).toContain('Login required');
    expect(report.text).toContain('User PIN ok');
    expect(report.text).toContain('SO PIN ok');
    expect(report.text).toContain('USB unavailable');
    expect(report.text).toContain('Rehearsal token PINs');
    // SoftHSM2's free slot is no device: never "(no label) REAL", here or in `custodian devices`
    expect(report.text).toContain('Free slot of the rehearsal store');
    expect(report.text).not.toContain('(no label)');
    const cli = execCliSync(['devices'], { home, entry: 'bin' });
    expect(cli.status, cli.stderr).toBe(0);
    expect(cli.stdout).toContain('free slot of the rehearsal store');
    expect(cli.stdout).not.toMatch(/REAL token ""/);
    expect(cli.stdout).toMatch(/REHEARSAL token "Custodian Rehearsal"/);
    const serials = softhsmSerials(home).filter((s) => s && s !== '');
    expect(serials.length).toBeGreaterThan(0);
    expect(serials.some((s) => report.text.includes(s))).toBe(true);
  });
});

describe('Home screen under faults', () => {
  let host: BrowserHost | null = null;
  afterAll(async () => {
    await host?.close();
  });

  it('shows a module that is not PKCS#11 as an error in the panel while the rest works, and recovers from a killed device host', async () => {
    const home = tempHome('faults');
    host = await openBrowserHost(home);
    const { page } = host;
    await page.locator('[data-testid="token"]').first().waitFor();

    // A library that exists but is not PKCS#11, and a path that does not exist.
    await page.getByPlaceholder('/usr/lib/vendor/libpkcs11.so').fill('/no/such/libvendor.so');
    await page.getByRole('button', { name: 'Add module' }).click();
    await expect.poll(() => page.locator('.add-module .error').innerText()).toContain('No file at /no/such/libvendor.so');

    const notPkcs11 = execFileSync('sh', ['-c', 'ls /lib/x86_64-linux-gnu/libz.so.1 /usr/lib/x86_64-linux-gnu/libz.so.1 2>/dev/null | head -1'], {
      encoding: 'utf8',
    }).trim();
    await page.getByPlaceholder('/usr/lib/vendor/libpkcs11.so').fill(notPkcs11);
    await page.getByRole('button', { name: 'Add module' }).click();
    const bad = page.locator('[data-testid="module"][data-ok="false"]');
    await bad.waitFor();
    expect(await bad.locator('[data-testid="module-error"]').innerText()).toMatch(/PKCS#11/);

    // Remove it again: back to rehearsal with the token listed.
    await host.context.settings.update((s) => (s.modules = []));
    await host.context.devices.refresh();

    // Kill the device host: the panel says it is reconnecting, then the token is back by itself.
    const pid = host.context.deviceHost.getState().pid!;
    process.kill(pid, 'SIGKILL');
    await page.locator('[data-testid="host-banner"]').waitFor({ timeout: 10_000 });
    expect(await page.locator('[data-testid="host-banner"]').innerText()).toMatch(/reconnecting/);
    await page.locator('[data-testid="host-banner"]').waitFor({ state: 'detached', timeout: 20_000 });
    await page.locator('[data-testid="token"][data-label="Custodian Rehearsal"]').waitFor({ timeout: 20_000 });
    expect(host.context.deviceHost.getState().pid).not.toBe(pid);
    await page.screenshot({ path: screenshotPath('e2e-home-recovered'), fullPage: true });
  });

  it('lists a YubiHSM 2 behind a connector URL with its serial, firmware and audit-log usage, and refuses a non-loopback one', async () => {
    const { page } = host!;
    const simulator = await serveSimulator({ host: '127.0.0.1', port: 0 });
    try {
      const form = page.locator('form:has(input[name="connector"])');
      await form.locator('input[name="connector"]').fill('http://192.0.2.7:12345');
      await form.getByRole('button', { name: 'Add connector' }).click();
      await expect.poll(() => form.locator('.error').innerText()).toContain('only to a connector on this computer');

      await form.locator('input[name="connector"]').fill(simulator.url);
      await form.getByRole('button', { name: 'Add connector' }).click();
      const entry = page.locator('[data-testid="yubihsm-list"] li', { hasText: simulator.url });
      await entry.waitFor({ timeout: 20_000 });
      const text = await entry.innerText();
      expect(text).toContain(`serial ${simulator.simulator.serial}`);
      expect(text).toContain(`firmware ${simulator.simulator.firmware.join('.')}`);
      expect(text).toMatch(/audit log \d+ of 62 entries used/);
      await page.screenshot({ path: screenshotPath('e2e-home-yubihsm'), fullPage: true });
    } finally {
      await simulator.close();
    }
  });
});
