import { existsSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ceremony, getTemplate } from '../../../main/ceremony';
import type { AppContext } from '../../../main/ipc/app-context';
import { contextFor, fakeLp, journalLines, rehearsalOnly, servicesOf } from './world';

// A device the script names that cannot be reached when the ceremony is made is not Custodian's own rehearsal store
// or simulator, so it counts as real (a real ceremony: the air gap applies), never as "no device, practice only";
// a library that is not a PKCS#11 module is refused before anything is made, in its own words. Found through
// Yubico's module (native/pkcs11/YUBICO-MODULE.md: a non-PKCS#11 library and a silent connector ran as REHEARSAL).

const temp = (prefix: string) => mkdtempSync(join(tmpdir(), `custodian-${prefix}-`));
const NOT_PKCS11 = '/usr/lib/x86_64-linux-gnu/libz.so.1';

/** A loopback port nobody listens on: taken, then given back. */
async function silentPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

let context: AppContext;
let connector: string;
const home = temp('unreached');
beforeAll(async () => {
  [context, connector] = await Promise.all([contextFor(home, fakeLp().path), silentPort().then((port) => `http://127.0.0.1:${port}`)]);
}, 60_000);
afterAll(() => context?.close());

describe('devices a script names that cannot be reached when the ceremony is made', () => {
  it('makes a ceremony on a connector nobody answers a real one, saying why, not a rehearsal', async () => {
    const dir = join(home, 'ceremonies', 'silent-connector');
    await Ceremony.create(getTemplate('yubihsm-inventory', { device: connector })!.text, { device: connector }, dir, { services: servicesOf(context) });
    const opened = journalLines(dir)[0].data as { mode: string; rehearsal: boolean; ceremonyDevices: Array<Record<string, unknown>> };
    expect(opened.mode).toBe('real');
    expect(opened.rehearsal).toBe(false);
    expect(opened.ceremonyDevices).toEqual([
      expect.objectContaining({
        rehearsal: false,
        description: `the YubiHSM 2 at ${connector}`,
        reason: expect.stringMatching(/^it could not be reached \(.+\); .* counts as real$/),
      }),
    ]);
  }, 60_000);

  it('refuses a rehearsal-only script on that connector before anything is made', async () => {
    const dir = join(home, 'ceremonies', 'silent-connector-rehearsal');
    const text = rehearsalOnly(getTemplate('yubihsm-inventory', { device: connector })!.text);
    await expect(Ceremony.create(text, { device: connector }, dir, { services: servicesOf(context) })).rejects.toMatchObject({
      code: 'RealDeviceInRehearsal',
    });
    expect(existsSync(join(dir, 'journal.jsonl'))).toBe(false);
  }, 60_000);

  it('refuses a script whose module is not a PKCS#11 library before anything is made, naming why', async () => {
    const dir = join(home, 'ceremonies', 'not-pkcs11');
    const parameters = { label: 'unreached-root', algorithm: 'EC-P256', policy: 'signing' };
    const text = getTemplate('key-generation', parameters)!.text.replace(/module: default/, `module: ${NOT_PKCS11}`);
    expect(text).toContain(NOT_PKCS11);
    await expect(Ceremony.create(text, parameters, dir, { services: servicesOf(context) })).rejects.toMatchObject({
      code: 'DeviceUnusable',
      message: expect.stringMatching(/is a shared library but not a PKCS#11 module \(it has no C_GetFunctionList\).*Nothing was started\.$/),
    });
    expect(existsSync(join(dir, 'journal.jsonl'))).toBe(false);
  }, 60_000);
});
