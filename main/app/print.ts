import type { WebContentsLike } from './electron-types';

/** The transcript as PDF under Electron (printToPDF), with the footer the print view lays out itself. */
export async function printToPdf(contents: WebContentsLike, paper: 'A4' | 'Letter'): Promise<Uint8Array> {
  const pdf = await contents.printToPDF({ pageSize: paper, printBackground: true, preferCSSPageSize: true });
  return new Uint8Array(pdf);
}

/** Opens the system print dialog for the current page (the Print button). */
export function openPrintDialog(contents: WebContentsLike): Promise<boolean> {
  return new Promise((resolve) => contents.print({ silent: false, printBackground: true }, (success) => resolve(success)));
}
