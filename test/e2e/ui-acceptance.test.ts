import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkScreen, type AxeFinding } from './axe';
import { driveCeremony } from './ceremony-driver';
import { execCliSync, tempHome, useBrowserHost } from '../fixtures/harness';

const PEOPLE = [
  { participant: 'administrator', name: 'Ada Lovelace', identityCheck: 'Passport checked against the roster', checkedBy: 'witness-1' },
  { participant: 'witness-1', name: 'Wendy Okafor', identityCheck: 'Passport checked against the roster', checkedBy: 'administrator' },
];
const squeeze = (text: string) => text.replace(/\s+/g, '');

/** pdftotext of one page (1-based). */
const pageText = (pdf: string, n: number) => execFileSync('pdftotext', ['-layout', '-f', String(n), '-l', String(n), pdf, '-'], { encoding: 'utf8' });

describe('the key-generation ceremony as the room lives it (browser host, headless)', () => {
  const browser = useBrowserHost('ui-acceptance');

  it('a wrong PIN is typed again without an exception, a reload offers to resume, and screen, paper and verify show one chain head', async () => {
    const { host, home } = browser;
    const { page } = host;
    const rehearsal = host.context.rehearsal!;
    const findings: AxeFinding[] = [];
    await page.locator('[data-testid="modules-panel"]').waitFor();
    findings.push(...(await checkScreen(page, 'keygen-00-devices')));
    await page.getByRole('button', { name: 'Ceremonies' }).click();
    findings.push(...(await checkScreen(page, 'keygen-01-ceremonies')));
    await page.locator('button[data-template="key-generation"]').click();
    const form = page.locator('[data-testid="new-ceremony"]');
    await form.locator('select[name="algorithm"]').selectOption('EC-P256');
    await form.locator('input[name="label"]').fill('root-ui');
    await form.locator('input[name="subject"]').fill('CN=Custodian UI Root, O=Custodian Test, C=NL');
    await form.locator('input[name="validityYears"]').fill('10');
    await form.locator('input[name="selfSigned"]').check();
    findings.push(...(await checkScreen(page, 'keygen-02-new-ceremony')));
    await page.getByRole('button', { name: 'Start the ceremony' }).click();
    await page.locator('[data-testid="check-in"]').waitFor();
    findings.push(...(await checkScreen(page, 'keygen-03-check-in')));

    let reloaded = false;
    let rejectionText = '';
    let countersBefore = '';
    let countersAfter = '';
    const result = await driveCeremony(page, {
      checkIns: PEOPLE,
      inputs: {
        login: { by: 'administrator', values: { pin: rehearsal.pins.user } },
        export: { by: 'administrator', values: { destination: tempHome('medium') } },
      },
      onStep: async (stepId) => {
        findings.push(...(await checkScreen(page, `keygen-step-${stepId}`)));
        if (stepId === 'login') {
          const readAloud = page.locator('[data-testid="current-step"] .read-aloud');
          countersBefore = await readAloud.innerText();
          // the holder mistypes, and presses Enter: one action; the token refuses; no reason is asked, nothing is an exception
          await page.locator('[data-testid="inputs"] input[name="pin"]').fill('wrong-pin-0000');
          await page.locator('[data-testid="inputs"] input[name="pin"]').press('Enter');
          await page.locator('[data-testid="rejection"]').waitFor({ timeout: 60_000 });
          rejectionText = await page.locator('[data-testid="rejection"]').innerText();
          countersAfter = await readAloud.innerText();
          expect(await page.locator('[data-testid="exceptions"]').count()).toBe(0);
          expect(await page.locator('[data-testid="step-problem"]').count()).toBe(0);
          expect(await page.locator('input[name="retryReason"]').count()).toBe(0);
          findings.push(...(await checkScreen(page, 'keygen-step-login-wrong-pin')));
        }
        if (stepId === 'generate' && !reloaded) {
          reloaded = true;
          await page.reload();
          const banner = page.locator('[data-testid="resume-banner"]');
          await banner.waitFor();
          expect(await banner.innerText()).toMatch(/Ceremony in progress: Key generation, step \d+ of \d+ — Resume/);
          findings.push(...(await checkScreen(page, 'keygen-resume-banner')));
          await banner.getByRole('button', { name: 'Resume' }).click();
          await page.locator('[data-testid="current-step"][data-step="generate"]').waitFor();
        }
      },
    });
    expect(result.status).toBe('completed');
    expect(reloaded).toBe(true);
    expect(rejectionText).toMatch(/Wrong PIN/);
    expect(rejectionText).toMatch(/1 try was refused/);
    // one message, and the counter line above it agrees: SoftHSM2 sets only COUNT_LOW, which gives no count
    expect(countersBefore).toMatch(/PIN counters: The user PIN counter is clean\./);
    expect(rejectionText).toMatch(/^Wrong PIN\. The token has counted a wrong try \(it does not say how many are left\)\.\n/);
    expect(rejectionText).not.toMatch(/few|before it locks|final/i);
    expect(countersAfter).toMatch(/PIN counters: The token has counted a wrong user PIN \(it does not say how many tries are left\)\./);
    expect(countersAfter).not.toMatch(/clean/);
    expect(await page.locator('[data-testid="exceptions"]').count()).toBe(0);
    findings.push(...(await checkScreen(page, 'keygen-closing')));

    // one chain head: the closing screen's, the PDF's and custodian verify's
    const id = (await page.getAttribute('[data-testid="ceremony"]', 'data-ceremony'))!;
    const dir = join(home, 'ceremonies', id);
    const onScreen = squeeze(await page.locator('[data-testid="chain-head"]').innerText());
    expect(onScreen).toMatch(/^[0-9a-f]{64}$/);
    const verify = execCliSync(['verify', join(dir, 'journal.jsonl')]);
    expect(verify.status, verify.stdout + verify.stderr).toBe(0);
    expect(/Chain head \(hex\):\s+([0-9a-f]{64})/.exec(verify.stdout)![1]).toBe(onScreen);
    // and in words, numbered 1. to 24. as on paper: the words custodian verify prints for the same journal
    const verifyWords = /Chain head \(words\):\s+((?:[a-z]+\s+){23}[a-z]+)/.exec(verify.stdout)![1].split(/\s+/);
    const screenWords = await page.locator('[data-testid="chain-head-words"] td').allInnerTexts();
    expect(screenWords).toEqual(verifyWords.map((w, i) => `${i + 1}. ${w}`));
    await page.getByRole('button', { name: 'Print the transcript (PDF)' }).click();
    await page.locator('[data-testid="transcript-pdf"]').waitFor({ timeout: 60_000 });
    const pdf = join(dir, 'transcript.pdf');
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))![1]);
    const texts = Array.from({ length: pages }, (_, i) => pageText(pdf, i + 1));
    const appendixPage = texts.findIndex((t) => /APPENDIX/.test(t)) + 1;
    expect(appendixPage).toBeGreaterThan(1);
    expect(appendixPage - 1).toBeLessThanOrEqual(3);
    const beforeAppendix = texts.slice(0, appendixPage - 1).join('\n');
    expect(squeeze(beforeAppendix)).toContain(onScreen);
    expect(await page.locator('[data-testid="ceremony"]').getAttribute('data-events')).toBe(
      /COMPLETED and closed: (\d+) events, chain intact\./.exec(verify.stdout)![1],
    );

    // page 1: the summary with the key's fingerprint and the certificate's SHA-256
    const journal = execFileSync('cat', [join(dir, 'journal.jsonl')], { encoding: 'utf8' });
    const fingerprint = /"publicKeySha256":"([0-9a-f]{64})"/.exec(journal)![1];
    const certificateSha = /"certificateFingerprint":"([0-9a-f]{64})"/.exec(journal)![1];
    expect(squeeze(texts[0])).toContain(fingerprint);
    expect(squeeze(texts[0])).toContain(certificateSha);
    expect(texts[0]).toMatch(/Summary/);
    // no word split by a line break: every word of the step titles and one-line results reads whole
    const words = new Set(
      (await page.locator('[data-testid="step-list"] li').allInnerTexts())
        .join(' ')
        .split(/[^A-Za-z]+/)
        .filter((w) => w.length >= 4),
    );
    for (const word of [...words, 'Rehearsal', 'Lovelace', 'Okafor', 'refused']) expect(beforeAppendix, word).toMatch(new RegExp(`\\b${word}\\b`, 'i'));

    await page.getByRole('button', { name: 'Preview the transcript' }).click();
    await page.locator('[data-testid="transcript-preview"]').waitFor();
    findings.push(...(await checkScreen(page, 'keygen-transcript-preview')));
    expect(findings, JSON.stringify(findings, null, 2)).toEqual([]);
  });
});
