// Issue 24 item 1 on screen: in key-generation the copy and the print are ticked only after they happened and the
// person said to watch them confirmed — the copy when the files are on the medium and the witness confirms the hashes
// shown (the test hashes the medium's files itself), the print when the PDF is made and the administrator confirms it
// came out. A copy to a medium that is not there and a print that cannot be written each leave their step open, and
// the ceremony reads "completed" only after the last confirmation.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { tempHome, useBrowserHost } from '../fixtures/harness';
import { driveCeremony } from './ceremony-driver';
import { ADMIN_AND_WITNESS, keyGenerationInputs, startKeyGeneration } from './keygen-room';

const EVIDENCE = ['export', 'check-copy', 'print-transcript', 'check-print'];
const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** Each step's status in the step list, by id. */
async function statuses(page: Page): Promise<Record<string, string>> {
  return page.locator('[data-testid="step-list"] li').evaluateAll((lis) => Object.fromEntries(lis.map((li) => [li.dataset.step!, li.dataset.status!])));
}

/** The step's own status (the list's mark), the ceremony still open, and nothing closed. */
async function expectOpen(page: Page, expected: Record<string, string>): Promise<void> {
  const now = await statuses(page);
  expect(Object.fromEntries(Object.keys(expected).map((id) => [id, now[id]]))).toEqual(expected);
  expect(await page.getAttribute('[data-testid="ceremony"]', 'data-status')).toBe('open');
  expect(await page.locator('[data-testid="ceremony-status"]').innerText()).toBe('open');
}

/** Presses the step's button (or the form's submit) and waits for the step to fail, showing its problem. */
async function failsWith(page: Page, press: () => Promise<void>): Promise<string> {
  await press();
  const problem = page.locator('[data-testid="step-problem"]');
  await problem.waitFor({ timeout: 60_000 });
  return problem.innerText();
}

/** Gives the reason and retries the failed step; the driver goes on from there. */
async function retry(page: Page, reason: string): Promise<void> {
  const problem = page.locator('[data-testid="step-problem"]');
  await problem.locator('input[name="retryReason"]').fill(reason);
  await problem.getByRole('button', { name: 'Retry the step' }).click();
  await problem.waitFor({ state: 'detached', timeout: 60_000 });
}

