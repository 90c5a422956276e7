import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserHost } from '../../main/hosts/browser';
import { driveCeremony } from './ceremony-driver';
import { DEMO_PEOPLE as PEOPLE, openBrowserHost, screenshotPath, tempHome } from '../fixtures/harness';

// Issue 14's UI acceptance: an aborted ceremony opens (after a restart of the app) and prints its transcript with the
// reason in it; two quick clicks on a step's Enter leave one input event in the journal.

const REASON = 'The witness was called out of the room before the phrase was confirmed';
const STOP = 'stopped at the first typed step';

function journalEvents(path: string): { type: string; data: { stepId?: string } }[] {
  return readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { type: string; data: { stepId?: string } });
}

describe('an aborted ceremony, and a double click', () => {
  let host: BrowserHost;
  let home: string;
  beforeAll(async () => {
    process.env.CUSTODIAN_DEMO_DELAY_MS = '0';
    home = tempHome('abort');
    host = await openBrowserHost(home);
  });
  afterAll(async () => {
    await host?.close();
  });

  it('two quick clicks on Enter leave one input event; the aborted ceremony opens after a restart and its transcript prints the reason', async () => {
    let page = host.page;
    await page.getByRole('button', { name: 'Ceremonies' }).click();
    await page.locator('button[data-template="dry-run-demo"]').click();
    await page.getByRole('button', { name: 'Start the ceremony' }).click();
    // everyone checks in; the drive stops when the first step that asks for typing is reached
    await expect(
      driveCeremony(page, {
        checkIns: PEOPLE,
        onStep: async (stepId) => {
          if (stepId === 'enter-phrase') throw new Error(STOP);
        },
      }),
    ).rejects.toThrow(STOP);
    const id = (await page.getAttribute('[data-testid="ceremony"]', 'data-ceremony'))!;
    const journal = join(home, 'ceremonies', id, 'journal.jsonl');

    const inputs = page.locator('[data-testid="current-step"][data-step="enter-phrase"] [data-testid="inputs"]');
    const by = inputs.locator('select[name="by"]');
    if (await by.count()) await by.selectOption('custodian-1');
    await inputs.locator('[name="phrase"]').fill('correct horse battery staple');
    await inputs.locator('[data-testid="submit-input"]').dblclick();
    // the step is entered (and run, typing and Enter being one action): the screen moves past it
    await page.waitForFunction(() => document.querySelector('[data-testid="current-step"]')?.getAttribute('data-step') !== 'enter-phrase', undefined, {
      timeout: 60_000,
    });
    await page.waitForFunction(() => !document.querySelector('[data-testid="progress"]'), undefined, { timeout: 60_000 });
    expect(await page.locator('[data-testid="ceremony-error"]').count(), 'a double click is not an error to show').toBe(0);
    const entered = journalEvents(journal).filter((e) => e.type === 'step.input-provided' && e.data.stepId === 'enter-phrase');
    expect(entered).toHaveLength(1);
    await page.screenshot({ path: screenshotPath('e2e-double-click-entered-once'), fullPage: true });

    // the administrator aborts, with the reason on record
    await page.getByRole('button', { name: 'Abort…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Abort the ceremony' });
    await dialog.locator('input[name="exceptionReason"]').fill(REASON);
    await dialog.getByRole('button', { name: 'Abort', exact: true }).click();
    await expect.poll(() => page.getAttribute('[data-testid="ceremony"]', 'data-status'), { timeout: 60_000 }).toBe('aborted');
    expect(journalEvents(journal).at(-1)?.type).toBe('journal.closed');

    // Custodian restarts; the aborted ceremony is listed with the finished ones, opens and prints
    await host.close();
    host = await openBrowserHost(home);
    page = host.page;
    await page.getByRole('button', { name: 'Ceremonies' }).click();
    const row = page.locator('tr', { hasText: id });
    await expect.poll(() => row.innerText(), { timeout: 30_000 }).toContain('aborted');
    expect(await row.innerText()).not.toMatch(/damaged/i);
    await row.getByRole('button', { name: 'Open' }).click();
    await expect.poll(() => page.getAttribute('[data-testid="ceremony"]', 'data-status'), { timeout: 60_000 }).toBe('aborted');
    await page.getByRole('button', { name: 'Print the transcript (PDF)' }).click();
    await page.locator('[data-testid="transcript-pdf"]').waitFor({ timeout: 120_000 });
    await page.screenshot({ path: screenshotPath('e2e-aborted-transcript'), fullPage: true });

    const text = execFileSync('pdftotext', [join(home, 'ceremonies', id, 'transcript.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(text).toContain(REASON);
    expect(text).toContain('ABORTED');
    expect(text).toContain(id);
  });
});
