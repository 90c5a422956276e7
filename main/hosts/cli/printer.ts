import type { ChromiumPrinterOptions } from '../browser';
import { TranscriptError, TranscriptErrorCode, type PdfPrinter } from '../../transcript';

/**
 * The browser host's Chromium printer for the CLI, loaded with the browser host's module only when the first document
 * is printed: that module imports playwright-core (most of a second to load), which a command printing nothing — or
 * a ceremony until it prints — never needs. `connectTo` is checked then (localChromiumEndpoint: only a playwright
 * server on this machine is taken); a bad one fails that first print, saying why.
 */
export function cliChromiumPrinter(options: { connectTo?: string } = {}): PdfPrinter {
  let printer: Promise<PdfPrinter> | null = null;
  let closed = false;
  const load = () =>
    (printer ??= import('../browser').then(
      (browser) => {
        const chosen: ChromiumPrinterOptions = { connectTo: browser.localChromiumEndpoint(options.connectTo) };
        return browser.createChromiumPrinter(chosen);
      },
      (error: NodeJS.ErrnoException) => {
        // playwright-core is optional in the package: without it the CLI cannot print, and says so
        if (error.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('playwright-core'))
          throw new TranscriptError(
            TranscriptErrorCode.ChromiumMissing,
            'Printing to PDF here needs playwright-core, which is not installed; print from the Custodian app instead.',
          );
        throw error;
      },
    ));
  return {
    async printPdf(request) {
      if (closed) throw new TranscriptError(TranscriptErrorCode.PrintFailed, 'This printer was closed.');
      return (await load()).printPdf(request);
    },
    async close() {
      closed = true;
      const pending = printer;
      printer = null;
      if (pending) await (await pending.catch(() => null))?.close();
    },
  };
}
