import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprintOf } from '../../../main/fingerprint';
import { Journal, verifyJournalFile, type JsonValue, type VerifyOk } from '../../../main/journal';
import { makeShareSet, shareSetRecord } from '../../../main/shares';
import { createChromiumPrinter } from '../../../main/hosts/browser';
import { transcriptModelFromJournal, renderTranscriptPdf, type PdfPrinter, type TranscriptModel } from '../../../main/transcript';
import { SCRIPT_TEXT } from '../../unit/transcript/ceremony-events';
import { pdfPages, pdfPageSize, pdfPageTexts, squeeze } from './pdf-text';

const CEREMONY_ID = 'root-keygen-20250314-0900';
const PARTICIPANTS = [
  { participantId: 'administrator', role: 'administrator', name: 'Ada Lovelace', identityCheck: 'passport checked against roster', checkedBy: 'witness-1' },
  { participantId: 'witness-1', role: 'witness', name: 'Wilhelmina Schmidt', identityCheck: 'national identity card', checkedBy: 'administrator' },
  { participantId: 'custodian-1', role: 'custodian', name: 'Carlos Pereira', identityCheck: 'driving licence', checkedBy: 'witness-1' },
  { participantId: 'custodian-2', role: 'custodian', name: 'Chiamaka Okafor', identityCheck: 'passport', checkedBy: 'witness-1' },
];
const STEP_TITLES = ['Welcome and purpose', 'Generate the root key pair', 'Split the backup key', 'Witnesses confirm the fingerprint'];

let dir: string;
let printer: PdfPrinter;
let verified: VerifyOk;
let model: TranscriptModel;
let keyFingerprint: string;

/** A ceremony journal written through the real journal API, as the engine writes it. */
async function writeCeremonyJournal(path: string): Promise<void> {
  let tick = Date.UTC(2025, 2, 14, 9, 0, 0);
  const journal = await Journal.create(path, {
    scriptSha256: fingerprintOf(SCRIPT_TEXT).hex,
    appVersion: '0.1.0',
    devices: [
      {
        kind: 'pkcs11',
        module: '/usr/lib/softhsm/libsofthsm2.so',
        tokens: [{ label: 'root-token', manufacturer: 'SoftHSM project', model: 'SoftHSM v2', serial: '5a1c0e7d93b1f2aa' }],
      },
    ],
    extra: { ceremonyId: CEREMONY_ID, title: 'Root key generation', rehearsal: false, scriptText: SCRIPT_TEXT, parameters: {} },
    clock: () => new Date((tick += 4000)),
  });
  for (const p of PARTICIPANTS) await journal.append('participant.checked-in', p);
  const run = async (stepId: string, index: number, kind: string, attempt: number, result: JsonValue, confirmedBy: string[] = []) => {
    for (const id of confirmedBy) await journal.append('step.confirmed', { stepId, participantId: id });
    await journal.append('step.started', { stepId, index, kind, attempt });
    await journal.append('step.completed', { stepId, attempt, result, confirmedBy });
  };
  await run('welcome', 0, 'announce', 1, {}, ['administrator']);
  await journal.append('step.started', { stepId: 'generate', index: 1, kind: 'action', attempt: 1 });
  await journal.append('step.failed', {
    stepId: 'generate',
    attempt: 1,
    reason: { code: 'DeviceTimeout', message: 'The token did not answer within 30 seconds.' },
  });
  await journal.append('step.retry', { stepId: 'generate', reason: 'token reseated by the administrator', by: 'administrator', afterAttempt: 1 });
  await run('generate', 1, 'action', 2, { keyLabel: 'root-2025', fingerprint: keyFingerprint });
  const secret = new Uint8Array(randomBytes(32));
  const set = await makeShareSet(secret, { entropyBits: 128, n: 2, m: 2 });
  secret.fill(0);
  await run('backup', 2, 'action', 1, { shareSet: shareSetRecord(set) as unknown as JsonValue });
  await run('sign-off', 3, 'confirm', 1, { confirmedBy: ['witness-1'] }, ['witness-1']);
  await journal.append('ceremony.completed', { steps: 4 });
  await journal.close({ outcome: 'completed', ceremonyId: CEREMONY_ID });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'transcript-pdf-'));
  keyFingerprint = fingerprintOf('root public key SPKI').hex;
  const journalPath = join(dir, 'journal.jsonl');
  await writeCeremonyJournal(journalPath);
  const result = await verifyJournalFile(journalPath, { requireClosed: true });
  if (!result.ok) throw new Error(result.message);
  verified = result;
  model = await transcriptModelFromJournal(journalPath);
  printer = createChromiumPrinter(); // one Chromium for the whole file
});

