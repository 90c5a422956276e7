import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { launchHeadlessChromium } from '../../main/hosts/browser';
import { livingChildren, openBrowserHost, tempHome } from '../fixtures/harness';

const children = livingChildren;

const chromium = process.env.CUSTODIAN_CHROMIUM;
afterEach(() => {
  if (chromium === undefined) delete process.env.CUSTODIAN_CHROMIUM;
  else process.env.CUSTODIAN_CHROMIUM = chromium;
});

// The window and the services start side by side; when one half fails, the other is stopped again.
describe('a browser host start that fails leaves nothing running', () => {
  it('services that cannot start (an invalid settings file): the error is theirs, and the Chromium launched early is closed', async () => {
    const home = tempHome('host-start-settings');
    writeFileSync(join(home, 'settings.json'), JSON.stringify({ modules: 'not a list' }));
    const before = children();
    const launching = launchHeadlessChromium();
    await expect(openBrowserHost(home, { launching })).rejects.toMatchObject({ code: 'SettingsInvalid' });
    expect((await launching).isConnected()).toBe(false);
    for (let i = 0; i < 50 && children().length > before.length; i++) await new Promise((r) => setTimeout(r, 100));
    expect(children()).toEqual(before);
  });

  it('a window that cannot open (a "Chromium" that is not one): the error is the browser’s, and the device host is stopped', async () => {
    const home = tempHome('host-start-window');
    process.env.CUSTODIAN_CHROMIUM = '/bin/false';
    const before = children();
    const failure = await openBrowserHost(home).then(
      () => null,
      (error: Error) => error,
    );
    expect(failure?.message).toMatch(/launch/i);
    for (let i = 0; i < 50 && children().length > before.length; i++) await new Promise((r) => setTimeout(r, 100));
    expect(children()).toEqual(before);
  });
});