describe('evidence before a tick: the copy and the print in key-generation, in Chromium', () => {
  const browser = useBrowserHost('evidence');

  it('keeps the copy open until the files are on the medium and the witness confirms their hashes, and the print open until it is made and the administrator confirms it', async () => {
    const { host, home } = browser;
    const { page } = host;
    await startKeyGeneration(page, 'evidence-key');
    const id = (await page.getAttribute('[data-testid="ceremony"]', 'data-ceremony'))!;
    const dir = join(home, 'ceremonies', id);
    const printed = () => readdirSync(dir).filter((f) => /^transcript-at-event-\d+\.pdf$/.test(f));

    // the medium is not mounted yet when the administrator first gives its folder
    const medium = join(tempHome('medium'), 'usb');
    const seen: Record<string, string> = {};
    const result = await driveCeremony(page, {
      checkIns: ADMIN_AND_WITNESS,
      inputs: keyGenerationInputs(host.context.rehearsal!.pins.user, medium),
      onStep: async (stepId) => {
        const step = page.locator(`[data-testid="current-step"][data-step="${stepId}"]`);
        if (stepId === 'export') {
          await expectOpen(page, Object.fromEntries(EVIDENCE.map((s) => [s, 'pending'])));
          const inputs = step.locator('[data-testid="inputs"]');
          await inputs.locator('input[name="destination"]').fill(medium);
          seen.copyRefused = await failsWith(page, () => inputs.locator('[data-testid="submit-input"]').click());
          // nothing copied, nothing ticked
          expect(existsSync(medium)).toBe(false);
          await expectOpen(page, { export: 'failed', 'check-copy': 'pending', 'print-transcript': 'pending', 'check-print': 'pending' });
          mkdirSync(medium); // the medium is mounted
          await retry(page, 'The USB stick was not mounted; mounted now.');
        }
        if (stepId === 'check-copy') {
          // copied and read back: the step that copied is done; its check is not, until the witness confirms
          await expectOpen(page, { export: 'completed', 'check-copy': 'pending', 'print-transcript': 'pending' });
          seen.copy = await step.locator('[data-testid="show"]').innerText();
          const buttons = await step.locator('[data-testid="confirm"] button[data-confirm]').evaluateAll((bs) => bs.map((b) => b.getAttribute('data-confirm')));
          expect(buttons).toEqual(['witness-1']);
          expect(await step.locator('[data-testid="run-step"]').count()).toBe(0);
        }
        if (stepId === 'print-transcript') {
          await expectOpen(page, { 'check-copy': 'completed', 'print-transcript': 'pending', 'check-print': 'pending' });
          expect(printed()).toEqual([]);
          // the place the print goes is taken (a file of the same name from elsewhere): the print cannot be made
          const events = Number(await page.getAttribute('[data-testid="ceremony"]', 'data-events'));
          const blockers = Array.from({ length: 20 }, (_, i) => join(dir, `transcript-at-event-${events + i}.pdf`));
          for (const path of blockers) writeFileSync(path, 'not a transcript');
          seen.printRefused = await failsWith(page, () => step.locator('[data-testid="run-step"]').click());
          await expectOpen(page, { 'print-transcript': 'failed', 'check-print': 'pending' });
          for (const path of blockers) expect(readFileSync(path, 'utf8')).toBe('not a transcript');
          for (const path of blockers) rmSync(path);
          await retry(page, 'The printer tray was jammed; cleared.');
        }
        if (stepId === 'check-print') {
          // printed: the PDF is there, the hash on screen is its own; the step is open until the administrator confirms
          await expectOpen(page, { 'print-transcript': 'completed', 'check-print': 'pending', close: 'pending' });
          seen.print = await step.locator('[data-testid="show"]').innerText();
          const [file] = printed();
          expect(printed()).toHaveLength(1);
          expect(seen.print).toContain(`The transcript is saved as ${file}:`);
          expect(seen.print).toContain(`SHA-256 ${sha256(join(dir, file))}.`);
          const text = execFileSync('pdftotext', [join(dir, file), '-'], { encoding: 'utf8' });
          expect(text).toContain(id);
          // the witness cannot confirm it in the administrator's place
          const buttons = await step.locator('[data-testid="confirm"] button[data-confirm]').evaluateAll((bs) => bs.map((b) => b.getAttribute('data-confirm')));
          expect(buttons).toEqual(['administrator']);
          expect(await step.locator('[data-testid="run-step"]').count()).toBe(0);
        }
      },
    });

    expect(result.stepsSeen).toEqual(expect.arrayContaining(EVIDENCE));
    expect(result.status).toBe('completed');
    expect(Object.values(await statuses(page)).every((s) => s === 'completed')).toBe(true);

    // the refusals said what was wrong and that nothing was done
    expect(seen.copyRefused).toContain(`The folder ${medium} does not exist`);
    expect(seen.copyRefused).toContain('nothing was copied');
    expect(seen.printRefused).toMatch(/transcript-at-event-\d+\.pdf already exists; printed outputs are never overwritten/);

    // every output is on the medium, and each hash the witness confirmed is the medium file's own
    const outputs = readdirSync(join(dir, 'outputs')).sort();
    const copied = join(medium, id);
    expect(readdirSync(copied).sort()).toEqual(outputs);
    expect(outputs.length).toBeGreaterThan(0);
    for (const name of outputs) {
      const path = join(copied, name);
      expect(seen.copy).toContain(`${name}  ${statSync(path).size} bytes  SHA-256 ${sha256(path)}`);
    }

    // the journal: each failed attempt, its retry with the reason, then the confirmations by the people named
    const journal = readFileSync(join(dir, 'journal.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; data: Record<string, unknown> });
    const of = (type: string, stepId: string) => journal.filter((e) => e.type === type && e.data.stepId === stepId);
    expect(of('step.failed', 'export')).toHaveLength(1);
    expect(of('step.failed', 'print-transcript')).toHaveLength(1);
    expect(JSON.stringify(journal)).toContain('The printer tray was jammed; cleared.');
    expect(of('step.completed', 'check-copy')).toHaveLength(1);
    expect(of('step.completed', 'check-print')).toHaveLength(1);
    const confirmedBy = (stepId: string) => of('step.confirmed', stepId).map((e) => e.data.participantId);
    expect(confirmedBy('check-copy')).toEqual(['witness-1']);
    expect(confirmedBy('check-print')).toEqual(['administrator']);
  });
});
