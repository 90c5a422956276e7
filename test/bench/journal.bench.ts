// Journal benchmarks, printed as one JSON object:
//  - append throughput with fsync (each append written and fsync'ed before it resolves), sequential and 8 in flight;
//  - time to rebuild a 10,000-event ceremony from its journal (read, verify the chain, parse the script, replay).
// Run: npx tsx test/bench/journal.bench.ts
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ceremony, inspectCeremony, JOURNAL_FILE, parseScript } from '../../main/ceremony';
import {
  collectHostFacts,
  GENESIS_PREV,
  hashEventFields,
  Journal,
  serialiseEvent,
  verifyJournalFile,
  type JournalEvent,
  type JsonValue,
} from '../../main/journal';

const root = mkdtempSync(join(tmpdir(), 'journal-bench-'));

async function appendThroughput(count: number, inFlight: number): Promise<number> {
  const path = join(root, `append-${inFlight}.jsonl`);
  const journal = await Journal.create(path, { scriptSha256: '0'.repeat(64), appVersion: 'bench', devices: [] });
  const started = process.hrtime.bigint();
  for (let i = 0; i < count; i += inFlight) {
    await Promise.all(
      Array.from({ length: Math.min(inFlight, count - i) }, (_, k) => journal.append('bench.event', { n: i + k, note: 'a typical small step event' })),
    );
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await journal.release();
  return Math.round(count / seconds);
}

/** Writes a valid 10,000-event ceremony journal directly (no fsync per line), as the engine would have. */
function writeLargeCeremony(dir: string, steps: number): number {
  const stepsYaml = Array.from({ length: steps }, (_, i) => `  - { id: s${i}, kind: confirm, title: Step ${i}, quorum: { witnesses: 1 } }`).join('\n');
  const scriptText = `metadata: { id: big, title: Big ceremony }\nroles:\n  administrator: {}\n  witnesses: { count: 1 }\nsteps:\n${stepsYaml}\n`;
  const parsed = parseScript(scriptText);
  const drafts: { type: string; data: JsonValue }[] = [
    {
      type: 'journal.opened',
      data: {
        ceremonyId: 'big-1',
        title: 'Big ceremony',
        rehearsal: true,
        scriptText,
        parameters: {},
        scriptSha256: parsed.sha256,
        appVersion: 'bench',
        host: collectHostFacts(),
        devices: [],
      },
    },
    {
      type: 'participant.checked-in',
      data: { participantId: 'administrator', role: 'administrator', name: 'Ada', identityCheck: 'passport', checkedBy: 'witness-1' },
    },
    {
      type: 'participant.checked-in',
      data: { participantId: 'witness-1', role: 'witness', name: 'Wendy', identityCheck: 'passport', checkedBy: 'administrator' },
    },
  ];
  for (let i = 0; i < steps; i++) {
    drafts.push({ type: 'step.confirmed', data: { stepId: `s${i}`, participantId: 'witness-1' } });
    drafts.push({ type: 'step.started', data: { stepId: `s${i}`, index: i, kind: 'confirm', attempt: 1 } });
    drafts.push({ type: 'step.completed', data: { stepId: `s${i}`, attempt: 1, result: { confirmedBy: ['witness-1'] }, confirmedBy: ['witness-1'] } });
  }
  let prev = GENESIS_PREV;
  const lines: string[] = [];
  drafts.forEach((draft, i) => {
    const fields = { seq: i + 1, time: new Date(Date.UTC(2025, 0, 1) + i * 1000).toISOString(), type: draft.type, data: draft.data, prev };
    const event: JournalEvent = { ...fields, hash: hashEventFields(fields) };
    lines.push(serialiseEvent(event));
    prev = event.hash;
  });
  writeFileSync(join(dir, JOURNAL_FILE), lines.map((l) => l + '\n').join(''));
  return lines.length;
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const started = process.hrtime.bigint();
  const value = await fn();
  return [value, Math.round(Number(process.hrtime.bigint() - started) / 1e4) / 100];
}

try {
  const sequential = await appendThroughput(300, 1);
  const concurrent = await appendThroughput(300, 8);
  const dir = join(root, 'big');
  (await import('node:fs')).mkdirSync(dir);
  const events = writeLargeCeremony(dir, 3333);
  const [, verifyMs] = await timed(() => verifyJournalFile(join(dir, JOURNAL_FILE)));
  const [, inspectMs] = await timed(() => inspectCeremony(join(dir, JOURNAL_FILE)));
  const [ceremony, openMs] = await timed(() => Ceremony.open(dir));
  const complete = ceremony.view().status;
  await ceremony.release();
  console.log(
    JSON.stringify({
      appendWithFsyncEventsPerSecond: sequential,
      appendWithFsyncEventsPerSecond8InFlight: concurrent,
      rebuild: { events, verifyMs, inspectMs, openMs, statusAfterOpen: complete },
    }),
  );
} finally {
  rmSync(root, { recursive: true, force: true });
}
