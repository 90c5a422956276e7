import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { combineShareTexts, type CheckValue } from '../../main/shares';
import { shareFromCardPdf } from '../integration/backup/card-text';
import { filesContaining, screenshotPath, useBrowserHost } from '../fixtures/harness';
import { soPinWorks, userPinWorks } from '../integration/pin-ceremonies/tokens';
import { driveCeremony, type CeremonyPlan } from './ceremony-driver';

// Token and PIN ceremonies in Chromium on SoftHSM2, as the room does them: a token initialised with a 2-of-3 split
// SO-PIN; its user PIN run into the ground with wrong tries; reset by custodians 1 and 3; the SO-PIN rotated to a
// 3-of-5 set; and nothing secret left on disk or in the printed transcripts.

const LABEL = 'E2E PIN Token';
const FIRST_USER_PIN = '24681357';
const NEW_USER_PIN = '97531864';
const person = (participant: string, name: string, checkedBy = 'administrator') => ({
  participant,
  name,
  identityCheck: 'Passport checked against the roster',
  checkedBy,
});
const admin = person('administrator', 'Ada Lovelace', 'witness-1');
const witness = person('witness-1', 'Wendy Okafor');
const custodians = ['Carl Friedrich', 'Cora Brandt', 'Cleo Vance', 'Chidi Obi', 'Cato Lind'].map((name, i) => person(`custodian-${i + 1}`, name));

async function startCeremony(page: Page, template: string, fill: Record<string, string | boolean>): Promise<void> {
  await page.getByRole('button', { name: 'Ceremonies' }).click();
  await page.locator(`button[data-template="${template}"]`).click();
  const form = page.locator('[data-testid="new-ceremony"]');
  for (const [name, value] of Object.entries(fill)) {
    const field = form.locator(`[name="${name}"]`);
    if (typeof value === 'boolean') await field.setChecked(value);
    else if ((await field.evaluate((el) => el.tagName)) === 'SELECT') await field.selectOption(value);
    else await field.fill(value);
  }
  await page.getByRole('button', { name: 'Start the ceremony' }).click();
}

async function ceremonyDir(page: Page, home: string): Promise<string> {
  return join(home, 'ceremonies', (await page.getAttribute('[data-testid="ceremony"]', 'data-ceremony'))!);
}

/** Restore-rehearsal steps get the share typed back from that custodian's printed (rehearsal) card. */
function typeBackFromCards(plan: CeremonyPlan, page: Page, home: string, prefix = ''): CeremonyPlan['onStep'] {
  return async (stepId) => {
    const match = new RegExp(`^${prefix}rehearse-\\d+-(\\d+)$`).exec(stepId);
    if (!match) return;
    const outputs = join(await ceremonyDir(page, home), 'outputs');
    const card = readdirSync(outputs).find((f) => f.endsWith(`-${match[1]}.pdf`) && f.startsWith('share-card-'))!;
    plan.inputs![stepId] = { by: `custodian-${match[1]}`, values: { share: shareFromCardPdf(join(outputs, card)) } };
  };
}

