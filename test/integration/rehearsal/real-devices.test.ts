import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ceremony, getTemplate } from '../../../main/ceremony';
import type { AppContext } from '../../../main/ipc/app-context';
import { writeTranscript } from '../../../main/ipc/ceremonies';
import type { CheckValue } from '../../../main/shares';
import { makeSoftHsm, type SoftHsm } from '../../fixtures/softhsm';
import { backupAnswers } from '../../fixtures/templates/answers';
import { findSecretTraces, secretNeedles } from '../backup/secret-traces';
import { contextFor, fakeLp, journalLines, printedCards, rehearsalOnly, runReal, servedSimulator, servicesOf } from './world';

// Issue #11's acceptance: rehearsal is a property of the devices. A YubiHSM addressed by a connector URL — even
// Custodian's own simulator served on loopback — and a SoftHSM2 token Custodian did not make in <data>/rehearsal are
// real devices: the ceremony is real, its share cards go to the printer (a fake lp keeping the paper outside the data
// folder), no share exists in any file Custodian writes, and nothing says REHEARSAL. A rehearsal-only script on
// either is refused before its first step.

const temp = (prefix: string) => mkdtempSync(join(tmpdir(), `custodian-${prefix}-`));

function pdfText(path: string): string {
  return execFileSync('pdftotext', ['-layout', path, '-']).toString('utf8');
}

async function expectNoSecretAnywhere(roots: string[], shares: string[], checkValue: CheckValue, m: number) {
  const needles = await secretNeedles(shares, checkValue, m);
  const found = await findSecretTraces(roots, needles, () => false);
  expect(found.filesSearched).toBeGreaterThan(5);
  expect(found.traces).toEqual([]);
}

function checkValueOf(dir: string, stepId: string): CheckValue {
  const done = journalLines(dir).find((e) => e.type === 'step.completed' && e.data.stepId === stepId)!;
  const result = done.data.result as { checkValue?: CheckValue; shareSet?: { checkValue: CheckValue } };
  return (result.shareSet?.checkValue ?? result.checkValue)!;
}

/**
 * A real ceremony's outputs: its three share cards went to the printer and nowhere else (no card file, no share in
 * any file under the data folder or the exported media), and neither the transcript nor the journal says REHEARSAL.
 */
async function expectCardsOnPaperOnly(r: { home: string; context: AppContext; lp: ReturnType<typeof fakeLp>; dir: string; id: string; splitStep: string }) {
  const cards = printedCards(r.lp.paper);
  expect(Object.keys(cards).sort()).toEqual(['1', '2', '3']);
  expect(readdirSync(join(r.dir, 'outputs')).filter((f) => /share-card/.test(f))).toEqual([]);
  const transcript = await writeTranscript(r.dir, 'A4', { printer: r.context.printingServices().pdfPrinter });
  const media = temp('media');
  await r.context.ceremonies.exportOutputs(r.id, media);
  await expectNoSecretAnywhere([r.home, media], Object.values(cards), checkValueOf(r.dir, r.splitStep), 2);
  expect(pdfText(transcript.path)).not.toMatch(/REHEARSAL/);
  expect(readFileSync(join(r.dir, 'journal.jsonl'), 'utf8')).not.toMatch(/REHEARSAL/);
  return transcript;
}

