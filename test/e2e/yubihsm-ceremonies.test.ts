import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserHost } from '../../main/hosts/browser';
import { MemoryTransport, OBJECT, YubiHsmClient, serveSimulator, type SimulatorServer } from '../../native/yubihsm';
import { cupsSharePrinter } from '../../main/devices/share-printer';
import { fakeLp, printedCards } from '../integration/rehearsal/world';
import { filesContaining, openBrowserHost, tempHome } from '../fixtures/harness';
import { driveCeremony, type CeremonyPlan } from './ceremony-driver';

// yubihsm-setup in Chromium, on a simulated YubiHSM reached through its connector URL, as the room does it; then the
// device itself is asked, with a YubiHSM client of the test's own, whether the factory key is gone and the new keys
// open sessions.

const PASSWORDS = { admin: 'e2e admin passphrase', operator: 'e2e operator passphrase', auditor: 'e2e auditor passphrase' };
const person = (participant: string, name: string, checkedBy = 'administrator') => ({
  participant,
  name,
  identityCheck: 'Passport checked against the roster',
  checkedBy,
});

async function ceremonyDir(page: Page, home: string): Promise<string> {
  return join(home, 'ceremonies', (await page.getAttribute('[data-testid="ceremony"]', 'data-ceremony'))!);
}

describe('YubiHSM setup in Chromium on the simulator', () => {
  let host: BrowserHost;
  let home: string;
  let device: SimulatorServer;
  let lp: ReturnType<typeof fakeLp>;
  beforeAll(async () => {
    home = tempHome('yubihsm-ceremonies');
    // a connector URL is a real device: the share cards go to the printer (a fake lp keeping the paper)
    lp = fakeLp();
    host = await openBrowserHost(home, { sharePrinter: cupsSharePrinter({ lpPath: lp.path })! });
    device = await serveSimulator({ port: 0 });
  });
  afterAll(async () => {
    await host?.close();
    await device?.close();
  });

  it('sets a factory YubiHSM up through the UI: role keys, factory key gone, backups and audit anchor recorded', async () => {
    const { page } = host;
    await page.getByRole('button', { name: 'Ceremonies' }).click();
    await page.locator('button[data-template="yubihsm-setup"]').click();
    const form = page.locator('[data-testid="new-ceremony"]');
    await form.locator('[name="device"]').fill(device.url);
    await form.locator('[name="custodians"]').fill('3');
    await form.locator('[name="threshold"]').fill('2');
    await page.getByRole('button', { name: 'Start the ceremony' }).click();

    const twice = (p: string) => ({ password: p, passwordAgain: p });
    const plan: CeremonyPlan = {
      checkIns: [
        person('administrator', 'Ada Lovelace', 'witness-1'),
        person('custodian-1', 'Carl Friedrich'),
        person('custodian-2', 'Cora Brandt'),
        person('custodian-3', 'Cleo Vance'),
        person('witness-1', 'Wendy Okafor'),
      ],
      inputs: {
        'create-admin-key': { by: 'administrator', values: twice(PASSWORDS.admin) },
        'create-operator-key': { by: 'custodian-1', values: twice(PASSWORDS.operator) },
        'create-auditor-key': { by: 'witness-1', values: twice(PASSWORDS.auditor) },
        'open-admin-session': { by: 'administrator', values: { password: PASSWORDS.admin } },
      },
      screenshotPrefix: 'e2e-yubihsm-setup',
    };
    // the restore rehearsal: each custodian types the share back from their printed card
    plan.onStep = async (stepId) => {
      const match = /^rehearse-\d+-(\d+)$/.exec(stepId);
      if (!match) return;
      plan.inputs![stepId] = { by: `custodian-${match[1]}`, values: { share: printedCards(lp.paper)[Number(match[1])] } };
    };
    const result = await driveCeremony(page, plan);
    expect(result.status).toBe('completed');
    expect(Object.keys(result.revealed)).toEqual(['reveal-1', 'reveal-2', 'reveal-3']);

    // the device, asked directly
    const client = new YubiHsmClient(new MemoryTransport(device.simulator), { keepAliveMs: 0 });
    expect(await client.canOpenSession(1, 'password')).toMatchObject({ ok: false, code: 'OBJECT_NOT_FOUND' });
    expect((await client.canOpenSession(2, PASSWORDS.admin)).ok).toBe(true);
    expect((await client.canOpenSession(3, PASSWORDS.operator)).ok).toBe(true);
    expect((await client.canOpenSession(4, PASSWORDS.auditor)).ok).toBe(true);
    const s = await client.openSession(2, PASSWORDS.admin, { keepAliveMs: 0 });
    const objects = await s.listObjects();
    await s.close();
    await client.close();
    expect(objects.map((o) => `${o.type}:${o.id}`).sort()).toEqual([
      `${OBJECT.AUTHENTICATION_KEY}:2`,
      `${OBJECT.AUTHENTICATION_KEY}:3`,
      `${OBJECT.AUTHENTICATION_KEY}:4`,
      `${OBJECT.WRAP_KEY}:100`,
    ]);

    // the journal holds the backups' hashes and the anchor; the transcript prints the anchor; no password on disk
    const dir = await ceremonyDir(page, home);
    const journal = readFileSync(join(dir, 'journal.jsonl'), 'utf8');
    expect(journal).toMatch(/"newAnchor":"\d+:[0-9a-f]{32}"/);
    expect(readdirSync(join(dir, 'outputs')).filter((f) => f.endsWith('.wrapped'))).toHaveLength(3);
    await page.getByRole('button', { name: 'Print the transcript (PDF)' }).click();
    await page.locator('[data-testid="transcript-pdf"]').waitFor({ timeout: 60_000 });
    const transcript = execFileSync('pdftotext', [join(dir, 'transcript.pdf'), '-'], { encoding: 'utf8' });
    expect(transcript.replace(/\s+/g, ' ')).toMatch(/newAnchor: \d+:/);
    for (const p of Object.values(PASSWORDS)) expect(transcript).not.toContain(p);
    expect(filesContaining(dir, Object.values(PASSWORDS))).toEqual([]);
  }, 300_000);
});
