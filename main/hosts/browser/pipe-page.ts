import { writeFile } from 'node:fs/promises';
import type { CdpEvent, PipeChromium } from './cdp-pipe';

/** What the host answers a request of the page with: a file from the renderer build, or nothing (aborted). */
export type PageResponse = { status: number; body: Buffer | string; headers: Record<string, string> } | null;

export interface PipePageOptions {
  chromium: PipeChromium;
  origin: string;
  /** the page's requests: answered, or aborted when null */
  answer(url: URL): Promise<PageResponse>;
  /** `window.custodian`'s calls from the main frame on the origin; their results go back to the page */
  invoke(channel: unknown, request: unknown): Promise<unknown>;
  /** the bridge script, run in every new document before its own scripts */
  initScript: string;
  /** headless: the page's size (headed: the window's own) */
  viewport?: { width: number; height: number };
}

/**
 * A page of a Chromium driven over its DevTools pipe: the same work playwright's Page does for the host (request
 * interception with Fetch, the bridge with Runtime.addBinding and an init script), and what start.ts asks of it (a
 * selector shown, the page's text, a screenshot, its closing) in the same shape.
 */
export class PipePage {
  private sessionId = '';
  private targetId = '';
  private mainContext: number | null = null;
  private isClosedFlag = false;
  /** the page's set-up (interception, bridge, init script, viewport), acknowledged */
  private setUp: Promise<void> = Promise.resolve();
  private readonly closeListeners: (() => void)[] = [];

  private constructor(private readonly options: PipePageOptions) {}

  static async open(options: PipePageOptions): Promise<PipePage> {
    const page = new PipePage(options);
    await page.attach();
    return page;
  }

  private get cdp() {
    return this.options.chromium.cdp;
  }

  private async attach(): Promise<void> {
    const { cdp } = this;
    // Chromium opens its one window (headless: a page) with its start; the host takes that page.
    let window: { targetId: string } | undefined;
    for (let i = 0; i < 200 && !window; i++) {
      const { targetInfos } = (await cdp.send('Target.getTargets')) as { targetInfos: { targetId: string; type: string }[] };
      window = targetInfos.find((t) => t.type === 'page');
      if (!window) await new Promise((r) => setTimeout(r, 25));
    }
    if (!window) throw new Error('Chromium opened no window.');
    this.targetId = window.targetId;
    this.sessionId = (await cdp.send('Target.attachToTarget', { targetId: this.targetId, flatten: true })).sessionId as string;
    cdp.on((event) => this.onEvent(event));
    const s = this.sessionId;
    // Sent together and not awaited here: the navigation goes out behind them (one session's commands are handled in
    // order), and no request of the page is answered before all of them are acknowledged (answerRequest), so the
    // bridge and the init script are in place before the document can run — without a round trip of their own.
    this.setUp = Promise.all([
      cdp.send('Target.setDiscoverTargets', { discover: true }),
      cdp.send('Fetch.enable', { patterns: [{ urlPattern: '*', requestStage: 'Request' }] }, s),
      cdp.send('Runtime.enable', {}, s),
      cdp.send('Runtime.addBinding', { name: '__custodianInvokeRaw' }, s),
      cdp.send('Page.enable', {}, s),
      cdp.send('Page.addScriptToEvaluateOnNewDocument', { source: this.initScript() }, s),
      this.options.viewport
        ? cdp.send('Emulation.setDeviceMetricsOverride', { ...this.options.viewport, deviceScaleFactor: 1, mobile: false }, s)
        : Promise.resolve({}),
    ]).then(() => undefined);
    this.setUp.catch(() => undefined); // reported by goto (and every request waits for it)
  }

  /** Navigates and resolves once the document has loaded. */
  async goto(url: string): Promise<void> {
    const loaded = this.waitForEvent('Page.loadEventFired');
    loaded.catch(() => undefined); // when the navigation itself fails, its error is the one to report
    const navigated = this.cdp.send('Page.navigate', { url }, this.sessionId);
    navigated.catch(() => undefined);
    await this.setUp;
    const { errorText } = (await navigated) as { errorText?: string };
    if (errorText) throw new Error(`The page did not load (${url}): ${errorText}`);
    await loaded;
  }

  private initScript(): string {
    // window.__custodianInvoke(channel, request) → a promise answered by the host through __custodianReply.
    return `(() => {
  const raw = window.__custodianInvokeRaw; const waiting = new Map(); let next = 1;
  delete window.__custodianInvokeRaw;
  Object.defineProperty(window, '__custodianReply', { value: (id, result) => { const w = waiting.get(id); waiting.delete(id); if (w) w(result); } });
  Object.defineProperty(window, '__custodianInvoke', { value: (channel, request) => new Promise((resolve) => {
    const id = next++; waiting.set(id, resolve); raw(JSON.stringify({ id, channel, request }));
  }) });
})();
${this.options.initScript}`;
  }

  private onEvent(event: CdpEvent): void {
    if (event.method === 'Pipe.closed' || (event.method === 'Target.targetDestroyed' && event.params.targetId === this.targetId)) {
      this.markClosed();
      return;
    }
    if (event.sessionId !== this.sessionId) return;
    const p = event.params;
    switch (event.method) {
      case 'Fetch.requestPaused':
        void this.answerRequest(p.requestId as string, (p.request as { url: string }).url);
        break;
      case 'Runtime.executionContextCreated': {
        const c = p.context as { id: number; origin: string; auxData?: { isDefault?: boolean; frameId?: string } };
        if (c.auxData?.isDefault && c.auxData.frameId === this.targetId) this.mainContext = c.origin === this.options.origin ? c.id : null;
        break;
      }
      case 'Runtime.executionContextsCleared':
        this.mainContext = null;
        break;
      case 'Runtime.bindingCalled':
        if (p.name === '__custodianInvokeRaw') void this.answerCall(p.executionContextId as number, p.payload as string);
        break;
      case 'Inspector.detached':
      case 'Target.detachedFromTarget':
        this.markClosed();
        break;
    }
  }

