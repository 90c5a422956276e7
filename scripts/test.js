#!/usr/bin/env node
// `npm test`: the whole suite on a fresh machine. Sets up what it needs (Debian packages when root, npm ci when
// node_modules is missing), then runs every vitest project (unit, integration against SoftHSM2 and
// the real device host, end-to-end in Chromium) with lint, the prettier check, typecheck and electronegativity beside it,
// and ends with one line totalling them all.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { setPriority } from 'node:os';
import { join } from 'node:path';
import { ensureNodeModules, ensureSystemPackages, ROOT } from './setup.js';

ensureSystemPackages(['softhsm2', 'opensc', 'chromium', 'openssl', 'poppler-utils', 'gcc', 'libc6-dev']);
ensureNodeModules();

const startedAt = Date.now();
const results = []; // { name, passed, failed }

// The static checks (lint, prettier, typecheck, electronegativity) run beside vitest, at a lower priority so the
// tests' own processes keep the cores first; their output is printed whole when each ends, so it never interleaves.
function background(name, command, args) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      setPriority(child.pid, 10);
    } catch {
      // not allowed here: it runs at the normal priority
    }
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    const done = (ok, extra = '') => {
      const seconds = Math.round((Date.now() - started) / 100) / 10;
      resolve({ name, ok, text: `\n=== ${name}: ${command} ${args.join(' ')}\n${output}${extra}=== ${name}: ${ok ? 'passed' : 'FAILED'} (${seconds} s)` });
    };
    child.on('error', (error) => done(false, `${error.message}\n`));
    child.on('close', (code) => done(code === 0));
  });
}

/**
 * The suite runs in a network namespace of its own with only loopback up, so real-ceremony tests pass the air-gap
 * rule on a networked machine. Where user namespaces are unavailable it runs as is, saying what that means.
 */
function isolatedFromNetwork(command, args) {
  // as root a plain network namespace (so tests may still chown to other users); else a user namespace as well
  const flags = process.getuid?.() === 0 ? '-n' : '-rn';
  if (spawnSync('unshare', [flags, 'true']).status === 0) return ['unshare', [flags, 'sh', '-c', 'ip link set lo up && exec "$0" "$@"', command, ...args]];
  console.log('No network namespace here (unshare failed): real-ceremony tests are refused if a network interface is up.');
  return [command, args];
}

const bin = (name) => join(ROOT, 'node_modules', '.bin', name);
const checks = [
  background('lint', bin('eslint'), ['.']),
  background('format', bin('prettier'), ['--check', '.']),
  background('typecheck', bin('tsc'), ['--noEmit', '-p', 'tsconfig.json']),
  background('electronegativity', process.execPath, ['scripts/electronegativity.js']),
];

mkdirSync(join(ROOT, 'test-results'), { recursive: true });
const report = join(ROOT, 'test-results', 'vitest.json');
console.log('\n=== vitest: unit, integration, e2e (lint, format, typecheck and electronegativity run beside it)');
const vitestStarted = Date.now();
const projects = process.env.CUSTODIAN_TEST_PROJECTS ? process.env.CUSTODIAN_TEST_PROJECTS.split(',').flatMap((p) => ['--project', p]) : [];
const [vitestCommand, vitestArgs] = isolatedFromNetwork(bin('vitest'), [
  'run',
  ...projects,
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${report}`,
]);
const vitestStatus = await new Promise((resolve) => {
  const child = spawn(vitestCommand, vitestArgs, {
    cwd: ROOT,
    stdio: 'inherit',
  });
  child.on('error', () => resolve(1));
  child.on('close', (code) => resolve(code));
});
console.log(`=== vitest: ${vitestStatus === 0 ? 'passed' : 'FAILED'} (${Math.round((Date.now() - vitestStarted) / 100) / 10} s)`);
let vitestResult;
if (existsSync(report)) {
  const json = JSON.parse(readFileSync(report, 'utf8'));
  // A file that failed to load has no test results of its own: count it as a failure so it cannot hide.
  const brokenFiles = (json.testResults ?? []).filter((f) => f.status === 'failed' && (f.assertionResults ?? []).length === 0).length;
  vitestResult = { name: 'vitest', passed: json.numPassedTests, failed: json.numFailedTests + brokenFiles, skipped: json.numPendingTests + json.numTodoTests };
} else {
  vitestResult = { name: 'vitest', passed: 0, failed: 1 };
}
if (vitestStatus !== 0 && vitestResult.failed === 0) vitestResult.failed = 1;

for (const check of await Promise.all(checks)) {
  console.log(check.text);
  results.push({ name: check.name, passed: check.ok ? 1 : 0, failed: check.ok ? 0 : 1 });
}
results.splice(3, 0, vitestResult); // the summary line keeps its order: lint, format, typecheck, vitest, electronegativity

const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
// The suite's wall time, for the start-up benchmark (test/bench/startup.bench.ts) to report.
const wallSeconds = Math.round((Date.now() - startedAt) / 100) / 10;
writeFileSync(join(ROOT, 'test-results', 'suite-wall-time.json'), JSON.stringify({ wallSeconds, passed, failed, at: new Date().toISOString() }) + '\n');
console.log('\n' + results.map((r) => `${r.name}: ${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ''}`).join('; '));
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
