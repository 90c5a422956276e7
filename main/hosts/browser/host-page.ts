import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { answerPageRequest, APP_ORIGIN, bridgeScript } from './bridge';
import type { PipeChromium } from './cdp-pipe';
import { PipePage, type PageResponse } from './pipe-page';
import { rendererBuildDir } from './renderer-build';
import { startMark as mark } from './start-marks';

/** What answers the page's `window.custodian` calls (the router, once the services are up). */
export type PageCalls = (channel: unknown, request: unknown) => Promise<unknown>;

export interface HostPage {
  /** the page once its document has loaded (Home paints from it; its calls wait for serve) */
  page: Promise<PipePage>;
  /** from now on the page's calls are answered by `calls` (those made before wait for it) */
  serve(calls: PageCalls): void;
}

/**
 * Custodian's page in the Chromium of the browser host, opened the moment Chromium answers: this module and what it
 * imports are small (no services, no router), so `npm start` loads them first and the page's files are served while
 * the rest of the host is still to load. Its calls wait until serve() gives them the router.
 */
export function openHostPage(chromium: Promise<PipeChromium>, headless: boolean): HostPage {
  let serve!: (calls: PageCalls) => void;
  const served = new Promise<PageCalls>((resolve) => (serve = resolve));
  const rendererDir = rendererBuildDir();
  const answer = firstLoadReadAhead(rendererDir);
  const page = chromium.then(async (browser) => {
    mark('chromium-answered');
    const opened = await PipePage.open({
      chromium: browser,
      origin: APP_ORIGIN,
      answer,
      invoke: async (channel, request) => (await served)(channel, request),
      initScript: bridgeScript(),
      viewport: headless ? { width: 1280, height: 900 } : undefined,
    });
    mark('page-attached');
    await opened.goto(`${APP_ORIGIN}/index.html`);
    mark('page-loaded');
    return opened;
  });
  return { page, serve };
}

/**
 * The page's answers, the first load's files (index.html and the built assets) read while Chromium is still starting
 * (this process waits on it then): each read ahead is given once, every later request is read from the build again.
 */
function firstLoadReadAhead(rendererDir: string): (url: URL) => Promise<PageResponse> {
  const ahead = new Map<string, Promise<PageResponse>>();
  let assets: string[] = [];
  try {
    assets = readdirSync(join(rendererDir, 'assets'), { withFileTypes: true }).flatMap((f) => (f.isFile() ? [`/assets/${f.name}`] : []));
  } catch {
    // no assets folder: index.html alone is read ahead
  }
  for (const path of ['/index.html', ...assets]) {
    const read = answerPageRequest(rendererDir, new URL(path, APP_ORIGIN));
    read.catch(() => undefined); // a failed read ahead is read again when asked for
    ahead.set(path, read);
  }
  return (url) => {
    const read = ahead.get(url.pathname);
    ahead.delete(url.pathname);
    return read?.catch(() => answerPageRequest(rendererDir, url)) ?? answerPageRequest(rendererDir, url);
  };
}