afterAll(async () => {
  await printer?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function expectEveryPageFooter(pages: string[]): void {
  pages.forEach((text, i) => {
    expect(text, `page ${i + 1}`).toContain(`page ${i + 1} of ${pages.length}`);
    expect(text, `page ${i + 1}`).toContain(CEREMONY_ID);
  });
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const wordsInOrder = (phrase: string) => new RegExp(phrase.split(/\s+/).map(escapeRegExp).join('[\\s\\S]*?'));

function expectCeremonyContent(pages: string[]): void {
  const all = pages.join('\n');
  // Table cells may wrap, and pdftotext then interleaves the columns: look for the words in order.
  for (const p of PARTICIPANTS) {
    expect(all).toMatch(wordsInOrder(p.name));
    expect(all).toMatch(wordsInOrder(p.identityCheck));
  }
  for (const title of STEP_TITLES) expect(all).toMatch(wordsInOrder(title));
  expect(all).toContain('DeviceTimeout');
  expect(all).toMatch(wordsInOrder('token reseated by the administrator'));
  // The chain head as the verifier computes it, in hex (possibly wrapped) and as 24 words in order.
  expect(squeeze(all)).toContain(verified.head);
  const headSection = all.slice(all.indexOf('Journal chain head'));
  const wordPattern = new RegExp(verified.headWords.map((w, i) => `${i + 1}\\.\\s+${w}\\b`).join('[\\s\\S]*?'));
  expect(headSection).toMatch(wordPattern);
  expect(squeeze(all)).toContain(keyFingerprint);
}

describe('printed transcript', () => {
  it('prints on A4 with everything a witness checks, and REHEARSAL on every page in rehearsal', async () => {
    const out = join(dir, 'transcript-a4.pdf');
    const printed = await renderTranscriptPdf({ ...model, rehearsal: true }, { paper: 'A4', out, printer });
    expect(pdfPageSize(out)).toContain('(A4)');
    const pages = pdfPageTexts(out);
    expect(pages.length).toBe(pdfPages(out));
    expect(printed.pages).toBe(pages.length);
    expectEveryPageFooter(pages);
    expectCeremonyContent(pages);
    pages.forEach((text, i) => expect(text, `page ${i + 1}`).toContain('REHEARSAL'));
  });

  it('prints on US Letter without any REHEARSAL mark for a real ceremony', async () => {
    const out = join(dir, 'transcript-letter.pdf');
    await renderTranscriptPdf(model, { paper: 'Letter', out, printer });
    expect(pdfPageSize(out)).toContain('(letter)');
    const pages = pdfPageTexts(out);
    expect(pages.length).toBe(pdfPages(out));
    expectEveryPageFooter(pages);
    expectCeremonyContent(pages);
    expect(pages.join('\n')).not.toMatch(/REHEARSAL/i);
  });

  it('never overwrites a transcript already printed', async () => {
    const out = join(dir, 'transcript-once.pdf');
    await renderTranscriptPdf(model, { paper: 'A4', out, printer });
    await expect(renderTranscriptPdf(model, { paper: 'A4', out, printer })).rejects.toMatchObject({ code: 'OutputExists' });
  });
});
