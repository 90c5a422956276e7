import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { livingChildren } from '../../fixtures/harness';
import { startPipeBrowserHost } from '../../../main/hosts/browser';
import { startHostChromium } from '../../../main/hosts/browser/chromium';

const children = livingChildren;

async function settled(before: string[]): Promise<string[]> {
  for (let i = 0; i < 50 && children().length > before.length; i++) await new Promise((r) => setTimeout(r, 100));
  return children();
}

const chromium = process.env.CUSTODIAN_CHROMIUM;
afterEach(() => {
  if (chromium === undefined) delete process.env.CUSTODIAN_CHROMIUM;
  else process.env.CUSTODIAN_CHROMIUM = chromium;
});

// The pipe transport's start, as npm start makes it: when one half fails, the other is stopped again.
describe('a pipe browser host start that fails leaves nothing running', () => {
  it('services that cannot start: their error, and the Chromium launched first is stopped with its profile removed', async () => {
    const home = mkdtempSync(join(tmpdir(), 'custodian-pipe-fail-'));
    writeFileSync(join(home, 'settings.json'), JSON.stringify({ modules: 'not a list' }));
    const before = children();
    const launching = startHostChromium(true);
    await expect(startPipeBrowserHost({ dataDir: home, headless: true, launching })).rejects.toMatchObject({ code: 'SettingsInvalid' });
    expect(existsSync(launching.profile)).toBe(false);
    expect(await settled(before)).toEqual(before);
  });

  it('a "Chromium" that is not one: the cause names it, and the device host is stopped', async () => {
    process.env.CUSTODIAN_CHROMIUM = '/bin/false';
    const before = children();
    const failure = await startPipeBrowserHost({ dataDir: mkdtempSync(join(tmpdir(), 'custodian-pipe-fail-')), headless: true }).then(
      () => null,
      (error: Error) => error,
    );
    expect(failure?.message).toMatch(/Chromium did not launch \(\/bin\/false\)/);
    expect(await settled(before)).toEqual(before);
  });

  it('no Chromium at the path: one sentence with what to do', async () => {
    process.env.CUSTODIAN_CHROMIUM = '/nonexistent/chromium';
    await expect(startPipeBrowserHost({ dataDir: mkdtempSync(join(tmpdir(), 'custodian-pipe-fail-')), headless: true })).rejects.toMatchObject({
      code: 'ChromiumMissing',
    });
  });
});
