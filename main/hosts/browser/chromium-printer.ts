import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { TranscriptError, TranscriptErrorCode, type PdfPrinter } from '../../transcript';
import { CHROMIUM_ARGS, chromiumPath } from './chromium';

export interface ChromiumPrinterOptions {
  /** defaults to chromiumPath() of the browser host (CUSTODIAN_CHROMIUM or /usr/bin/chromium) */
  executablePath?: string;
  /** defaults to the browser host's CHROMIUM_ARGS */
  args?: string[];
  /**
   * A headless Chromium someone else owns (the headless browser host's own): documents print in their own offline,
   * script-less contexts of it instead of a second Chromium, and close() leaves it running.
   */
  borrow?: () => Promise<Browser>;
  /**
   * A Chromium already running on this machine, by its playwright server's endpoint (`ws://127.0.0.1:<port>/…`):
   * documents print there (each in its own context, closed with the connection) instead of starting a Chromium.
   * The CLI takes it from CUSTODIAN_CHROMIUM_ENDPOINT (the crash tests run `custodian run` hundreds of times).
   */
  connectTo?: string;
}

/** Only a playwright server on this machine: a transcript is never sent over the network. */
export function localChromiumEndpoint(endpoint: string | undefined): string | undefined {
  if (!endpoint) return undefined;
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new TranscriptError(TranscriptErrorCode.PrintFailed, `CUSTODIAN_CHROMIUM_ENDPOINT is not a URL: ${endpoint}`);
  }
  if (url.protocol !== 'ws:' || !['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname))
    throw new TranscriptError(
      TranscriptErrorCode.PrintFailed,
      'CUSTODIAN_CHROMIUM_ENDPOINT must be a ws:// address on this machine (127.0.0.1, localhost or ::1).',
    );
  return endpoint;
}

/**
 * The PDF printer of the browser host and the CLI: Chromium driven by playwright-core, loaded only when the first
 * document is printed (a CLI command that prints nothing never loads it). It starts Chromium on first use and keeps it for the next documents (one launch costs ~1.7 s here),
 * until close(). Each document gets a fresh page with JavaScript off and every network request refused: the HTML is
 * self-contained (inline CSS, data: images).
 */
export function createChromiumPrinter(options: ChromiumPrinterOptions = {}): PdfPrinter {
  let browser: Promise<Browser> | null = null;
  let closed = false;

  const start = async (): Promise<Browser> => {
    if (options.borrow) return options.borrow();
    if (options.connectTo) {
      const { chromium } = await import('playwright-core');
      return chromium.connect(options.connectTo);
    }
    const executablePath = options.executablePath ?? chromiumPath();
    const args = options.args ?? CHROMIUM_ARGS;
    if (!existsSync(executablePath)) {
      throw new TranscriptError(
        TranscriptErrorCode.ChromiumMissing,
        `Chromium was not found at ${executablePath}, so nothing can be printed to PDF. Install it (apt-get install chromium) or set CUSTODIAN_CHROMIUM.`,
      );
    }
    const { chromium } = await import('playwright-core').catch(() => {
      throw new TranscriptError(
        TranscriptErrorCode.ChromiumMissing,
        'Printing to PDF here needs playwright-core, which is not installed; print from the Custodian app instead.',
      );
    });
    return chromium.launch({ executablePath, args, headless: true });
  };

  return {
    async printPdf(request) {
      if (closed) throw new TranscriptError(TranscriptErrorCode.PrintFailed, 'This printer was closed.');
      browser ??= start();
      let instance: Browser;
      try {
        instance = await browser;
      } catch (error) {
        browser = null;
        throw error;
      }
      const context = await instance.newContext({ javaScriptEnabled: false, offline: true });
      try {
        const page = await context.newPage();
        await page.route('**/*', (route) => route.abort('blockedbyclient'));
        await page.setContent(request.html, { waitUntil: 'load' });
        const pdf = await page.pdf({
          format: request.paper,
          printBackground: true,
          displayHeaderFooter: true,
          headerTemplate: request.headerTemplate,
          footerTemplate: request.footerTemplate,
          margin: request.margin,
        });
        return new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength);
      } catch (error) {
        if (error instanceof TranscriptError) throw error;
        throw new TranscriptError(TranscriptErrorCode.PrintFailed, `Printing to PDF failed: ${(error as Error).message.split('\n')[0]}`);
      } finally {
        await context.close().catch(() => undefined);
      }
    },
    async close() {
      closed = true;
      const pending = browser;
      browser = null;
      // a connected Chromium: close() only closes this printer's contexts and the connection
      if (pending && !options.borrow) await (await pending.catch(() => null))?.close();
    },
  };
}

/** Runs `use` with a Chromium printer and closes it afterwards, whatever happens. */
export async function withChromiumPrinter<T>(use: (printer: PdfPrinter) => Promise<T>, options: ChromiumPrinterOptions = {}): Promise<T> {
  const printer = createChromiumPrinter(options);
  try {
    return await use(printer);
  } finally {
    await printer.close();
  }
}
