import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { answersExample, getTemplate } from '../../main/ceremony';
import { parse as parseYaml } from 'yaml';
import { driveCeremony } from './ceremony-driver';
import { DEMO_PEOPLE as PEOPLE, runCli, screenshotPath, useBrowserHost } from '../fixtures/harness';

/** The step events of a journal, as (type, step id) pairs: what the UI and the CLI must both produce. */
function stepEvents(journalPath: string): string[] {
  return readFileSync(journalPath, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { type: string; data: { stepId?: string } })
    .filter((e) => e.type.startsWith('step.') || e.type.startsWith('reveal.'))
    .map((e) => `${e.type} ${e.data.stepId}`);
}

function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  return runCli(args, env);
}

describe('the dry-run demo ceremony', () => {
  const browser = useBrowserHost('demo', { CUSTODIAN_DEMO_DELAY_MS: '0' });

  it('runs through the UI with an administrator, 2-of-3 custodians and a witness; the transcript holds everyone, every step and the verified chain head', async () => {
    const { host, home } = browser;
    const { page } = host;
    await page.getByRole('button', { name: 'Ceremonies' }).click();
    await page.locator('button[data-template="dry-run-demo"]').click();
    await page.getByRole('button', { name: 'Start the ceremony' }).click();
    const result = await driveCeremony(page, {
      checkIns: PEOPLE,
      inputs: {
        'enter-phrase': { by: 'custodian-1', values: { phrase: 'correct horse battery staple' } },
        'make-secret': { by: 'custodian-1', values: { rehearsalPin: '246810' } },
      },
      // The same people confirm as in the answers example, so the UI and the CLI runs can be compared event by event.
      confirmations: Object.fromEntries(
        Object.entries((parseYaml(answersExample('dry-run-demo')!) as { steps: Record<string, { confirmations?: string[] }> }).steps)
          .filter(([, s]) => s.confirmations)
          .map(([id, s]) => [id, s.confirmations!]),
      ),
      screenshotPrefix: 'e2e-demo',
    });
    expect(result.status).toBe('completed');
    expect(result.revealed['reveal-secret']).toMatch(/[0-9a-f]{4}/);

    const id = (await page.getAttribute('[data-testid="ceremony"]', 'data-ceremony'))!;
    const dir = join(home, 'ceremonies', id);
    await page.getByRole('button', { name: 'Print the transcript (PDF)' }).click();
    await page.locator('[data-testid="transcript-pdf"]').waitFor({ timeout: 60_000 });
    await page.screenshot({ path: screenshotPath('e2e-demo-transcript'), fullPage: true });

    const verify = await cli(['verify', join(dir, 'journal.jsonl')]);
    expect(verify.status, verify.stderr).toBe(0);
    const head = /Chain head \(hex\):\s+([0-9a-f]{64})/.exec(verify.stdout)![1];
    const words = /Chain head \(words\):\s+(.+)\n\s+(.+)/.exec(verify.stdout)!;

    const text = execFileSync('pdftotext', [join(dir, 'transcript.pdf'), '-'], { encoding: 'utf8' });
    const flat = text.replace(/\s+/g, ' ');
    for (const person of PEOPLE) expect(flat).toContain(person.name);
    // Table cells wrap long titles: compare without white space.
    const compact = text.replace(/\s+/g, '');
    for (const step of getTemplate('dry-run-demo')!.script.steps) expect(compact).toContain(step.title.replace(/\s+/g, ''));
    // The chain head may wrap across lines in the PDF: compare without white space.
    expect(compact).toContain(head);
    const spoken = `${words[1]} ${words[2]}`.trim().split(/\s+/);
    const section = text.slice(text.lastIndexOf('Journal chain head'));
    const printedWords = [...section.matchAll(/^\s*\d+\.\s+([a-z]+)\s*$/gm)].slice(0, 24).map((m) => m[1]);
    expect(printedWords).toEqual(spoken);
    expect(flat).toContain('REHEARSAL');

    // The preview on screen is the same document, built from the same journal.
    await page.getByRole('button', { name: 'Preview the transcript' }).click();
    const preview = page.locator('[data-testid="transcript-preview"]');
    await preview.waitFor();
    const previewText = (await preview.innerText()).replace(/\s+/g, '');
    for (const person of PEOPLE) expect(previewText).toContain(person.name.replace(/\s+/g, ''));
    expect(previewText).toContain(head);
    await preview.screenshot({ path: screenshotPath('e2e-demo-transcript-preview') });
    // The browser host has no system print dialog or folder picker, and says so; export to a typed folder works.
    await page.getByRole('button', { name: 'Print…' }).click();
    await expect.poll(() => page.locator('[data-testid="transcript-message"]').innerText()).toContain('print the transcript PDF instead');
    const media = join(home, 'usb-stick');
    // A folder that is not there (the medium not inserted, a typo) is refused before anything is copied.
    await page.locator('input[name="destination"]').fill(media);
    await expect.poll(() => page.locator('[data-testid="export-destination-problem"]').innerText()).toContain('does not exist');
    await expect.poll(() => page.getByRole('button', { name: 'Export outputs' }).isDisabled()).toBe(true);
    expect(existsSync(media)).toBe(false);
    mkdirSync(media); // the medium is inserted: an export writes into an existing folder only
    // Before the export the screen names the device, its file system and free space, and warns that this folder
    // is on the disk that holds the data folder (a temporary folder here, never a removable medium).
    await page.locator('input[name="destination"]').fill(`${media}/`);
    const described = page.locator('[data-testid="export-destination"]');
    await described.waitFor();
    const mediumDevice = execFileSync('df', ['--output=source', media], { encoding: 'utf8' }).trim().split('\n').pop()!;
    expect(await described.innerText()).toContain(mediumDevice);
    expect(await page.locator('[data-testid="export-free-space"]').innerText()).toMatch(/^[\d.]+ (bytes|kB|MB|GB|TB) free$/);
    expect(await page.locator('[data-testid="export-warning"]').innerText()).toMatch(/is on the (system disk|disk that holds Custodian’s data folder)/);
    await page.screenshot({ path: screenshotPath('e2e-demo-export-destination'), fullPage: true });
    await page.getByRole('button', { name: 'Export outputs' }).click();
    await expect.poll(() => page.locator('[data-testid="export-message"]').innerText()).toContain(`to ${join(media, id)}`);
    expect(readFileSync(join(media, id, 'journal.jsonl'), 'utf8')).toBe(readFileSync(join(dir, 'journal.jsonl'), 'utf8'));

    // The CLI runs the same template from its answers example and produces the same sequence of step events.
    const scriptFile = join(home, 'demo.yaml');
    const answersFile = join(home, 'demo-answers.yaml');
    writeFileSync(scriptFile, (await cli(['template', 'dry-run-demo'])).stdout);
    writeFileSync(answersFile, answersExample('dry-run-demo')!);
    const out = join(home, 'cli-run');
    const run = await cli(['run', scriptFile, '--answers', answersFile, '--rehearsal', '--out', out], {
      CUSTODIAN_HOME: join(home, 'cli-home'),
      CUSTODIAN_DEMO_DELAY_MS: '0',
    });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect((await cli(['verify', join(out, 'journal.jsonl')])).status).toBe(0);
    expect(stepEvents(join(out, 'journal.jsonl'))).toEqual(stepEvents(join(dir, 'journal.jsonl')));
  });
});
