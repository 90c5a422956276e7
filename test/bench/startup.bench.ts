/**
 * Start-up benchmarks (JSON), each ratio measured in this run on this machine:
 * - `custodian templates` wall time (bin/custodian.js: the built CLI bundle after its staleness check), next to a
 *   bare `node -e 0` so a loaded machine shows as such (target: ≤ 0.3 s);
 * - the README's CLI form in a checkout (`node bin/custodian.js`) ÷ `npx --no tsc --version` (target: ≤ 2.5×);
 * - `npm start` (browser host, headless) to the Home screen's first frame, ÷ Chromium alone showing a blank page
 *   (target: ≤ 1.5×), counted from npm's spawn and from the host's Node process; beside it the time until Home lists
 *   the fresh rehearsal token (made while Chromium starts, shown when ready). The blank page is started the way npm start starts its Chromium — the same binary,
 *   flags, headless mode and DevTools pipe (startHostChromium) — and timed to its first frame; the playwright-launched
 *   blank page of earlier rounds is printed beside it. The stages of each start (ms since the host process began,
 *   CUSTODIAN_START_MARKS) are printed too;
 * - the last `npm test` wall time, which scripts/test.js records in test-results/suite-wall-time.json.
 * Run: npm run bench startup
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBuilt } from '../../scripts/build.js';
import { blankPage } from './blank-page';
import { startHostChromium } from '../../main/hosts/browser/chromium';
import { rmSync } from 'node:fs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RUNS = 5;
const START_RUNS = Number(process.env.CUSTODIAN_BENCH_START_RUNS ?? 5);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (n: number) => Math.round(n * 1000) / 1000;

function wallMs(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): number {
  const started = performance.now();
  const run = spawnSync(command, args, { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const elapsed = performance.now() - started;
  if (run.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${run.stderr}`);
  return elapsed;
}

const startMarks: Record<string, number>[] = [];

/**
 * One `npm start` (headless, a fresh data folder): ms from npm's spawn to Home's first frame (the host's
 * `home-painted` mark, placed on this process's clock by the host's own origin), to the same frame counted from the
 * host's Node process (npm and its script runner left out), and to the ready file (Home listing the rehearsal token
 * and showing its PINs: the device host, the rehearsal token and the first device probe done).
 */
async function startToHome(): Promise<{ home: number; fromNode: number; token: number }> {
  const home = mkdtempSync(join(tmpdir(), 'custodian-bench-start-'));
  const ready = join(home, 'ready.json');
  const spawnedAt = performance.timeOrigin + performance.now();
  const started = performance.now();
  const child = spawn('npm', ['start'], {
    cwd: ROOT,
    env: {
      ...process.env,
      CUSTODIAN_HOME: home,
      CUSTODIAN_HEADLESS: '1',
      CUSTODIAN_READY_FILE: ready,
      CUSTODIAN_EXIT_WHEN_READY: '1',
      CUSTODIAN_START_MARKS: '1',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  const exited = new Promise((resolve) => child.on('exit', resolve));
  // the token is listed when the ready file appears (polled every 10 ms); the shutdown after it is not start-up time
  let token = 0;
  for (let i = 0; i < 12_000 && !token; i++) {
    if (existsSync(ready)) token = performance.now() - started;
    else await Promise.race([exited, new Promise((r) => setTimeout(r, 10))]);
  }
  await exited;
  if (!token) throw new Error('npm start never showed the Home screen.');
  const { text, msToHome } = JSON.parse(readFileSync(ready, 'utf8')) as { text: string; msToHome: number };
  if (!text.includes('Custodian Rehearsal')) throw new Error('The Home screen did not list the rehearsal token.');
  const marks: Record<string, number> = { npmStartToTokenListed: Math.round(token), hostScriptToTokenListed: msToHome };
  for (const m of stderr.matchAll(/custodian-start-mark (\S+) (\d+)/g)) marks[m[1]] = Number(m[2]);
  const origin = Number(/custodian-start-origin (\S+)/.exec(stderr)?.[1]);
  if (!marks['home-painted'] || !origin) throw new Error(`npm start printed no home-painted mark: ${stderr.slice(-500)}`);
  const homeAt = origin + marks['home-painted'];
  marks.npmOverheadMs = Math.round(origin - spawnedAt);
  startMarks.push(marks);
  return { home: homeAt - spawnedAt, fromNode: marks['home-painted'], token };
}

/** Chromium as npm start launches it (same flags, headless mode, pipe), to the first frame of a blank page. */
async function blankPipePage(): Promise<number> {
  const started = performance.now();
  const { profile, chromium } = startHostChromium(true);
  const browser = await chromium;
  let page: { targetId: string; type: string } | undefined;
  for (let i = 0; i < 400 && !page; i++) {
    const { targetInfos } = (await browser.cdp.send('Target.getTargets')) as { targetInfos: { targetId: string; type: string }[] };
    page = targetInfos.find((t) => t.type === 'page');
    if (!page) await new Promise((r) => setTimeout(r, 10));
  }
  if (!page) throw new Error('Chromium opened no page.');
  const { sessionId } = (await browser.cdp.send('Target.attachToTarget', { targetId: page.targetId, flatten: true })) as { sessionId: string };
  await browser.cdp.send('Runtime.evaluate', { expression: 'new Promise(requestAnimationFrame)', awaitPromise: true }, sessionId);
  const elapsed = performance.now() - started;
  await browser.close();
  rmSync(profile, { recursive: true, force: true });
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
const fromNode: number[] = [];
const tokens: number[] = [];
const blanks: number[] = [];
const playwrightBlanks: number[] = [];
const ratios: number[] = [];
// interleaved, so a load that comes and goes on this shared machine falls on both sides of each ratio
for (let i = 0; i < START_RUNS; i++) {
  blanks.push(await blankPipePage());
  const start = await startToHome();
  starts.push(start.home);
  fromNode.push(start.fromNode);
  tokens.push(start.token);
  playwrightBlanks.push(await blankPage());
  ratios.push(round(starts[i] / blanks[i]));
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
    startToHomeOverBlankEachRun: ratios,
    nodeStartToHomeMs: Math.round(median(fromNode)),
    nodeStartToHomeOverBlankRatio: round(median(fromNode) / median(blanks)),
    npmStartToTokenListedMs: Math.round(median(tokens)),
    tokenListedOverBlankRatio: round(median(tokens) / median(blanks)),
    chromiumBlankPagePlaywrightMs: Math.round(median(playwrightBlanks)),
    startStagesMs: startMarks,
    lastNpmTestWall: existsSync(suiteFile) ? JSON.parse(readFileSync(suiteFile, 'utf8')) : null,
    note: `medians of ${RUNS} CLI runs and ${START_RUNS} starts (each beside its own blank page); Home = its first frame (the device lists fill in after); npmStartToHomeMs counts from npm's spawn (npm itself, the staleness check included), nodeStartToHomeMs from the host's Node process; token listed = Home listing the fresh rehearsal token and its PINs; startStagesMs in ms since the host process began`,
  }),
);
