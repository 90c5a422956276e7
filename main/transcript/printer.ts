import type { PdfPrintRequest } from './footer';

/**
 * Prints HTML to PDF. Each host brings its own (the transcript layer holds none, so the Electron bundle carries no
 * Chromium driver): Electron a hidden window's webContents.printToPDF (main/app/print.ts), the browser host and the
 * CLI Chromium through playwright-core (main/hosts/browser/chromium-printer.ts); both take the same request.
 */
export interface PdfPrinter {
  printPdf(request: PdfPrintRequest): Promise<Uint8Array>;
  /** releases what the printer holds (a Chromium process); the printer cannot be used afterwards */
  close(): Promise<void>;
}
