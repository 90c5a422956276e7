import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { MemoryTransport, YubiHsmClient, YubiHsmSimulator } from '../../../native/yubihsm';
import { REHEARSAL_PASSWORDS } from '../../fixtures/templates/answers';
import { pdfPageTexts } from '../transcript/pdf-text';
import { filesContaining } from '../../fixtures/harness';
import { cliIn, runTemplate } from './helpers';

// `custodian run` of yubihsm-setup in one Custodian home (its rehearsal simulator), then of yubihsm-restore from its
// answers example in a second home, whose rehearsal simulator is new (factory state): the custodians' shares are read
// off the rehearsal share cards the setup printed, as they would be typed from paper. Both journals verify. And
// `custodian share check` recognises a share in Yubico's format, and refuses one whose form shows a typo.

const vectors = JSON.parse(readFileSync('test/fixtures/yubihsm/yubico-shares.json', 'utf8')) as { setup: { shares: string[] } };

const custodian = cliIn;
const run = runTemplate;

/** The share printed on a rehearsal card, as its custodian reads it: "cshare1" and the numbered groups after it. */
function shareOnCard(pdf: string): string {
  const text = pdfPageTexts(pdf).join('\n');
  const block = text.slice(text.indexOf('cshare1') + 'cshare1'.length, text.indexOf('Type the groups'));
  const groups = [...block.matchAll(/(\d+)\s+([02-9ac-hj-np-z]{1,4})(?=\s|$)/g)].sort((x, y) => Number(x[1]) - Number(y[1])).map((m) => m[2]);
  if (groups.length < 10) throw new Error(`no share on ${pdf}`);
  return `cshare1 ${groups.join(' ')}`;
}

describe('custodian run of yubihsm-restore on a new rehearsal simulator', () => {
  it('restores what yubihsm-setup backed up, from the shares on the rehearsal cards', async () => {
    const setupHome = mkdtempSync(join(tmpdir(), 'custodian-yubihsm-setup-'));
    const example = await custodian(setupHome, ['template', 'yubihsm-setup', '--answers-example']);
    expect(example.code, example.out).toBe(0);
    const setup = await run(setupHome, 'yubihsm-setup', example.out);
    const cards = readdirSync(join(setup, 'outputs'))
      .filter((f) => /^share-card-.*-\d\.pdf$/.test(f))
      .sort();
    expect(cards.length).toBe(3);
    const shares = cards.map((c) => shareOnCard(join(setup, 'outputs', c)));

    const home = mkdtempSync(join(tmpdir(), 'custodian-yubihsm-restore-'));
    const restoreExample = await custodian(home, ['template', 'yubihsm-restore', '--answers-example']);
    expect(restoreExample.code, restoreExample.out).toBe(0);
    const answers = parse(restoreExample.out) as {
      parameters: Record<string, unknown>;
      steps: Record<string, { input?: { values: Record<string, unknown> } }>;
    };
    answers.parameters = { ...answers.parameters, backups: join(setup, 'outputs'), setupJournal: join(setup, 'journal.jsonl') };
    answers.steps['enter-share-1'].input!.values.share = shares[1];
    answers.steps['enter-share-2'].input!.values.share = shares[2];
    const restore = await run(home, 'yubihsm-restore', stringify(answers));

    // the new device (a copy of the second home's simulator state): key 1 gone, the restored keys open sessions
    const state = join(mkdtempSync(join(tmpdir(), 'yubihsm-restored-')), 'state.json');
    writeFileSync(state, readFileSync(join(home, 'rehearsal', 'yubihsm-simulator.json')));
    const client = new YubiHsmClient(new MemoryTransport(new YubiHsmSimulator({ stateFile: state })), { keepAliveMs: 0 });
    expect(await client.canOpenSession(1, 'password')).toMatchObject({ ok: false, code: 'OBJECT_NOT_FOUND' });
    expect((await client.canOpenSession(2, REHEARSAL_PASSWORDS.admin)).ok).toBe(true);
    expect((await client.canOpenSession(4, REHEARSAL_PASSWORDS.auditor)).ok).toBe(true);
    await client.close();
    const transcript = pdfPageTexts(join(restore, 'transcript.pdf')).join('\n');
    expect(transcript).toMatch(/REHEARSAL/);
    const secrets = [...Object.values(REHEARSAL_PASSWORDS), ...shares.map((s) => s.replace(/\s+/g, '').slice(7, 40))];
    for (const s of secrets) expect(transcript.replace(/\s+/g, '')).not.toContain(s);
    expect(filesContaining(join(restore, 'outputs'), secrets)).toEqual([]);
    expect(filesContaining(restore, secrets).filter((h) => !h.file.endsWith('answers.yaml'))).toEqual([]);
  }, 300_000);

  it('custodian share check recognises a share written by Yubico’s yubihsm-setup, and refuses a mistyped one', async () => {
    const home = mkdtempSync(join(tmpdir(), 'custodian-share-check-'));
    const ok = await custodian(home, ['share', 'check', vectors.setup.shares[0]]);
    expect(ok.code, ok.out).toBe(0);
    expect(ok.out).toMatch(/yubihsm-setup format: share 1, any 2 rebuild/);
    const typo = await custodian(home, ['share', 'check', `${vectors.setup.shares[0].slice(0, -1)}B`]);
    expect(typo.code).toBe(1);
    expect(typo.out).toMatch(/last character cannot end a yubihsm-setup share/);
  });
});
