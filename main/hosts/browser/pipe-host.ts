import { existsSync, rmSync } from 'node:fs';
import { createAppContext, type AppContext } from '../../ipc';
import { nodeHostLauncher, type SharePrinterService } from '../../devices';
import { answerPageRequest, APP_ORIGIN, bridgeScript } from './bridge';
import type { PipeChromium } from './cdp-pipe';
import { chromiumPath, startHostChromium } from './chromium';
import { createChromiumPrinter } from './chromium-printer';
import { PipePage } from './pipe-page';
import { rendererBuildDir } from './renderer-build';

export interface PipeBrowserHostOptions {
  dataDir: string;
  headless: boolean;
  hostNote?: string;
  log?: (line: string) => void;
  sharePrinter?: SharePrinterService;
  /** the Chromium start.ts began before it loaded the rest of the host (startHostChromium) */
  launching?: { profile: string; chromium: Promise<PipeChromium> };
}

export interface PipeBrowserHost {
  context: AppContext;
  page: PipePage;
  /** Chromium's browser process */
  chromiumPid: number;
  close(): Promise<void>;
}

const CLOSE_LIMIT_MS = 5000;

/** With CUSTODIAN_START_MARKS=1, each stage of the start on stderr, in ms since this process began (the bench reads them). */
function mark(stage: string): void {
  if (process.env.CUSTODIAN_START_MARKS === '1') process.stderr.write(`custodian-start-mark ${stage} ${Math.round(performance.now())}\n`);
}

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
  const rendererDir = rendererBuildDir();
  const { profile, chromium } = launching ?? startHostChromium(options.headless);

  let routerReady!: (context: AppContext) => void;
  const ready = new Promise<AppContext>((resolve) => (routerReady = resolve));
  const services = createAppContext({
    dataDir: options.dataDir,
    host: 'browser',
    hostNote: options.hostNote ?? 'Browser host (Chromium)',
    launcher: (env) => nodeHostLauncher(env),
    sharePrinter: options.sharePrinter,
    printer: createChromiumPrinter(),
  });
  void services.then(
    () => mark('services-ready'),
    () => undefined,
  );
  const opening = chromium.then(async (browser) => {
    mark('chromium-answered');
    const page = await PipePage.open({
      chromium: browser,
      origin: APP_ORIGIN,
      answer: (url) => answerPageRequest(rendererDir, url),
      invoke: async (channel, request) => (await ready).router.handle(channel, request, { host: 'browser' }),
      initScript: bridgeScript(),
      viewport: options.headless ? { width: 1280, height: 900 } : undefined,
    });
    mark('page-attached');
    await page.goto(`${APP_ORIGIN}/index.html`);
    mark('page-loaded');
    return page;
  });
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
  routerReady(context);

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