  private async answerRequest(requestId: string, url: string): Promise<void> {
    const s = this.sessionId;
    try {
      await this.setUp;
      const parsed = new URL(url);
      const response = parsed.origin === this.options.origin ? await this.options.answer(parsed) : null;
      if (!response) {
        await this.cdp.send('Fetch.failRequest', { requestId, errorReason: 'BlockedByClient' }, s);
        return;
      }
      const body = Buffer.isBuffer(response.body) ? response.body : Buffer.from(response.body, 'utf8');
      await this.cdp.send(
        'Fetch.fulfillRequest',
        {
          requestId,
          responseCode: response.status,
          responseHeaders: Object.entries(response.headers).map(([name, value]) => ({ name, value })),
          body: body.toString('base64'),
        },
        s,
      );
    } catch {
      await this.cdp.send('Fetch.failRequest', { requestId, errorReason: 'Failed' }, s).catch(() => undefined);
    }
  }

  private async answerCall(contextId: number, payload: string): Promise<void> {
    let id: number;
    let result: unknown;
    try {
      const call = JSON.parse(payload) as { id: number; channel: unknown; request: unknown };
      id = call.id;
      // Only Custodian's own window (the main frame on the made-up origin) reaches the router.
      result =
        contextId === this.mainContext
          ? await this.options.invoke(call.channel, call.request)
          : { ok: false, error: { code: 'ForbiddenFrame', message: 'Only Custodian’s own window may call it.' } };
    } catch {
      return;
    }
    await this.evaluateIn(contextId, `globalThis.__custodianReply(${id}, ${JSON.stringify(result)})`).catch(() => undefined);
  }

  private async evaluateIn(contextId: number | undefined, expression: string, awaitPromise = false): Promise<unknown> {
    const { result, exceptionDetails } = (await this.cdp.send(
      'Runtime.evaluate',
      { expression, returnByValue: true, awaitPromise, ...(contextId !== undefined ? { contextId } : {}) },
      this.sessionId,
    )) as { result: { value?: unknown }; exceptionDetails?: { text: string; exception?: { description?: string } } };
    if (exceptionDetails) throw new Error(exceptionDetails.exception?.description ?? exceptionDetails.text);
    return result.value;
  }

  /** Runs an expression in the page's main world and gives back its (JSON) value. */
  evaluate(expression: string): Promise<unknown> {
    return this.evaluateIn(undefined, expression, true);
  }

  /** Calls window.__custodianDispatch(event, payload) in the page (the router's events). */
  dispatch(event: string, payload: unknown): void {
    if (this.isClosedFlag) return;
    this.evaluateIn(this.mainContext ?? undefined, `globalThis.__custodianDispatch?.(${JSON.stringify(event)}, ${JSON.stringify(payload)})`).catch(
      () => undefined,
    );
  }

  /** playwright's locator, as far as start.ts uses it: waitFor (attached, polled each frame) and innerText. */
  locator(selector: string) {
    const sel = JSON.stringify(selector);
    const self = {
      first: () => self,
      // frame: until the frame that shows it has been drawn (the next animation frame after it is in the document);
      // resolves with the page's clock then (ms since the epoch), which a busy host may read later
      waitFor: async ({ timeout = 30_000, frame = false }: { timeout?: number; frame?: boolean } = {}) => {
        const at = 'performance.timeOrigin + performance.now()';
        return Number(
          await this.evaluate(`new Promise((resolve, reject) => { const t0 = performance.now(); const look = () => {
          if (document.querySelector(${sel})) ${frame ? `requestAnimationFrame(() => resolve(${at}))` : `resolve(${at})`};
          else if (performance.now() - t0 > ${timeout}) reject(new Error('Timed out waiting for ' + ${sel}));
          else requestAnimationFrame(look); }; look(); })`),
        );
      },
      innerText: async () => String(await this.evaluate(`document.querySelector(${sel})?.innerText ?? ''`)),
    };
    return self;
  }

  async screenshot({ path }: { path: string; fullPage?: boolean }): Promise<void> {
    const { data } = (await this.cdp.send('Page.captureScreenshot', { format: 'png', captureBeyondViewport: true }, this.sessionId)) as { data: string };
    await writeFile(path, Buffer.from(data, 'base64'));
  }

  isClosed(): boolean {
    return this.isClosedFlag;
  }

  on(event: 'close', listener: () => void): void {
    if (event === 'close') this.closeListeners.push(listener);
  }

  private markClosed(): void {
    if (this.isClosedFlag) return;
    this.isClosedFlag = true;
    for (const listener of this.closeListeners) listener();
  }

  private waitForEvent(method: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const off = this.cdp.on((event) => {
        if (event.method === 'Pipe.closed') {
          off();
          reject(new Error('Chromium closed before the page loaded.'));
        } else if (event.method === method && event.sessionId === this.sessionId) {
          off();
          resolve();
        }
      });
    });
  }
}
