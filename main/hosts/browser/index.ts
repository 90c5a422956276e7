import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killChildProcesses } from './child-processes';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { AppContext } from '../../ipc';
import { rendererBuildDir } from './renderer-build';
import { answerPageRequest, APP_ORIGIN, bridgeScript } from './bridge';
import type { SharePrinterService } from '../../devices';
import { appWindowArgs, CHROMIUM_ARGS, chromiumArgs, chromiumPath, HOST_SIGNALS, launchHeadlessChromium, sandboxNote } from './chromium';
import { createChromiumPrinter } from './chromium-printer';
import { browserHostServices } from './host-services';

export { APP_ORIGIN } from './bridge';
export { launchPipeChromium, type PipeChromium } from './cdp-pipe';
export { startPipeBrowserHost, type PipeBrowserHost } from './pipe-host';
export type { PipePage } from './pipe-page';

export { appWindowArgs, CHROMIUM_ARGS, chromiumArgs, chromiumPath, launchHeadlessChromium, sandboxNote };
export { createChromiumPrinter, localChromiumEndpoint, withChromiumPrinter } from './chromium-printer';
export type { ChromiumPrinterOptions } from './chromium-printer';

export interface BrowserHostOptions {
  dataDir: string;
  headless?: boolean;
  hostNote?: string;
  log?: (line: string) => void;
  /** where share cards of a real ceremony go (CUPS' lp when absent); tests pass a fake lp */
  sharePrinter?: SharePrinterService;
  /** a Chromium already running (tests share one); the host then closes only its own browser context */
  browser?: Browser;
  /** a Chromium this host owns, already starting (start.ts launches it before it loads the rest of the host) */
  launching?: Promise<Browser>;
}

export interface BrowserHost {
  context: AppContext;
  /** null for a headed host: its app window is a persistent context of its own */
  browser: Browser | null;
  page: Page;
  close(): Promise<void>;
}

/**
 * The browser host: the same router and services as under Electron, in plain Node, with the built renderer shown in
 * Chromium. No HTTP server and no open port: pages load from a made-up origin answered by page.route, every other
 * request is aborted, and `window.custodian` reaches the router through a Playwright binding that only the main
 * frame may use.
 */
export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const executablePath = chromiumPath();
  if (!existsSync(executablePath)) {
    options.launching?.catch(() => undefined);
    throw Object.assign(new Error(`Chromium was not found at ${executablePath}. Install it (apt-get install chromium) or set CUSTODIAN_CHROMIUM.`), {
      code: 'ChromiumMissing',
    });
  }
  const rendererDir = rendererBuildDir();
  const headless = options.headless ?? !process.env.DISPLAY;
  // Headed: an app window (no toolbar) with a throw-away profile. Headless (the tests): a plain browser, started
  // while the services and the device host start, which also prints (page.pdf needs headless).
  const profile = headless ? null : mkdtempSync(join(tmpdir(), 'custodian-chromium-'));
  const starting: Promise<Browser> | null = profile
    ? null
    : options.browser
      ? Promise.resolve(options.browser)
      : (options.launching ?? launchHeadlessChromium());
  const ownBrowser = !options.browser;

  // The services and the window start side by side: the page loads while the device host starts, and its first
  // requests wait for the router (the binding below) instead of the page waiting for everything.
  let routerReady!: (context: AppContext) => void;
  const ready = new Promise<AppContext>((resolve) => (routerReady = resolve));
  const services = browserHostServices(options, createChromiumPrinter(starting ? { borrow: () => starting } : {}));
  const opening = openWindow({ profile, starting, executablePath, rendererDir, ready });
  const [servicesResult, windowResult] = await Promise.allSettled([services, opening]);
  if (servicesResult.status === 'rejected' || windowResult.status === 'rejected') {
    // Whichever half started is stopped again: no device host and no Chromium outlive a start that failed.
    if (servicesResult.status === 'fulfilled') await servicesResult.value.close();
    const opened = windowResult.status === 'fulfilled' ? windowResult.value : null;
    if (opened) await (ownBrowser && opened.browser ? opened.browser.close() : opened.browserContext.close()).catch(() => undefined);
    else if (ownBrowser) await starting?.then((b) => b.close()).catch(() => undefined);
    if (profile) rmSync(profile, { recursive: true, force: true });
    throw servicesResult.status === 'rejected' ? servicesResult.reason : (windowResult as PromiseRejectedResult).reason;
  }
  const context = servicesResult.value;
  const { browser, browserContext, page } = windowResult.value;
  const removeSink = context.router.addEventSink((event, payload) => {
    if (page.isClosed()) return;
    page
      .evaluate(([e, p]) => (window as unknown as { __custodianDispatch?: (e: string, p: unknown) => void }).__custodianDispatch?.(e, p), [
        event,
        payload,
      ] as const)
      .catch(() => undefined);
  });
  routerReady(context);

  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    removeSink();
    // Bounded: a browser or a device host that does not answer is killed, never left running after the app.
    await withinMs(
      (browser && ownBrowser ? browser.close() : browserContext.close()).catch(() => undefined),
      CLOSE_LIMIT_MS,
    );
    if (ownBrowser) killChildProcesses(/^chrom/);
    if (profile) rmSync(profile, { recursive: true, force: true });
    await withinMs(context.close(), CLOSE_LIMIT_MS);
  };
  return { context, browser, page, close };
}

const CLOSE_LIMIT_MS = 5000;

function withinMs(promise: Promise<unknown>, ms: number): Promise<unknown> {
  return Promise.race([promise, new Promise((resolve) => setTimeout(resolve, ms).unref())]);
}

interface WindowOptions {
  profile: string | null;
  starting: Promise<Browser> | null;
  executablePath: string;
  rendererDir: string;
  /** the services, once their router can answer and its events reach the page */
  ready: Promise<AppContext>;
}

/**
 * The window: Custodian's pages from out/renderer on the made-up origin (every other request aborted), the bridge,
 * and the page loaded. Requests made before the services are up wait for them.
 */
async function openWindow({ profile, starting, executablePath, rendererDir, ready }: WindowOptions) {
  let browser: Browser | null = null;
  let browserContext: BrowserContext;
  if (profile) {
    const { chromium } = await import('playwright-core'); // loaded when used, as launchHeadlessChromium does
    browserContext = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: false,
      args: [...CHROMIUM_ARGS, ...appWindowArgs()],
      viewport: null,
      acceptDownloads: false,
      ...HOST_SIGNALS,
    });
  } else {
    browser = await starting!;
    browserContext = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: false });
  }
  try {
    await browserContext.route('**/*', async (route) => {
      const url = new URL(route.request().url());
      if (url.origin !== APP_ORIGIN) return route.abort('blockedbyclient');
      const file = await answerPageRequest(rendererDir, url);
      return route.fulfill({ status: file.status, body: file.body, headers: file.headers });
    });
    const page = (profile ? browserContext.pages()[0] : undefined) ?? (await browserContext.newPage());
    await page.exposeBinding('__custodianInvoke', async (source, channel: unknown, request: unknown) => {
      if (source.frame !== page.mainFrame() || new URL(source.frame.url()).origin !== APP_ORIGIN) {
        return { ok: false, error: { code: 'ForbiddenFrame', message: 'Only Custodian’s own window may call it.' } };
      }
      return (await ready).router.handle(channel, request, { host: 'browser' });
    });
    await page.addInitScript({ content: bridgeScript() });
    await page.goto(`${APP_ORIGIN}/index.html`);
    return { browser, browserContext, page };
  } catch (error) {
    await browserContext.close().catch(() => undefined);
    throw error;
  }
}
