/**
 * `npm start` without an Electron binary: the browser host. Headed when a display exists, headless otherwise.
 * With CUSTODIAN_READY_FILE set, writes a screenshot and the Home screen's text there once the first token is listed
 * (the end-to-end test and the start-up benchmark use it), and with CUSTODIAN_EXIT_WHEN_READY=1 it then exits.
 */
import { rmSync, writeSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { chromiumPath, startHostChromium } from './chromium';
import { startMark } from './start-marks';
import { checkChromium, checkDataFolder, headlessGuide, lockDataFolder, StartRefused, STOPPED_LINE } from './first-run';

/** A check before the start goes on: its refusal is one line, and the app exits non-zero having made nothing. */
function refuseOnError<T>(check: () => T, undo: () => unknown = () => undefined): T | Promise<never> {
  try {
    return check();
  } catch (error) {
    process.stderr.write(`Custodian could not start: ${error instanceof StartRefused ? error.message : (error as Error).message}\n`);
    return Promise.resolve(undo()).finally(() => process.exit(1)) as Promise<never>;
  }
}

const started = Date.now();
const headless = process.env.CUSTODIAN_HEADLESS === '1' || !process.env.DISPLAY;
await refuseOnError(() => checkChromium(chromiumPath())); // before it is launched
// Chromium first (over its DevTools pipe: no playwright-core to load), and Custodian's page the moment it answers:
// the page's files are served by this process, so the rest of the host (the services, the router: most of the code,
// its load a few hundred ms of this one thread) loads only once they are, while the page renders Home. The device
// lists fill in when the services are up.
const launching = startHostChromium(headless);
launching.chromium.catch(() => undefined); // its failure is the host's to report, below
const { openHostPage } = await import('./host-page');
const page = openHostPage(launching.chromium, headless);
// Home's first frame (it paints without the services): the start-up bench's "Home"
let msToHomePaint: number | null = null;
void page.page.then(
  (opened) =>
    opened
      .locator('[data-testid="home"]')
      .waitFor({ timeout: 60_000, frame: true })
      // the page's own clock: this process may be busy loading the rest of the host when the answer comes
      .then((paintedAt) => ((msToHomePaint = Math.round(paintedAt - started)), startMark('home-painted', paintedAt))),
  () => undefined, // a page that did not open is reported by startBrowserHost
);
await page.page.catch(() => undefined);
const { sandboxNote, startPipeBrowserHost: startBrowserHost } = await import('./index');
const { defaultDataDir } = await import('../../settings');
const log = (line: string) => process.stdout.write(`${line}\n`);
const dataDir = defaultDataDir();
// before anything is made in it: the data folder is writable and no other app uses it (else the Chromium goes too)
const releaseLock = await refuseOnError(
  () => (checkDataFolder(dataDir), lockDataFolder(dataDir)),
  () =>
    launching.chromium
      .then((chromium) => chromium.close())
      .catch(() => undefined)
      .finally(() => rmSync(launching.profile, { recursive: true, force: true })),
);

const host = await startBrowserHost({
  dataDir,
  headless,
  launching,
  page,
  hostNote: `Browser host (Chromium${headless ? ', headless' : ''}) — the Electron binary is not installed`,
  log,
}).catch((error: Error) => {
  process.stderr.write(`Custodian could not start: ${error.message}\n`);
  releaseLock();
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
  // whatever hangs, the app does not outlive its stop by more than a few seconds (and says it stopped)
  // (written synchronously: to a pipe, stdout is asynchronous and process.exit would drop the line)
  const stopped = () => (writeSync(1, `${STOPPED_LINE}\n`), process.exit(code));
  setTimeout(stopped, 4_000).unref();
  await host.close().catch(() => undefined);
  releaseLock();
  stopped();
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
  // Home is up when it shows what a person needs first: the token and, while unseen, the rehearsal PINs (the app's
  // description and the device list are asked at once and may arrive in either order)
  if (host.context.appInfo().rehearsal.pins) await host.page.locator('[data-testid="rehearsal-pins"]').first().waitFor({ timeout: 60_000 });
  const msToHome = Date.now() - started;
  const text = await host.page.locator('body').innerText();
  // The ready file by rename (never half-written) the moment Home is up; the screenshot beside it is complete by exit.
  await writeFile(`${readyFile}.part`, JSON.stringify({ msToHome, msToHomePaint, pid: process.pid, hostPid: host.context.deviceHost.getState().pid, text }));
  await rename(`${readyFile}.part`, readyFile);
  // a stop meanwhile closes the page under the screenshot: that is the stop's, not an error to crash on
  await host.page.screenshot({ path: `${readyFile}.png`, fullPage: true }).catch((error: unknown) => {
    if (!stopping) throw error;
  });
  if (process.env.CUSTODIAN_EXIT_WHEN_READY === '1') await stop();
} else if (headless) {
  // nobody sees the headless Home screen: the terminal shows what it would, and only then are the PINs seen
  const { rehearsal } = host.context.appInfo();
  for (const line of headlessGuide(dataDir, rehearsal)) log(line);
  if (rehearsal.pins) await host.context.settings.update((s) => void (s.rehearsalPinsAcknowledged = true));
}
