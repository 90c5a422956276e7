import type { ElectronApi, WebContentsLike } from './electron-types';
import type { PdfPrinter, PdfPrintRequest } from '../transcript';

export const PRINT_PARTITION = 'custodian-print';

/**
 * Under Electron, transcripts and share cards become PDF through printToPDF, from the same self-contained HTML the
 * browser host prints with Chromium. Each document is loaded in a hidden, sandboxed window of its own in-memory
 * session whose only allowed request is the document itself (a data: URL); JavaScript is off.
 */
function lockedPrintSession(electron: Pick<ElectronApi, 'session'>) {
  const printSession = electron.session.fromPartition(PRINT_PARTITION, { cache: false });
  printSession.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !details.url.startsWith('data:text/html') }));
  printSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  return printSession;
}

/** A hidden window showing only this HTML: no JavaScript, no network, its own session. */
async function documentWindow(electron: Pick<ElectronApi, 'BrowserWindow'>, printSession: ReturnType<typeof lockedPrintSession>, html: string) {
  const window = new electron.BrowserWindow({
    show: false,
    webPreferences: { session: printSession, javascript: false, sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true },
  });
  await window.loadURL(`data:text/html;base64,${Buffer.from(html, 'utf8').toString('base64')}`);
  return window;
}

export function electronPrinter(electron: Pick<ElectronApi, 'BrowserWindow' | 'session'>): PdfPrinter {
  const printSession = lockedPrintSession(electron);
  return {
    async printPdf(request: PdfPrintRequest): Promise<Uint8Array> {
      const window = await documentWindow(electron, printSession, request.html);
      try {
        const pdf = await window.webContents.printToPDF({
          pageSize: request.paper,
          printBackground: true,
          displayHeaderFooter: true,
          headerTemplate: request.headerTemplate,
          footerTemplate: request.footerTemplate,
          margins: {
            top: toInches(request.margin.top),
            bottom: toInches(request.margin.bottom),
            left: toInches(request.margin.left),
            right: toInches(request.margin.right),
          },
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

/** The Print button under Electron: the system print dialog for the document (the transcript's print HTML). */
export function electronPrintDialog(electron: Pick<ElectronApi, 'BrowserWindow' | 'session'>): (html: string, paper: 'A4' | 'Letter') => Promise<boolean> {
  const printSession = lockedPrintSession(electron);
  return async (html, paper) => {
    const window = await documentWindow(electron, printSession, html);
    try {
      return await openPrintDialog(window.webContents, paper);
    } finally {
      window.destroy();
    }
  };
}

export function openPrintDialog(contents: WebContentsLike, paper: 'A4' | 'Letter'): Promise<boolean> {
  return new Promise((resolve) => contents.print({ silent: false, printBackground: true, pageSize: paper }, (success) => resolve(success)));
}

/** Export to removable media under Electron: the system folder picker. */
export function electronFolderPicker(electron: Pick<ElectronApi, 'dialog'>): (title: string) => Promise<string | null> {
  return async (title) => {
    const result = await electron.dialog.showOpenDialog({ title, properties: ['openDirectory', 'createDirectory'] });
    return result.canceled ? null : (result.filePaths[0] ?? null);
  };
}

/** The PKCS#11 library to add, confirmed in the system's own open dialog (the renderer's path is only where it opens). */
export function electronModuleConfirm(electron: Pick<ElectronApi, 'dialog'>): (typedPath: string) => Promise<string | null> {
  return async (typedPath) => {
    const result = await electron.dialog.showOpenDialog({
      title: 'Confirm the vendor’s PKCS#11 library',
      defaultPath: typedPath,
      properties: ['openFile'],
      filters: [{ name: 'PKCS#11 library', extensions: ['so', 'dylib', 'dll'] }],
    });
    return result.canceled ? null : (result.filePaths[0] ?? null);
  };
}
