// Issue 24 item 3 on screen: with a network interface up besides loopback, a REAL ceremony (a YubiHSM behind a
// connector URL: a real device by the project's rule) is refused when it is started, on screen, naming the
// interfaces, and nothing is written; a script that allows the network runs once the administrator and a witness
// have acknowledged it on screen in its first step (journaled); a rehearsal shows a notice and runs.
//
// The interfaces: a veth pair (v0, v1) made up inside the loopback-only network namespace npm test runs vitest in
// (`unshare -n`), deleted after. Outside such a namespace the pair would go on the machine's own network, so the
// file is skipped there, and when not root or without `ip`.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserHost } from '../../main/hosts/browser';
import { Ceremony } from '../../main/ceremony';
import { serveSimulator, type SimulatorServer } from '../../native/yubihsm';
import { ceremonyServices, DEMO_PEOPLE, openBrowserHost, screenshotPath, tempHome } from '../fixtures/harness';
import { driveCeremony } from './ceremony-driver';
import { ADMIN_AND_WITNESS } from './keygen-room';

const ip = (...args: string[]) => spawnSync('ip', args, { encoding: 'utf8' });

/** Why the veth pair cannot be made here, or '' when it can. */
function whyNot(): string {
  if (process.getuid?.() !== 0) return 'not root: a veth pair needs CAP_NET_ADMIN';
  const links = ip('-o', 'link', 'show');
  if (links.error || links.status !== 0) return 'no `ip` command (iproute2)';
  const names = links.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split(':')[1].trim().split('@')[0]);
  if (names.some((n) => n !== 'lo'))
    return `not in a loopback-only network namespace (links: ${names.join(', ')}); run it under \`unshare -n\` as npm test does`;
  return '';
}
const SKIP = whyNot();

const upNow = () =>
  Object.entries(networkInterfaces())
    .filter(([, addresses]) => (addresses ?? []).some((a) => !a.internal))
    .map(([name]) => name)
    .sort();

