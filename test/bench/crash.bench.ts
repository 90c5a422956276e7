// Crash bench: SIGKILLs `custodian run` CUSTODIAN_CRASH_KILLS times (default 200) spread over dry-run-demo,
// key-generation and backup — at moments spread over the whole run, inside the journal's active window and right
// after the journal closed — with torn last lines injected, and prints one JSON object with every outcome counted.
// Slow (every run starts the CLI, the device host and Chromium): run it alone, e.g.
//   CUSTODIAN_CRASH_KILLS=200 nice -n 10 npx tsx test/bench/crash.bench.ts
// CUSTODIAN_CRASH_TEMPLATES=dry-run-demo,key-generation picks the templates.
// CUSTODIAN_CRASH_PROGRESS=<file> keeps the counts so far in that file after every ceremony.
import { writeFileSync } from 'node:fs';
import { crashRuns, type CrashTemplate } from '../fixtures/crash-runs';

const total = Number(process.env.CUSTODIAN_CRASH_KILLS ?? 200);
const templates = (process.env.CUSTODIAN_CRASH_TEMPLATES ?? 'dry-run-demo,key-generation,backup').split(',') as CrashTemplate[];
const started = Date.now();
const results: Record<string, unknown> = {};
for (const [i, template] of templates.entries()) {
  const share = Math.floor(total / templates.length) + (i < total % templates.length ? 1 : 0);
  const progress = process.env.CUSTODIAN_CRASH_PROGRESS;
  results[template] = await crashRuns(template, share, {
    seed: 1000 + i,
    log: (l) => process.stderr.write(`${l}\n`),
    onProgress: (counts) => {
      if (progress) writeFileSync(progress, JSON.stringify({ ...results, [template]: counts, seconds: Math.round((Date.now() - started) / 1000) }, null, 2));
    },
  });
}
console.log(JSON.stringify({ kills: total, templates, seconds: Math.round((Date.now() - started) / 1000), results }, null, 2));
