// Benchmark: how long a 200-step transcript takes to become a PDF (model, HTML, Chromium print).
// Run: npx tsx test/bench/transcript.bench.ts   — prints one JSON object.
import { performance } from 'node:perf_hooks';
import { fingerprintOf } from '../../main/fingerprint';
import { GENESIS_PREV, hashEventFields, JournalEventType, type JournalEvent, type JsonValue } from '../../main/journal';
import { createChromiumPrinter } from '../../main/hosts/browser';
import { buildTranscriptModel, renderTranscriptHtml, renderTranscriptPdf } from '../../main/transcript';

const STEPS = 200;

function journalEvents(): JournalEvent[] {
  const drafts: { type: string; data: JsonValue }[] = [];
  const scriptSteps = Array.from(
    { length: STEPS },
    (_, i) => `  - id: step-${i + 1}\n    kind: confirm\n    title: Step ${i + 1} of the bench ceremony\n    quorum: { witnesses: 1 }\n`,
  );
  const scriptText = `metadata:\n  id: bench\n  title: Bench ceremony\nroles:\n  administrator: {}\n  witnesses: { count: 2 }\nsteps:\n${scriptSteps.join('')}`;
  drafts.push({
    type: JournalEventType.Opened,
    data: { ceremonyId: 'bench-200', title: 'Bench ceremony', rehearsal: true, scriptText, scriptSha256: fingerprintOf(scriptText).hex, devices: [] },
  });
  for (const [id, role, name] of [
    ['administrator', 'administrator', 'Ada'],
    ['witness-1', 'witness', 'Wendy'],
    ['witness-2', 'witness', 'Walt'],
  ]) {
    drafts.push({ type: 'participant.checked-in', data: { participantId: id, role, name, identityCheck: 'passport', checkedBy: 'administrator' } });
  }
  for (let i = 1; i <= STEPS; i++) {
    const stepId = `step-${i}`;
    drafts.push({ type: 'step.confirmed', data: { stepId, participantId: 'witness-1' } });
    drafts.push({ type: 'step.started', data: { stepId, index: i - 1, kind: 'confirm', attempt: 1 } });
    const result: JsonValue = i % 10 === 0 ? { fingerprint: fingerprintOf(stepId).hex, label: `key-${i}` } : { confirmedBy: ['witness-1'] };
    drafts.push({ type: 'step.completed', data: { stepId, attempt: 1, result, confirmedBy: ['witness-1'] } });
  }
  drafts.push({ type: JournalEventType.Closed, data: { eventCount: drafts.length + 1 } });
  let prev = GENESIS_PREV;
  return drafts.map((draft, i) => {
    const fields = { seq: i + 1, time: new Date(Date.UTC(2025, 0, 1, 9) + i * 1000).toISOString(), type: draft.type, data: draft.data, prev };
    const event = { ...fields, hash: hashEventFields(fields) };
    prev = event.hash;
    return event;
  });
}

const events = journalEvents();
let t = performance.now();
const model = buildTranscriptModel(events);
const modelMs = performance.now() - t;
t = performance.now();
const html = renderTranscriptHtml(model, { paper: 'A4' });
const htmlMs = performance.now() - t;

const printer = createChromiumPrinter();
try {
  t = performance.now();
  const cold = await renderTranscriptPdf(model, { paper: 'A4', printer });
  const coldMs = performance.now() - t; // includes launching Chromium
  const warm: number[] = [];
  let pages = cold.pages;
  for (let i = 0; i < 3; i++) {
    t = performance.now();
    pages = (await renderTranscriptPdf(model, { paper: i % 2 ? 'Letter' : 'A4', printer })).pages;
    warm.push(performance.now() - t);
  }
  warm.sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 10) / 10;
  console.log(
    JSON.stringify({
      bench: 'transcript',
      steps: STEPS,
      events: events.length,
      pages,
      pdfBytes: cold.pdf.length,
      htmlBytes: html.length,
      modelMs: round(modelMs),
      htmlMs: round(htmlMs),
      firstPdfMsIncludingLaunch: round(coldMs),
      pdfMsMedian: round(warm[1]),
      pdfMsRuns: warm.map(round),
    }),
  );
} finally {
  await printer.close();
}
