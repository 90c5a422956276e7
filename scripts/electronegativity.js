#!/usr/bin/env node
// Runs @doyensec/electronegativity over the Electron glue, the preload and the renderer's HTML together (its global
// checks need to see them as one app), offline (-e: it cannot look versions up). Any HIGH or MEDIUM finding must be
// explained in scripts/electronegativity-allowlist.json, or this fails.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const electronVersion = JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')).version;
const allowlist = JSON.parse(readFileSync(join(root, 'scripts/electronegativity-allowlist.json'), 'utf8'));
const work = mkdtempSync(join(tmpdir(), 'electronegativity-'));
try {
  cpSync(join(root, 'main/app'), join(work, 'main/app'), { recursive: true });
  cpSync(join(root, 'preload'), join(work, 'preload'), { recursive: true });
  cpSync(join(root, 'renderer/index.html'), join(work, 'renderer/index.html'));
  const out = join(work, 'report.csv');
  const run = spawnSync(join(root, 'node_modules/.bin/electronegativity'), ['-i', work, '-e', electronVersion, '-r', '-v', 'false', '-o', out], {
    encoding: 'utf8',
  });
  if (run.status !== 0) {
    console.error(run.stdout, run.stderr);
    process.exit(1);
  }
  const rows = readFileSync(out, 'utf8').trim().split('\n').slice(1).filter(Boolean);
  const findings = rows.map((row) => {
    const [issue, severity, confidence, file, location] = row.split(',').map((c) => c.replace(/^"|"$/g, ''));
    return { issue, severity, confidence, file, location };
  });
  let unexplained = 0;
  for (const f of findings) {
    const reason = allowlist[f.issue];
    const serious = f.severity === 'HIGH' || f.severity === 'MEDIUM';
    const verdict = !serious ? 'low' : reason ? 'explained' : 'UNEXPLAINED';
    if (verdict === 'UNEXPLAINED') unexplained++;
    console.log(`electronegativity: ${f.severity} ${f.issue} ${f.file}:${f.location} — ${verdict}${reason ? `: ${reason}` : ''}`);
  }
  console.log(`electronegativity (Electron ${electronVersion}): ${findings.length} findings, ${unexplained} high/medium unexplained`);
  process.exit(unexplained ? 1 : 0);
} finally {
  rmSync(work, { recursive: true, force: true });
}
