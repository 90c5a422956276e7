/**
 * `npm start` without an Electron binary: the browser host. Headed when a display exists, headless otherwise.
 * With CUSTODIAN_READY_FILE set, writes a screenshot and the Home screen's text there once the first token is listed
 * (the end-to-end test and the start-up benchmark use it), and with CUSTODIAN_EXIT_WHEN_READY=1 it then exits.
 */
import { rename, writeFile } from 'node:fs/promises';
import { startHostChromium } from './chromium';

const started = Date.now();
const headless = process.env.CUSTODIAN_HEADLESS === '1' || !process.env.DISPLAY;
// Chromium first (over its DevTools pipe: no playwright-core to load), then the rest of the host loads (the
// services, the router: most of the code) while it starts.
const launching = startHostChromium(headless);
launching.chromium.catch(() => undefined); // its failure is the host's to report, below
const { sandboxNote, startPipeBrowserHost: startBrowserHost } = await import('./index');
const { defaultDataDir } = await import('../../settings');
const log = (line: string) => process.stdout.write(`${line}\n`);
const dataDir = defaultDataDir();

const host = await startBrowserHost({
  dataDir,
  headless,
  launching,
  hostNote: `Browser host (Chromium${headless ? ', headless' : ''}) — the Electron binary is not installed`,
  log,
}).catch((error: Error) => {
  process.stderr.write(`Custodian could not start: ${error.message}\n`);
  process.exit(1);
});
log(`Custodian is running in the browser host (${headless ? 'headless' : 'Chromium window'}); data folder: ${dataDir}`);
if (host.context.rehearsal) log('Rehearsal devices: SoftHSM2 token "Custodian Rehearsal" and the YubiHSM simulator (beside any real device).');
const sandbox = sandboxNote();
if (sandbox) log(sandbox);

let stopping = false;
async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  setTimeout(() => process.exit(code), 15_000).unref(); // whatever hangs, the app does not outlive its stop
  await host.close().catch(() => undefined);
  process.exit(code);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
process.on('SIGHUP', () => void stop());
// started by `npm start` with a channel to it: when that process goes, so does the app (and with it the device host)
if (process.send) process.on('disconnect', () => void stop());
host.page.on('close', () => void stop());

const readyFile = process.env.CUSTODIAN_READY_FILE;
if (readyFile) {
  await host.page.locator('[data-testid="token"]').first().waitFor({ timeout: 60_000 });
  const msToHome = Date.now() - started;
  const text = await host.page.locator('body').innerText();
  // The ready file by rename (never half-written) the moment Home is up; the screenshot beside it is complete by exit.
  await writeFile(`${readyFile}.part`, JSON.stringify({ msToHome, pid: process.pid, hostPid: host.context.deviceHost.getState().pid, text }));
  await rename(`${readyFile}.part`, readyFile);
  await host.page.screenshot({ path: `${readyFile}.png`, fullPage: true });
  if (process.env.CUSTODIAN_EXIT_WHEN_READY === '1') await stop();
} else if (headless) {
  log('No display: Chromium runs headless. Press Ctrl+C to stop.');
}
