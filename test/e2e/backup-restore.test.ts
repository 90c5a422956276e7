import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTemplate } from '../../main/ceremony';
import type { BrowserHost } from '../../main/hosts/browser';
import { normalizeShareText, type CheckValue } from '../../main/shares';
import {
  BACKUP_KEYS,
  makeBackupableKeys,
  prepareTokenStore,
  proveRestoredKeys,
  sharesFromCards,
  stepResult,
  TARGET_PINS,
  type BackupWorld,
} from '../integration/backup/fixture';
import { findSecretTraces, secretNeedles } from '../integration/backup/secret-traces';
import { checkScreen, type AxeFinding } from './axe';
import { driveCeremony } from './ceremony-driver';
import { openBrowserHost, screenshotPath, tempHome } from '../fixtures/harness';

// Acceptance, as the people in the room do it: back up three keys from token A with 3-of-5 shares in Chromium,
// then restore with shares 2, 4 and 5 into a freshly initialised token B; the restored keys sign (openssl verifies
// with the original public keys) and decrypt what the original AES key encrypted.

const person = (participant: string, checkedBy = 'administrator') => ({
  participant,
  name: `E2E ${participant}`,
  identityCheck: 'Passport checked against the roster',
  checkedBy,
});
const custodians = (indexes: number[]) => indexes.map((i) => person(`custodian-${i}`));

async function ceremonyDir(page: Page, home: string): Promise<string> {
  return join(home, 'ceremonies', (await page.getAttribute('[data-testid="ceremony"]', 'data-ceremony'))!);
}