function stepResult(dir: string, stepId: string): Record<string, unknown> {
  const line = readFileSync(join(dir, 'journal.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.includes('"step.completed"') && l.includes(`"stepId":"${stepId}"`))
    .pop()!;
  return JSON.parse(line).data.result;
}

async function printTranscript(page: Page, dir: string): Promise<string> {
  await page.getByRole('button', { name: 'Print the transcript (PDF)' }).click();
  await page.locator('[data-testid="transcript-pdf"]').waitFor({ timeout: 60_000 });
  return execFileSync('pdftotext', [join(dir, 'transcript.pdf'), '-'], { encoding: 'utf8' });
}

async function rebuild(shares: string[], checkValue: CheckValue): Promise<string> {
  const bytes = await combineShareTexts(shares, { checkValue });
  const text = new TextDecoder().decode(bytes);
  bytes.fill(0);
  return text;
}

describe('token and PIN ceremonies in Chromium on SoftHSM2', () => {
  const browser = useBrowserHost('pin-ceremonies');
  let conf: string;
  beforeAll(() => {
    conf = browser.host.context.rehearsal!.softhsmConf;
  });

  it('initialises a token with a 2-of-3 SO-PIN, resets a run-down user PIN with custodians 1 and 3, rotates the SO-PIN to 3-of-5, and leaves no secret behind', async () => {
    const { host, home } = browser;
    const { page } = host;
    const transcripts: string[] = [];

    // 1. token-init on the rehearsal store's uninitialised slot
    await startCeremony(page, 'token-init', { newTokenLabel: LABEL, custodians: '3', threshold: '2' });
    const initPlan: CeremonyPlan = {
      checkIns: [admin, ...custodians.slice(0, 3), witness],
      inputs: { 'set-user-pin': { by: 'administrator', values: { newPin: FIRST_USER_PIN, newPinAgain: FIRST_USER_PIN } } },
      screenshotPrefix: 'e2e-token-init',
    };
    initPlan.onStep = typeBackFromCards(initPlan, page, home);
    const init = await driveCeremony(page, initPlan);
    expect(init.status).toBe('completed');
    const initDir = await ceremonyDir(page, home);
    transcripts.push(await printTranscript(page, initDir));
    const split = stepResult(initDir, 'split') as { setId: string; checkValue: string; shareSet: { checkValue: CheckValue } };
    const oldShares = [1, 2, 3].map((i) => init.revealed[`reveal-${i}`]);
    const oldSoPin = await rebuild([oldShares[0], oldShares[2]], split.shareSet.checkValue);
    expect(await userPinWorks(conf, LABEL, FIRST_USER_PIN)).toBe(true);
    expect(await soPinWorks(conf, LABEL, oldSoPin)).toBe(true);

    // 2. wrong user PINs through the Pkcs11Client: SoftHSM2 reports count-low and never locks
    const { pkcs11 } = host.context;
    const { sessionKey } = await pkcs11.openSession(host.context.defaultModule()!, { label: LABEL }, true);
    for (let i = 0; i < 5; i++)
      await expect(pkcs11.login(sessionKey, 'USER', new TextEncoder().encode(`0000000${i}`))).rejects.toMatchObject({ code: 'PinIncorrect' });
    expect((await pkcs11.pinStatus(sessionKey)).user).toMatchObject({ countLow: true, locked: false });
    await pkcs11.closeSession(sessionKey);

    // 3. user-pin-reset with custodians 1 and 3
    // the token and the 2-of-3 SO-PIN set both ceremonies below are unlocked by
    const soPinSet = { practice: false, tokenLabel: LABEL, shareSetId: split.setId, checkValue: split.checkValue, custodians: '3', threshold: '2' };
    await startCeremony(page, 'user-pin-reset', soPinSet);
    const reset = await driveCeremony(page, {
      checkIns: [admin, custodians[0], custodians[2], witness],
      inputs: {
        'share-1': { by: 'custodian-1', values: { share: oldShares[0] } },
        'share-2': { by: 'custodian-3', values: { share: oldShares[2] } },
        'set-user-pin': { by: 'administrator', values: { newPin: NEW_USER_PIN, newPinAgain: NEW_USER_PIN } },
        'test-login': { by: 'administrator', values: { pin: NEW_USER_PIN } },
      },
      screenshotPrefix: 'e2e-user-pin-reset',
    });
    expect(reset.status).toBe('completed');
    const resetDir = await ceremonyDir(page, home);
    expect(stepResult(resetDir, 'token-status')).toMatchObject({ userPinCounters: { countLow: true } });
    transcripts.push(await printTranscript(page, resetDir));
    expect(await userPinWorks(conf, LABEL, NEW_USER_PIN)).toBe(true);
    expect(await userPinWorks(conf, LABEL, FIRST_USER_PIN)).toBe(false);

    // 4. SO-PIN rotation to a 3-of-5 set
    await startCeremony(page, 'pin-change', { mode: 'so-rotation', ...soPinSet, newCustodians: '5', newThreshold: '3' });
    const rotationPlan: CeremonyPlan = {
      checkIns: [admin, ...custodians, witness],
      inputs: { 'old-share-1': { by: 'custodian-1', values: { share: oldShares[0] } }, 'old-share-2': { by: 'custodian-3', values: { share: oldShares[2] } } },
      screenshotPrefix: 'e2e-so-rotation',
    };
    rotationPlan.onStep = typeBackFromCards(rotationPlan, page, home, 'new-');
    const rotation = await driveCeremony(page, rotationPlan);
    expect(rotation.status).toBe('completed');
    const rotationDir = await ceremonyDir(page, home);
    transcripts.push(await printTranscript(page, rotationDir));
    const newSplit = stepResult(rotationDir, 'split-new') as { setId: string; n: number; m: number; shareSet: { checkValue: CheckValue } };
    expect(newSplit).toMatchObject({ n: 5, m: 3 });
    expect(stepResult(rotationDir, 'void-old-set')).toMatchObject({ voidedSetId: split.setId, replacedBySetId: newSplit.setId });
    const newShares = [1, 2, 3, 4, 5].map((i) => rotation.revealed[`new-reveal-${i}`]);

    // the old shares still combine, but what they rebuild no longer opens the token; the new set's does
    expect(await rebuild([oldShares[1], oldShares[2]], split.shareSet.checkValue)).toBe(oldSoPin);
    expect(await soPinWorks(conf, LABEL, oldSoPin)).toBe(false);
    const newSoPin = await rebuild([newShares[0], newShares[2], newShares[4]], newSplit.shareSet.checkValue);
    expect(await soPinWorks(conf, LABEL, newSoPin)).toBe(true);
    expect(await userPinWorks(conf, LABEL, NEW_USER_PIN)).toBe(true);
    await page.screenshot({ path: screenshotPath('e2e-pin-ceremonies-done'), fullPage: true });

    // 5. secret hygiene: the data folder and the transcripts' text
    const secrets = [oldSoPin, newSoPin, FIRST_USER_PIN, NEW_USER_PIN, ...oldShares, ...newShares].flatMap((s) => [s, s.replace(/\s+/g, '')]);
    const leaks = filesContaining(home, secrets).filter((h) => !/share-card-.*\.pdf$/.test(h.file));
    expect(leaks).toEqual([]);
    for (const text of transcripts) {
      const flat = text.replace(/\s+/g, '');
      for (const secret of secrets) expect(flat).not.toContain(secret.replace(/\s+/g, ''));
    }
    expect(transcripts[0]).toContain(split.setId);
    expect(transcripts[2]).toContain(newSplit.setId);
  }, 600_000);
});
