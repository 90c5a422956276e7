#!/usr/bin/env node
// `npm test`: the whole suite on a fresh machine. Sets up what it needs (Debian packages when root, npm ci when
// node_modules is missing), then runs lint, the prettier check, typecheck, every vitest project (unit, integration against SoftHSM2 and
// the real device host, end-to-end in Chromium) and electronegativity, and ends with one line totalling them all.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureNodeModules, ensureSystemPackages, ROOT } from './setup.js';

ensureSystemPackages(['softhsm2', 'opensc', 'chromium', 'openssl', 'poppler-utils', 'gcc', 'libc6-dev']);
ensureNodeModules();

const startedAt = Date.now();
const results = []; // { name, passed, failed }
function check(name, command, args) {
  console.log(`\n=== ${name}: ${command} ${args.join(' ')}`);
  const r = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit' });
  const ok = r.status === 0;
  results.push({ name, passed: ok ? 1 : 0, failed: ok ? 0 : 1 });
  console.log(`=== ${name}: ${ok ? 'passed' : 'FAILED'}`);
}

/**
 * The suite runs in a network namespace of its own with only loopback up, so real-ceremony tests pass the air-gap
 * rule on a networked machine. Where user namespaces are unavailable it runs as is, saying what that means.
 */
function isolatedFromNetwork(command, args) {
  if (spawnSync('unshare', ['-rn', 'true']).status === 0) return ['unshare', ['-rn', 'sh', '-c', 'ip link set lo up && exec "$0" "$@"', command, ...args]];
  console.log('No network namespace here (unshare -rn failed): real-ceremony tests are refused if a network interface is up.');
  return [command, args];
}

const bin = (name) => join(ROOT, 'node_modules', '.bin', name);
check('lint', bin('eslint'), ['.']);
check('format', bin('prettier'), ['--check', '.']);
check('typecheck', bin('tsc'), ['--noEmit', '-p', 'tsconfig.json']);

mkdirSync(join(ROOT, 'test-results'), { recursive: true });
const report = join(ROOT, 'test-results', 'vitest.json');
console.log('\n=== vitest: unit, integration, e2e');
const projects = process.env.CUSTODIAN_TEST_PROJECTS ? process.env.CUSTODIAN_TEST_PROJECTS.split(',').flatMap((p) => ['--project', p]) : [];
const [vitestCommand, vitestArgs] = isolatedFromNetwork(bin('vitest'), [
  'run',
  ...projects,
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${report}`,
]);
const vitest = spawnSync(vitestCommand, vitestArgs, {
  cwd: ROOT,
  stdio: 'inherit',
});
if (existsSync(report)) {
  const json = JSON.parse(readFileSync(report, 'utf8'));
  // A file that failed to load has no test results of its own: count it as a failure so it cannot hide.
  const brokenFiles = (json.testResults ?? []).filter((f) => f.status === 'failed' && (f.assertionResults ?? []).length === 0).length;
  results.push({ name: 'vitest', passed: json.numPassedTests, failed: json.numFailedTests + brokenFiles, skipped: json.numPendingTests + json.numTodoTests });
} else {
  results.push({ name: 'vitest', passed: 0, failed: 1 });
}
if (vitest.status !== 0 && results.at(-1).failed === 0) results.at(-1).failed = 1;

check('electronegativity', process.execPath, ['scripts/electronegativity.js']);

const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
// The suite's wall time, for the start-up benchmark (test/bench/startup.bench.ts) to report.
const wallSeconds = Math.round((Date.now() - startedAt) / 100) / 10;
writeFileSync(join(ROOT, 'test-results', 'suite-wall-time.json'), JSON.stringify({ wallSeconds, passed, failed, at: new Date().toISOString() }) + '\n');
console.log('\n' + results.map((r) => `${r.name}: ${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ''}`).join('; '));
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
