/**
 * Start-up benchmarks (JSON), each ratio measured in this run on this machine:
 * - `custodian templates` wall time (bin/custodian.js: the built CLI bundle after its staleness check), next to a
 *   bare `node -e 0` so a loaded machine shows as such (target: ≤ 0.3 s);
 * - the README's CLI form in a checkout (`node bin/custodian.js`) ÷ `npx --no tsc --version` (target: ≤ 2.5×);
 * - `npm start` (browser host, headless) to the Home screen listing the rehearsal token, ÷ Chromium alone showing a
 *   blank page (target: ≤ 1.5×);
 * - the last `npm test` wall time, which scripts/test.js records in test-results/suite-wall-time.json.
 * Run: npm run bench startup
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { ensureBuilt } from '../../scripts/build.js';
import { CHROMIUM_ARGS, chromiumPath } from '../../main/hosts/browser';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RUNS = 5;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (n: number) => Math.round(n * 1000) / 1000;

function wallMs(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): number {
  const started = performance.now();
  const run = spawnSync(command, args, { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const elapsed = performance.now() - started;
  if (run.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${run.stderr}`);
  return elapsed;
}

async function startToHome(): Promise<number> {
  const home = mkdtempSync(join(tmpdir(), 'custodian-bench-start-'));
  const ready = join(home, 'ready.json');
  const started = performance.now();
  const child = spawn('npm', ['start'], {
    cwd: ROOT,
    env: { ...process.env, CUSTODIAN_HOME: home, CUSTODIAN_HEADLESS: '1', CUSTODIAN_READY_FILE: ready, CUSTODIAN_EXIT_WHEN_READY: '1' },
    stdio: 'ignore',
  });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  // Home is up when the ready file appears (polled every 10 ms); the shutdown after it is not start-up time.
  let elapsed = 0;
  for (let i = 0; i < 12_000 && !elapsed; i++) {
    if (existsSync(ready)) elapsed = performance.now() - started;
    else await Promise.race([exited, new Promise((r) => setTimeout(r, 10))]);
  }
  await exited;
  if (!elapsed) throw new Error('npm start never showed the Home screen.');
  const text = (JSON.parse(readFileSync(ready, 'utf8')) as { text: string }).text;
  if (!text.includes('Custodian Rehearsal')) throw new Error('The Home screen did not list the rehearsal token.');
  return elapsed;
}

async function blankPage(): Promise<number> {
  const started = performance.now();
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS, headless: true });
  const page = await browser.newPage();
  await page.goto('about:blank');
  await page.evaluate(() => new Promise(requestAnimationFrame));
  const elapsed = performance.now() - started;
  await browser.close();
  return elapsed;
}

/**
 * The CLI in the README's form for a checkout (`node bin/custodian.js templates`) ÷ `npx --no tsc --version`, the
 * cheapest command a newcomer already runs through npm (target: ≤ 2.5×; medians of RUNS each, alternated).
 */
function readmeCliOverNpxTsc(): Record<string, number | boolean> {
  const readme: number[] = [];
  const npxTsc: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    readme.push(wallMs(process.execPath, ['bin/custodian.js', 'templates']));
    npxTsc.push(wallMs('npx', ['--no', 'tsc', '--version']));
  }
  const ratio = median(readme) / median(npxTsc);
  return {
    readmeCliMs: Math.round(median(readme)),
    npxTscVersionMs: Math.round(median(npxTsc)),
    readmeCliOverNpxTsc: round(ratio),
    readmeCliTargetMet: ratio <= 2.5,
  };
}

await ensureBuilt(['node', 'renderer']); // measured: starts from built code, not the build
const readmeCli = readmeCliOverNpxTsc();
const node: number[] = [];
const templates: number[] = [];
for (let i = 0; i < RUNS; i++) {
  node.push(wallMs(process.execPath, ['-e', '0']));
  templates.push(wallMs(process.execPath, ['bin/custodian.js', 'templates']));
}
const starts: number[] = [];
const blanks: number[] = [];
for (let i = 0; i < 3; i++) {
  blanks.push(await blankPage());
  starts.push(await startToHome());
}
const suiteFile = join(ROOT, 'test-results', 'suite-wall-time.json');
const templatesMs = median(templates);
console.log(
  JSON.stringify({
    custodianTemplatesMs: Math.round(templatesMs),
    custodianTemplatesTargetMet: templatesMs <= 300,
    nodeBareStartMs: Math.round(median(node)),
    ...readmeCli,
    custodianTemplatesOverBareNode: round(templatesMs / median(node)),
    npmStartToHomeMs: Math.round(median(starts)),
    chromiumBlankPageMs: Math.round(median(blanks)),
    startToHomeOverBlankRatio: round(median(starts) / median(blanks)),
    startToHomeTargetMet: median(starts) / median(blanks) <= 1.5,
    lastNpmTestWall: existsSync(suiteFile) ? JSON.parse(readFileSync(suiteFile, 'utf8')) : null,
    note: `medians of ${RUNS} CLI runs and 3 starts; npm start includes npm itself, the staleness check and a fresh rehearsal token`,
  }),
);