describe('yubihsm-setup on the simulator served by `custodian simulator yubihsm`, addressed by its URL', () => {
  let home: string;
  let context: AppContext;
  let lp: ReturnType<typeof fakeLp>;
  let simulator: Awaited<ReturnType<typeof servedSimulator>>;

  beforeAll(async () => {
    home = temp('real-yubihsm');
    lp = fakeLp();
    simulator = await servedSimulator();
    context = await contextFor(home, lp.path); // no PKCS#11 module configured
  }, 60_000);
  afterAll(async () => {
    await context?.close();
    await simulator?.stop();
  });

  it('refuses a rehearsal-only script pointed at it before the first step, naming the device', async () => {
    const text = rehearsalOnly(getTemplate('yubihsm-setup', { device: simulator.url })!.text);
    const dir = join(home, 'ceremonies', 'refused-yubihsm');
    await expect(Ceremony.create(text, { device: simulator.url }, dir, { services: servicesOf(context) })).rejects.toMatchObject({
      code: 'RealDeviceInRehearsal',
      message: expect.stringContaining(`the YubiHSM 2 at ${simulator.url}`),
    });
    expect(existsSync(join(dir, 'journal.jsonl'))).toBe(false);
  });

  it('is a real ceremony: cards on paper only, no share in any file, nothing says REHEARSAL', async () => {
    const id = 'yubihsm-setup-real-1';
    const dir = context.ceremonies.dirOf(id);
    const { result, prompts, shownTo } = await runReal(context, dir, 'yubihsm-setup', { device: simulator.url, custodians: 3, threshold: 2 }, lp.paper);
    expect(result.reason ?? null).toBeNull();
    expect(result.status).toBe('completed');
    // each wrap-key share was shown to its own custodian, by name, on the terminal
    expect(shownTo.filter((s) => /: Custodian [1-3] \(/.test(s))).toHaveLength(3);
    expect(prompts.some((p) => /^Administrator \(.+\) types: New password of the admin key$/.test(p))).toBe(true);

    const opened = journalLines(dir)[0].data as { mode: string; rehearsal: boolean; ceremonyDevices: Array<{ rehearsal: boolean; reason: string }> };
    expect(opened.mode).toBe('real');
    expect(opened.rehearsal).toBe(false);
    expect(opened.ceremonyDevices).toHaveLength(1);
    expect(opened.ceremonyDevices[0]).toMatchObject({ rehearsal: false, reason: expect.stringContaining('connector URL') });

    const transcript = await expectCardsOnPaperOnly({ home, context, lp, dir, id, splitStep: 'split' });
    expect(pdfText(transcript.path)).toMatch(/real device/);
  }, 300_000);
});

describe('backup on a SoftHSM2 token made outside <data>/rehearsal', () => {
  let home: string;
  let context: AppContext;
  let lp: ReturnType<typeof fakeLp>;
  let vault: SoftHsm;
  let vendorModule: string;
  const pins = { so: '87654321', user: '13572468' };
  const savedConf = process.env.SOFTHSM2_CONF;

  beforeAll(async () => {
    vault = await makeSoftHsm();
    await vault.initToken('Vault Token', pins.so, pins.user);
    // a vendor's module: SoftHSM2's library at a path of its own, reading the store SOFTHSM2_CONF names
    vendorModule = join(vault.dir, 'vendor-pkcs11.so');
    copyFileSync(vault.module, vendorModule);
    home = temp('real-softhsm');
    writeFileSync(
      join(home, 'settings.json'),
      JSON.stringify({ version: 1, modules: [{ path: vendorModule, name: 'Vendor HSM' }], yubihsmConnectors: [], rehearsalPinsAcknowledged: false }),
    );
    lp = fakeLp();
    process.env.SOFTHSM2_CONF = vault.conf;
    context = await contextFor(home, lp.path);
    process.env.SOFTHSM2_CONF = savedConf;
    const { sessionKey } = await context.pkcs11.openSession(vendorModule, { label: 'Vault Token' }, true);
    await context.pkcs11.login(sessionKey, 'USER', new TextEncoder().encode(pins.user));
    for (const key of [
      { label: 'vault-rsa', algorithm: 'RSA-2048' },
      { label: 'vault-aes', algorithm: 'AES-256' },
    ]) {
      await context.pkcs11.generateKey(sessionKey, { algorithm: key.algorithm, policy: 'backupable', label: key.label });
    }
    await context.pkcs11.closeSession(sessionKey);
  }, 120_000);
  afterAll(async () => {
    await context?.close();
    await vault?.cleanup();
  });

  const parameters = { tokenLabel: 'Vault Token', keys: 'vault-rsa, vault-aes', custodians: 3, threshold: 2 };

  it('shows the vendor token REAL and the rehearsal token REHEARSAL side by side', async () => {
    const snapshot = await context.devices.refresh();
    const tokens = snapshot.modules.flatMap((m) => m.tokens.map((t) => ({ module: m.path, label: t.label, rehearsal: t.rehearsal })));
    expect(tokens).toContainEqual({ module: vendorModule, label: 'Vault Token', rehearsal: false });
    expect(tokens).toContainEqual({ module: context.rehearsal!.modulePath, label: 'Custodian Rehearsal', rehearsal: true });
  });

  it('refuses a rehearsal-only script pointed at it before the first step', async () => {
    const text = rehearsalOnly(getTemplate('backup', parameters)!.text);
    const dir = join(home, 'ceremonies', 'refused-backup');
    await expect(Ceremony.create(text, parameters, dir, { services: servicesOf(context) })).rejects.toMatchObject({
      code: 'RealDeviceInRehearsal',
      message: expect.stringContaining('token “Vault Token”'),
    });
    expect(existsSync(join(dir, 'journal.jsonl'))).toBe(false);
  });

  it('is a real ceremony: cards on paper only, no share or KEK in any file, nothing says REHEARSAL', async () => {
    const id = 'backup-real-1';
    const dir = context.ceremonies.dirOf(id);
    const { result, shownTo } = await runReal(context, dir, 'backup', parameters, lp.paper, backupAnswers({ parameters, pins }));
    expect(shownTo.length, JSON.stringify(result.reason)).toBeGreaterThan(0);
    expect(result.reason ?? null).toBeNull();
    expect(result.status).toBe('completed');
    const opened = journalLines(dir)[0].data as { mode: string; ceremonyDevices: Array<{ rehearsal: boolean; description: string }> };
    expect(opened.mode).toBe('real');
    expect(opened.ceremonyDevices.map((d) => d.rehearsal)).toEqual([false]);

    await expectCardsOnPaperOnly({ home, context, lp, dir, id, splitStep: 'split-kek' });
  }, 300_000);
});
