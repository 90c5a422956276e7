#!/usr/bin/env node
// `npm run bench`: runs every test/bench/*.bench.ts (each prints one JSON object) and prints them as one JSON array.
// The benchmarks are TypeScript run through tsx (a devDependency); what they measure starts from built code.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const only = process.argv.slice(2);
const files = readdirSync(join(root, 'test/bench'))
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
const results = [];
for (const file of files) {
  process.stderr.write(`bench: ${file}\n`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', join('test/bench', file)], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) {
    results.push({ bench: file, error: (run.stderr || run.stdout).trim().split('\n').slice(-5).join('\n') });
    continue;
  }
  const text = run.stdout.trim();
  try {
    // One JSON object: on one line (the last) or pretty-printed across the whole output.
    let parsed;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = JSON.parse(text.split('\n').at(-1));
    }
    results.push({ bench: file, ...parsed });
  } catch {
    results.push({ bench: file, error: 'did not print JSON', output: run.stdout.slice(-500) });
  }
}
console.log(JSON.stringify(results, null, 2));