async function completedSteps(dir: string): Promise<string[]> {
  const events = readFileSync(join(dir, 'journal.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  return events.filter((e) => e.type === 'step.completed').map((e) => e.data.stepId);
}

/**
 * A custodian mistypes one character of their share: the field says so while it is typed (the group named), Enter
 * does not submit it and the journal is untouched; then the right share is typed. Returns what the screen said.
 */
async function typeAMistypedShare(page: Page, dir: string, custodian: number, share: string): Promise<string> {
  const data = normalizeShareText(share).slice('cshare1'.length);
  const at = 21;
  const typo = `cshare1${data.slice(0, at)}${data[at] === 'q' ? 'p' : 'q'}${data.slice(at + 1)}`;
  const field = page.locator('[data-testid="inputs"] input[name="share"]');
  await page.locator('[data-testid="inputs"] select[name="by"]').selectOption(`custodian-${custodian}`);
  await field.fill(typo);
  await page.locator('[data-testid="share-check"][data-ok="false"]').waitFor();
  const eventsBefore = readFileSync(join(dir, 'journal.jsonl'), 'utf8');
  await field.press('Enter');
  await page.locator('[data-testid="share-check"].share-bad').waitFor();
  const said = await page.locator('[data-testid="share-check"]').innerText();
  expect(readFileSync(join(dir, 'journal.jsonl'), 'utf8')).toBe(eventsBefore);
  await field.fill(share);
  await page.locator('[data-testid="share-check"][data-ok="true"]').waitFor();
  return said;
}

describe('backup and restore in Chromium on SoftHSM2', () => {
  let host: BrowserHost;
  let home: string;
  let world: BackupWorld;

  beforeAll(async () => {
    home = tempHome('backup-restore');
    await prepareTokenStore(home, ['Token B']); // before SoftHSM2 is loaded: it scans tokens at start only
    host = await openBrowserHost(home);
    const rehearsal = host.context.rehearsal!;
    world = { home, context: host.context, module: rehearsal.modulePath, tokenA: rehearsal.tokenLabel, pins: rehearsal.pins, publicKeys: {}, services: {} };
    await makeBackupableKeys(world);
  });

  afterAll(async () => {
    await host?.close();
  });

  it('backs up RSA-2048, EC P-256 and AES-256 keys 3-of-5, then restores them with shares 2, 4 and 5 into token B', async () => {
    const { page } = host;
    const keys = BACKUP_KEYS.map((k) => k.label).join(', ');

    // ── backup ──
    await page.getByRole('button', { name: 'Ceremonies' }).click();
    await page.locator('button[data-template="backup"]').click();
    const form = page.locator('[data-testid="new-ceremony"]');
    await form.locator('input[name="tokenLabel"]').fill(world.tokenA);
    await form.locator('input[name="keys"]').fill(keys);
    await form.locator('input[name="custodians"]').fill('5');
    await form.locator('input[name="threshold"]').fill('3');
    await page.screenshot({ path: screenshotPath('e2e-backup-00-parameters'), fullPage: true });
    await page.getByRole('button', { name: 'Start the ceremony' }).click();

    let backupDir = '';
    let mistypedShare = '';
    let wrongPin = '';
    const findings: AxeFinding[] = [];
    const backupMedium = tempHome('backup-medium');
    const inputs: Record<string, { by: string; values: Record<string, string> }> = {
      'login-user': { by: 'administrator', values: { pin: world.pins.user } },
      'login-so': { by: 'custodian-1', values: { pin: world.pins.so } },
      'login-user-wrap': { by: 'administrator', values: { pin: world.pins.user } },
      export: { by: 'administrator', values: { destination: backupMedium } },
    };
    const backup = await driveCeremony(page, {
      checkIns: [person('administrator', 'witness-1'), ...custodians([1, 2, 3, 4, 5]), person('witness-1')],
      inputs,
      onStep: async (stepId) => {
        backupDir ||= await ceremonyDir(page, home);
        // the restore rehearsal: custodians 1, 3 and 5 type their shares back from their printed cards
        const rehearsal = /^rehearse-share-(\d)$/.exec(stepId);
        if (rehearsal) {
          const custodian = [1, 3, 5][Number(rehearsal[1]) - 1];
          const cards = await sharesFromCards(backupDir);
          inputs[stepId] = { by: `custodian-${custodian}`, values: { share: cards[custodian] } };
          if (stepId === 'rehearse-share-1') {
            mistypedShare = await typeAMistypedShare(page, backupDir, custodian, cards[custodian]);
            findings.push(...(await checkScreen(page, 'backup-share-mistyped')));
          }
        }
        if (stepId === 'login-so') {
          // a wrong SO-PIN: the tries are shown, its holder types again, no exception is recorded
          await page
            .locator('[data-testid="inputs"] select[name="by"]')
            .selectOption('custodian-1')
            .catch(() => undefined);
          await page.locator('[data-testid="inputs"] input[name="pin"]').fill('wrong-so-pin-0');
          await page.locator('[data-testid="inputs"] input[name="pin"]').press('Enter');
          await page.locator('[data-testid="rejection"]').waitFor({ timeout: 60_000 });
          wrongPin = await page.locator('[data-testid="rejection"]').innerText();
          expect(await page.locator('[data-testid="exceptions"]').count()).toBe(0);
          findings.push(...(await checkScreen(page, 'backup-wrong-so-pin')));
        }
        findings.push(...(await checkScreen(page, `backup-step-${stepId}`)));
      },
      screenshotPrefix: 'e2e-backup',
    });
    expect(backup.status).toBe('completed');
    expect(mistypedShare).toMatch(/Group 6/);
    expect(wrongPin).toMatch(/Wrong Security Officer PIN|Wrong PIN/);
    expect(await page.locator('[data-testid="exceptions"]').count()).toBe(0);
    const backupJournal = readFileSync(join(backupDir, 'journal.jsonl'), 'utf8');
    expect(backupJournal).toContain('step.attempt-rejected');
    expect(backupJournal).not.toContain('step.failed');
    findings.push(...(await checkScreen(page, 'backup-closing')));
    expect(findings, JSON.stringify(findings, null, 2)).toEqual([]);
    const parameters = { tokenLabel: world.tokenA, keys, custodians: 5, threshold: 3 };
    expect(await completedSteps(backupDir)).toEqual(getTemplate('backup', parameters)!.script.steps.map((s) => s.id));
    expect(await stepResult(backupDir, 'rehearse-rebuild')).toMatchObject({ sameAsOriginal: true });
    const typedBack = (await stepResult(backupDir, 'rehearse-share-1')).enteredBy;
    expect(typedBack).toBe('typed');
    // the backup medium holds the bundle folder alone, each file the same bytes as the bundle; no share card is on it
    const copied = (await stepResult(backupDir, 'export')) as { destination: string; files: { name: string }[] };
    const bundleDir = (await stepResult(backupDir, 'wrap-keys')).bundleDir as string;
    expect(readdirSync(copied.destination)).toEqual([bundleDir]);
    expect(readdirSync(join(copied.destination, bundleDir)).sort()).toEqual(readdirSync(join(backupDir, 'outputs', bundleDir)).sort());
    for (const f of copied.files) expect(readFileSync(join(copied.destination, f.name))).toEqual(readFileSync(join(backupDir, 'outputs', f.name)));

    // each custodian saw on the privacy screen exactly the share their card carries
    const cards = await sharesFromCards(backupDir);
    const revealed: Record<number, string> = {};
    for (let i = 1; i <= 5; i++) {
      revealed[i] = backup.revealed[`reveal-share-${i}`];
      expect(normalizeShareText(revealed[i])).toBe(normalizeShareText(cards[i]));
    }

    // ── restore ──
    const wrap = await stepResult(backupDir, 'wrap-keys');
    const bundle = join(backupDir, 'outputs', String(wrap.bundleDir));
    await page.getByRole('button', { name: 'Ceremonies' }).click();
    await page.locator('button[data-template="restore"]').click();
    const restoreForm = page.locator('[data-testid="new-ceremony"]');
    await restoreForm.locator('input[name="targetTokenLabel"]').fill('Token B');
    await restoreForm.locator('input[name="bundle"]').fill(bundle);
    await restoreForm.locator('input[name="backupJournal"]').fill(join(backupDir, 'journal.jsonl'));
    await page.getByRole('button', { name: 'Start the ceremony' }).click();
    let restoreMistyped = '';
    const restore = await driveCeremony(page, {
      checkIns: [person('administrator', 'witness-1'), ...custodians([2, 4, 5]), person('witness-1')],
      inputs: {
        'login-user': { by: 'administrator', values: { pin: TARGET_PINS.user } },
        'enter-share-1': { by: 'custodian-2', values: { share: revealed[2] } },
        'enter-share-2': { by: 'custodian-4', values: { share: revealed[4] } },
        'enter-share-3': { by: 'custodian-5', values: { share: revealed[5] } },
      },
      onStep: async (stepId) => {
        // custodian 4 mistypes one character of their share first, then types it right
        if (stepId === 'enter-share-2') {
          restoreMistyped = await typeAMistypedShare(page, await ceremonyDir(page, home), 4, revealed[4]);
          findings.push(...(await checkScreen(page, 'restore-share-mistyped')));
        }
        // both tokens named apart, as a person knows them: no library path on the screen (it is in the details' title)
        if (stepId === 'welcome')
          expect(await page.locator('[data-testid="ceremony-mode"]').innerText()).toMatch(
            /^REHEARSAL token “Custodian Rehearsal” \(serial \w+\) \(rehearsal device\); token “Token B” \(serial \w+\) \(rehearsal device\)$/,
          );
        // the closing is signed by everyone present: the line the room reads names them all, not one "or" another
        if (stepId === 'closing')
          expect(await page.locator('[data-testid="actor"]').innerText()).toBe(
            'E2E administrator, E2E custodian-2, E2E custodian-4, E2E custodian-5 and E2E witness-1 confirm',
          );
        findings.push(...(await checkScreen(page, `restore-step-${stepId}`)));
      },
      screenshotPrefix: 'e2e-restore',
    });
    expect(restore.status).toBe('completed');
    expect(restoreMistyped).toMatch(/Group 6/);
    expect(findings, JSON.stringify(findings, null, 2)).toEqual([]);
    const restoreDir = await ceremonyDir(page, home);
    const restoreParameters = { targetTokenLabel: 'Token B', bundle, backupJournal: join(backupDir, 'journal.jsonl'), custodians: 5, threshold: 3 };
    expect(await completedSteps(restoreDir)).toEqual(getTemplate('restore', restoreParameters)!.script.steps.map((s) => s.id));
    const restored = (await stepResult(restoreDir, 'unwrap-keys')).restored as Array<{ label: string; fingerprintMatches: boolean | null }>;
    expect(restored.map((r) => r.label)).toEqual(BACKUP_KEYS.map((k) => k.label));

    // openssl and raw pkcs11js, independently of the app
    await proveRestoredKeys(world, { label: 'Token B', pin: TARGET_PINS.user });

    // secret hygiene across the app data folder (journals, outputs, token store, settings), share cards aside
    const record = (await stepResult(backupDir, 'split-kek')).shareSet as { checkValue: CheckValue; m: number };
    const needles = await secretNeedles(
      [1, 2, 3, 4, 5].map((i) => cards[i]),
      record.checkValue,
      record.m,
    );
    const found = await findSecretTraces([home], needles, (file) => /share-card-[^/]+\.pdf$/.test(file));
    expect(found.traces).toEqual([]);
  });
});
