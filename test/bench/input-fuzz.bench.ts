// The full input-fuzz campaign (test/unit/ceremony/input-fuzz.test.ts with CUSTODIAN_FUZZ_FULL=1: 2,500 generated
// malformed scripts, templates and answers files with a fresh random seed, 30 refused answers through runScript);
// `npm test` runs a seeded tenth of it plus the inputs the campaign once found. Prints one JSON object.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const started = Date.now();
const run = spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', 'test/unit/ceremony/input-fuzz.test.ts', '--reporter=json'], {
  cwd: root,
  env: { ...process.env, CUSTODIAN_FUZZ_FULL: '1' },
  encoding: 'utf8',
  maxBuffer: 64 * 1024 * 1024,
});
const report = JSON.parse(run.stdout.slice(run.stdout.indexOf('{')));
const tests = report.testResults.flatMap((f: { assertionResults: { title: string; status: string; duration: number }[] }) => f.assertionResults);
console.log(
  JSON.stringify({
    campaign: 'input-fuzz',
    inputs: 2_500,
    passed: report.numPassedTests,
    failed: report.numFailedTests,
    tests: tests.map((t: { title: string; status: string; duration: number }) => ({
      title: t.title,
      status: t.status,
      seconds: Math.round(t.duration) / 1000,
    })),
    seconds: Math.round((Date.now() - started) / 100) / 10,
  }),
);
process.exit(run.status ?? 1);
