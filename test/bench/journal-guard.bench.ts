// The journal's value guard (main/journal/value-guard.ts), printed as one JSON object:
//  - the guard alone on a typical step-completed event, with 0 and with 8 secrets held (what a 5-custodian backup
//    holds at its busiest: the KEK, five share texts, a typed PIN, a reveal), in CPU microseconds per check;
//  - journal appends with fsync, sequentially, without and with the guard holding those 8 secrets.
// Run: npx tsx test/bench/journal-guard.bench.ts
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertNoSecretValues, Journal, type JsonValue } from '../../main/journal';
import { makeShareSet } from '../../main/shares';

const root = mkdtempSync(join(tmpdir(), 'journal-guard-bench-'));

const kek = new Uint8Array(randomBytes(32));
const set = await makeShareSet(kek, { entropyBits: 256, n: 5, m: 3 });
const held: Array<Uint8Array | string> = [
  kek,
  ...set.shares.map((s) => s.text),
  new TextEncoder().encode('24681357'),
  new TextEncoder().encode(set.shares[0].grouped),
];

const event: JsonValue = {
  stepId: 'split-kek',
  attempt: 1,
  result: {
    setId: set.setId,
    n: 5,
    m: 3,
    checkValue: `${set.checkValue.method} ${set.checkValue.value}`,
    shareSet: { commitments: set.shares.map((s) => ({ index: s.index, commitment: s.commitment })) },
  },
  confirmedBy: ['administrator', 'witness-1'],
  outputs: [],
  revealKeys: set.shares.map((s) => `share-${s.index}`),
};

/** CPU microseconds per check (CPU time, not wall time: the machine may be busy with other work) */
function guardCost(secrets: Array<Uint8Array | string>, count: number): number {
  const before = process.cpuUsage();
  for (let i = 0; i < count; i++) assertNoSecretValues(event, secrets);
  const used = process.cpuUsage(before);
  return Math.round(((used.user + used.system) / count) * 10) / 10;
}

async function appendRate(guarded: boolean, count: number): Promise<number> {
  const journal = await Journal.create(join(root, `append-${guarded}.jsonl`), { scriptSha256: '0'.repeat(64), appVersion: 'bench', devices: [] });
  if (guarded) journal.guardSecretValues(() => held);
  const started = process.hrtime.bigint();
  for (let i = 0; i < count; i++) await journal.append('step.completed', event);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await journal.release();
  return Math.round(count / seconds);
}

try {
  console.log(
    JSON.stringify({
      bench: 'journal-guard',
      guardCpuMicrosecondsPerCheck: { secretsHeld0: guardCost([], 20_000), secretsHeld8: guardCost(held, 5_000) },
      appendsPerSecond: { unguarded: await appendRate(false, 300), guarded8Secrets: await appendRate(true, 300) },
    }),
  );
} finally {
  rmSync(root, { recursive: true, force: true });
}
