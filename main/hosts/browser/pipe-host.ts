import { existsSync, rmSync } from 'node:fs';
import type { AppContext } from '../../ipc';
import type { SharePrinterService } from '../../devices';
import type { PipeChromium } from './cdp-pipe';
import { chromiumPath, startHostChromium } from './chromium';
import { createChromiumPrinter } from './chromium-printer';
import { browserHostServices } from './host-services';
import { openHostPage, type HostPage } from './host-page';
import type { PipePage } from './pipe-page';
import { startMark as mark } from './start-marks';

export interface PipeBrowserHostOptions {
  dataDir: string;
  headless: boolean;
  hostNote?: string;
  log?: (line: string) => void;
  sharePrinter?: SharePrinterService;
  /** the Chromium start.ts began before it loaded the rest of the host (startHostChromium) */
  launching?: { profile: string; chromium: Promise<PipeChromium> };
  /** the page start.ts opened before it loaded the rest of the host (openHostPage on `launching`) */
  page?: HostPage;
}

export interface PipeBrowserHost {
  context: AppContext;
  page: PipePage;
  /** Chromium's browser process */
  chromiumPid: number;
  close(): Promise<void>;
}

const CLOSE_LIMIT_MS = 5000;

/**
 * The browser host of `npm start`: the same router, services, page files and bridge as startBrowserHost, with
 * Chromium driven over `--remote-debugging-pipe` by our own DevTools client instead of playwright-core (whose load
 * alone took a third of the start). Documents still print through playwright, loaded on the first print. The end-to-end
 * tests keep startBrowserHost (they drive the page with playwright).
 */
export async function startPipeBrowserHost(options: PipeBrowserHostOptions): Promise<PipeBrowserHost> {
  mark('host-loaded');
  const executablePath = chromiumPath();
  const launching = options.launching;
  launching?.chromium.catch(() => undefined);
  const stopLaunch = async () => {
    if (!launching) return;
    await launching.chromium.then(
      (c) => c.close(),
      () => undefined,
    );
    rmSync(launching.profile, { recursive: true, force: true });
  };
  if (!existsSync(executablePath)) {
    await stopLaunch();
    throw Object.assign(new Error(`Chromium was not found at ${executablePath}. Install it (apt-get install chromium) or set CUSTODIAN_CHROMIUM.`), {
      code: 'ChromiumMissing',
    });
  }
  const { profile, chromium } = launching ?? startHostChromium(options.headless);

  const services = browserHostServices(options, createChromiumPrinter());
  void services.then(
    () => mark('services-ready'),
    () => undefined,
  );
  const hostPage = options.page ?? openHostPage(chromium, options.headless);
  const opening = hostPage.page;
  const [servicesResult, windowResult] = await Promise.allSettled([services, opening]);
  if (servicesResult.status === 'rejected' || windowResult.status === 'rejected') {
    // Whichever half started is stopped again: no device host and no Chromium outlive a start that failed.
    if (servicesResult.status === 'fulfilled') await servicesResult.value.close();
    await chromium.then(
      (c) => c.close(),
      () => undefined,
    );
    rmSync(profile, { recursive: true, force: true });
    throw servicesResult.status === 'rejected' ? servicesResult.reason : (windowResult as PromiseRejectedResult).reason;
  }
  const context = servicesResult.value;
  const page = windowResult.value;
  const browser = await chromium;
  const removeSink = context.router.addEventSink((event, payload) => page.dispatch(event, payload));
  hostPage.serve((channel, request) => context.router.handle(channel, request, { host: 'browser' }));

  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    removeSink();
    await browser.close(CLOSE_LIMIT_MS);
    rmSync(profile, { recursive: true, force: true });
    await Promise.race([context.close(), new Promise((resolve) => setTimeout(resolve, CLOSE_LIMIT_MS).unref())]);
  };
  return { context, page, chromiumPid: browser.process.pid!, close };
}
