import type { ElectronApi, WebContentsLike } from './electron-types';
import type { PdfPrinter, PdfPrintRequest } from '../transcript';

export const PRINT_PARTITION = 'custodian-print';

/**
 * Under Electron, transcripts and share cards become PDF through printToPDF, from the same self-contained HTML the
 * browser host prints with Chromium. Each document is loaded in a hidden, sandboxed window of its own in-memory
 * session whose only allowed request is the document itself (a data: URL); JavaScript is off.
 */
export function electronPrinter(electron: Pick<ElectronApi, 'BrowserWindow' | 'session'>): PdfPrinter {
  const printSession = electron.session.fromPartition(PRINT_PARTITION, { cache: false });
  printSession.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !details.url.startsWith('data:text/html') }));
  printSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  return {
    async printPdf(request: PdfPrintRequest): Promise<Uint8Array> {
      const window = new electron.BrowserWindow({
        show: false,
        webPreferences: { session: printSession, javascript: false, sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true },
      });
      try {
        await window.loadURL(`data:text/html;base64,${Buffer.from(request.html, 'utf8').toString('base64')}`);
        const pdf = await window.webContents.printToPDF({
          pageSize: request.paper,
          printBackground: true,
          displayHeaderFooter: true,
          headerTemplate: request.headerTemplate,
          footerTemplate: request.footerTemplate,
          margins: { top: toInches(request.margin.top), bottom: toInches(request.margin.bottom), left: toInches(request.margin.left), right: toInches(request.margin.right) },
        });
        return new Uint8Array(pdf);
      } finally {
        window.destroy();
      }
    },
    async close() {},
  };
}

/** printToPDF takes margins in inches; the print requests carry millimetres. */
export function toInches(length: string): number {
  const mm = /^([\d.]+)mm$/.exec(length);
  if (!mm) throw new Error(`Margin ${length} is not in millimetres.`);
  return Number(mm[1]) / 25.4;
}

/** Opens the system print dialog for the current page (the Print button under Electron). */
export function openPrintDialog(contents: WebContentsLike): Promise<boolean> {
  return new Promise((resolve) => contents.print({ silent: false, printBackground: true }, (success) => resolve(success)));
}
