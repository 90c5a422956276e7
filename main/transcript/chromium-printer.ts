import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { TranscriptError, TranscriptErrorCode } from './errors';
import type { PdfPrintRequest } from './footer';

/**
 * Prints HTML to PDF. Two implementations: Chromium driven by playwright-core (browser host, CLI, tests) and, in
 * the Electron app, a hidden window's webContents.printToPDF (main/app/print.ts) — both take the same request.
 */
export interface PdfPrinter {
  printPdf(request: PdfPrintRequest): Promise<Uint8Array>;
  /** releases what the printer holds (the Chromium process); the printer cannot be used afterwards */
  close(): Promise<void>;
}

export interface ChromiumPrinterOptions {
  /** defaults to chromiumPath() of the browser host (CUSTODIAN_CHROMIUM or /usr/bin/chromium) */
  executablePath?: string;
  /** defaults to the browser host's CHROMIUM_ARGS */
  args?: string[];
}

async function launchOptions(options: ChromiumPrinterOptions): Promise<{ executablePath: string; args: string[] }> {
  if (options.executablePath && options.args) return { executablePath: options.executablePath, args: options.args };
  const host = await import('../hosts/browser/chromium');
  return { executablePath: options.executablePath ?? host.chromiumPath(), args: options.args ?? host.CHROMIUM_ARGS };
}

/**
 * A printer that starts Chromium on first use and keeps it for the next documents (one launch costs ~1.7 s here),
 * until close(). Each document gets a fresh page with JavaScript off and every network request refused: the HTML is
 * self-contained (inline CSS, data: images).
 */
export function createChromiumPrinter(options: ChromiumPrinterOptions = {}): PdfPrinter {
  let browser: Promise<Browser> | null = null;
  let closed = false;

  const start = async (): Promise<Browser> => {
    const { executablePath, args } = await launchOptions(options);
    if (!existsSync(executablePath)) {
      throw new TranscriptError(
        TranscriptErrorCode.ChromiumMissing,
        `Chromium was not found at ${executablePath}, so nothing can be printed to PDF. Install it (apt-get install chromium) or set CUSTODIAN_CHROMIUM.`,
      );
    }
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
      if (pending) await (await pending.catch(() => null))?.close();
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