describe.skipIf(SKIP !== '')(`the air gap on screen, with a veth pair up${SKIP ? ` (skipped: ${SKIP})` : ''}`, () => {
  let host: BrowserHost;
  let home: string;
  let device: SimulatorServer;
  beforeAll(async () => {
    for (const args of [
      ['link', 'set', 'lo', 'up'],
      ['link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1'],
      ['link', 'set', 'v0', 'up'],
      ['link', 'set', 'v1', 'up'],
    ]) {
      const r = ip(...args);
      if (r.status !== 0) throw new Error(`ip ${args.join(' ')}: ${r.stderr}`);
    }
    // the pair counts as up once the kernel gave each end its (IPv6 link-local) address
    for (let i = 0; i < 200 && upNow().join() !== 'v0,v1'; i++) await new Promise((r) => setTimeout(r, 50));
    expect(upNow()).toEqual(['v0', 'v1']);
    home = tempHome('air-gap');
    host = await openBrowserHost(home);
    device = await serveSimulator({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await host?.close();
    await device?.close();
    ip('link', 'del', 'v0'); // takes v1 with it
  });

  const ceremonies = () => (existsSync(join(home, 'ceremonies')) ? readdirSync(join(home, 'ceremonies')) : []);

  it('refuses a real ceremony when it is started, naming the interfaces, and writes nothing', async () => {
    const { page } = host;
    // Home says it before anything is started: the interfaces up, by name
    const up = page.locator('[data-testid="airgap-panel"] [data-testid="interfaces-up"] li .mono');
    await expect.poll(() => up.allInnerTexts(), { timeout: 30_000 }).toEqual(['v0', 'v1']);
    await page.getByRole('button', { name: 'Ceremonies' }).click();
    await page.locator('button[data-template="yubihsm-inventory"]').click();
    await page.locator('[data-testid="new-ceremony"] [name="device"]').fill(device.url);
    await page.getByRole('button', { name: 'Start the ceremony' }).click();
    const refusal = page.locator('[data-testid="ceremonies"] [role="alert"]');
    // whichever comes first: the refusal, or (wrongly) the ceremony opened
    await refusal.or(page.locator('[data-testid="ceremony"]')).first().waitFor({ timeout: 60_000 });
    expect(await page.locator('[data-testid="ceremony"]').count(), 'the ceremony was opened').toBe(0);
    await page.screenshot({ path: screenshotPath('e2e-air-gap-refused'), fullPage: true });
    expect(await refusal.innerText()).toBe(
      'Refused: this is a real ceremony and the machine is not air-gapped — network interfaces up: v0, v1. ' +
        'Take the machine off every network (unplug the cable, switch off Wi-Fi) and start again; nothing was written.',
    );
    // still on the form, no ceremony opened, nothing in the data folder
    expect(await page.locator('[data-testid="ceremony"]').count()).toBe(0);
    expect(await page.locator('[data-testid="new-ceremony"]').count()).toBe(1);
    expect(ceremonies()).toEqual([]);
  });

  it('runs a real ceremony whose script allows the network once the administrator and a witness acknowledged it on screen', async () => {
    const { page } = host;
    // the browser host starts templates only, and none allows the network: the script is made here, in the host's
    // ceremonies folder with the host's own services, and opened from the list like any ceremony in progress
    const script = stringify({
      metadata: { id: 'air-gap-allowed', title: 'Inventory on a connected machine', network: 'allowed' },
      roles: { administrator: {}, witnesses: { count: 1 } },
      devices: [{ id: 'hsm', type: 'yubihsm', description: 'The YubiHSM behind its connector', connector: { url: device.url } }],
      steps: [
        { id: 'network-acknowledged', kind: 'confirm', title: 'The network is up', quorum: { administrator: 1, witnesses: 1 } },
        { id: 'status', kind: 'action', title: 'Identify the device', action: 'yubihsm.device-status', device: 'hsm' },
      ],
    });
    const id = 'air-gap-allowed-1';
    const made = await Ceremony.create(script, {}, join(home, 'ceremonies', id), { services: ceremonyServices(host.context), ceremonyId: id });
    await made.release();

    await page.getByRole('button', { name: 'Devices' }).click();
    await page.getByRole('button', { name: 'Ceremonies' }).click();
    await page.locator(`tr[data-ceremony="${id}"]`).getByRole('button', { name: 'Open' }).click();
    const seen: Record<string, string> = {};
    const result = await driveCeremony(page, {
      checkIns: ADMIN_AND_WITNESS,
      onStep: async (stepId) => {
        if (stepId !== 'network-acknowledged') return;
        seen.mode = await page.locator('[data-testid="ceremony-mode"]').innerText();
        seen.buttons = (
          await page.locator('[data-testid="confirm"] button[data-confirm]').evaluateAll((bs) => bs.map((b) => b.getAttribute('data-confirm')))
        ).join();
        seen.rehearsalNotice = String(await page.locator('[data-testid="airgap-notice"]').count());
        await page.screenshot({ path: screenshotPath('e2e-air-gap-acknowledge'), fullPage: true });
      },
    });
    expect(result.status).toBe('completed');
    // the acknowledgement is the first step, by the administrator and the witness, in a real ceremony
    expect(result.stepsSeen).toEqual(['network-acknowledged', 'status']);
    expect(seen.mode).toContain('REAL CEREMONY');
    expect(seen.mode).toContain('real device');
    expect(seen.buttons).toBe('administrator,witness-1');
    expect(seen.rehearsalNotice).toBe('0');
    // journaled: the interfaces in the first event, both confirmations before the device was touched
    const journal = readFileSync(join(home, 'ceremonies', id, 'journal.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; data: Record<string, unknown> });
    const opened = journal[0].data as { mode: string; host: { interfacesUp: Array<{ name: string }> }; ceremonyDevices: Array<{ rehearsal: boolean }> };
    expect(opened.mode).toBe('real');
    expect(opened.ceremonyDevices).toMatchObject([{ rehearsal: false }]);
    expect(opened.host.interfacesUp.map((i) => i.name)).toEqual(['v0', 'v1']);
    const acks = journal.filter((e) => e.type === 'step.confirmed' && e.data.stepId === 'network-acknowledged').map((e) => e.data.participantId);
    expect(acks).toEqual(['administrator', 'witness-1']);
    const firstDeviceStep = journal.findIndex((e) => e.type === 'step.started' && e.data.stepId === 'status');
    const lastAck = journal.findLastIndex((e) => e.type === 'step.confirmed');
    expect(firstDeviceStep).toBeGreaterThan(lastAck);
  });

  it('runs a rehearsal with a notice naming the interfaces', async () => {
    const { page } = host;
    await page.getByRole('button', { name: 'Ceremonies' }).click();
    await page.locator('button[data-template="dry-run-demo"]').click();
    await page.locator('[data-testid="new-ceremony"] input[name="dice"]').fill('1');
    await page.getByRole('button', { name: 'Start the ceremony' }).click();
    await page.locator('[data-testid="ceremony"]').waitFor();
    const notice = page.locator('[data-testid="airgap-notice"]');
    await notice.waitFor({ timeout: 30_000 });
    expect(await notice.innerText()).toBe(
      'Notice: this machine is not air-gapped (network up: v0, v1). A rehearsal runs anyway; a real ceremony would be refused.',
    );
    expect(await page.locator('[data-testid="ceremony-mode"]').innerText()).toContain('REHEARSAL');
    const result = await driveCeremony(page, {
      checkIns: DEMO_PEOPLE,
      inputs: {
        'enter-phrase': { by: 'custodian-1', values: { phrase: 'correct horse battery staple' } },
        'make-secret': { by: 'custodian-1', values: { rehearsalPin: '246810' } },
      },
    });
    expect(result.status).toBe('completed');
  });
});
