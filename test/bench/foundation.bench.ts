/**
 * Foundation benchmarks (JSON): device-host RPC round trip for a no-op call (p50, p99); time from `npm start`
 * (browser host, headless) to the Home screen listing the token, next to Chromium alone showing a blank page; and the
 * resident memory of the main and device-host processes at rest on the Home screen.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openBrowserHost, spawnApp, startDeviceHost, tempHome } from '../fixtures/harness';
import { blankPage } from './blank-page';

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const round = (n: number) => Math.round(n * 1000) / 1000;

async function rpcRoundTrip() {
  const client = await startDeviceHost();
  for (let i = 0; i < 200; i++) await client.call('host.ping');
  const samples: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const t = performance.now();
    await client.call('host.ping');
    samples.push(performance.now() - t);
  }
  await client.stop();
  samples.sort((a, b) => a - b);
  return { calls: samples.length, p50Ms: round(percentile(samples, 50)), p99Ms: round(percentile(samples, 99)) };
}

async function startToHome(): Promise<number> {
  const home = tempHome('bench');
  const ready = join(home, 'ready.json');
  const started = performance.now();
  const { exited } = spawnApp('npm', home, { CUSTODIAN_READY_FILE: ready, CUSTODIAN_EXIT_WHEN_READY: '1' }, { stdio: 'ignore' });
  await exited;
  const elapsed = performance.now() - started;
  JSON.parse(readFileSync(ready, 'utf8'));
  return elapsed;
}

function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}

async function memoryAtRest() {
  const host = await openBrowserHost(tempHome('bench-mem'));
  await host.page.locator('[data-testid="token"]').first().waitFor();
  await new Promise((r) => setTimeout(r, 3000));
  const hostPid = host.context.deviceHost.getState().pid!;
  const result = { mainRssMiB: round(rssOf(process.pid) / 2 ** 20), deviceHostRssMiB: round(rssOf(hostPid) / 2 ** 20) };
  await host.close();
  return result;
}

const rpc = await rpcRoundTrip();
const starts: number[] = [];
const blanks: number[] = [];
for (let i = 0; i < 3; i++) {
  starts.push(await startToHome());
  blanks.push(await blankPage());
}
starts.sort((a, b) => a - b);
blanks.sort((a, b) => a - b);
const memory = await memoryAtRest();
console.log(
  JSON.stringify({
    deviceHostNoopRpc: rpc,
    npmStartToHomeMs: Math.round(starts[1]),
    chromiumBlankPageMs: Math.round(blanks[1]),
    startToHomeOverBlankRatio: round(starts[1] / blanks[1]),
    memoryAtRestOnHome: memory,
    note: 'medians of 3 starts; npm start includes npm and the staleness check of the built code',
  }),
);
