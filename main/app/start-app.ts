import { join } from 'node:path';
import type { BrowserWindowLike, ElectronApi } from './electron-types';
import { registerAppScheme, handleAppProtocol } from './protocol';
import { lockDownSession, lockDownWebContents } from './security';
import { createMainWindow } from './window';
import { registerIpc } from './ipc';
import { utilityProcessLauncher } from './device-host';
import { createAppContext } from '../ipc';
import { electronFolderPicker, electronModuleConfirm, electronPrintDialog, electronPrinter } from './print';

export interface AppPaths {
  /** out/ after electron-vite build: main/, preload/, renderer/ */
  outDir: string;
}

/** The whole Electron product wiring, given the Electron API (real or fake). */
export function startElectronApp(electron: ElectronApi, paths: AppPaths): void {
  registerAppScheme(electron);
  electron.app.enableSandbox();
  let window: BrowserWindowLike | null = null;
  electron.app.on('web-contents-created', (_event, contents) => lockDownWebContents(contents));
  electron.app.on('window-all-closed', () => electron.app.quit());
  // The packaged app ships renderer/print/print.css beside out/ (package.json build.files): point the printer at it.
  process.env.CUSTODIAN_PRINT_CSS ??= join(electron.app.getAppPath(), 'renderer', 'print', 'print.css');
  void electron.app
    .whenReady()
    .then(async () => {
      lockDownSession(electron.session.defaultSession);
      const printer = electronPrinter(electron);
      handleAppProtocol(electron, join(paths.outDir, 'renderer'));
      const context = await createAppContext({
        dataDir: electron.app.getPath('userData'),
        host: 'electron',
        hostNote: 'Electron',
        launcher: (env) => utilityProcessLauncher(electron, join(paths.outDir, 'main', 'device-host.js'), env),
        printer,
        capabilities: {
          printHtml: electronPrintDialog(electron),
          chooseFolder: electronFolderPicker(electron),
          confirmModuleFile: electronModuleConfirm(electron),
        },
      });
      registerIpc(electron, context.router, () => window);
      window = createMainWindow(electron, join(paths.outDir, 'preload', 'index.cjs'));
      electron.app.on('before-quit', () => void context.close());
    })
    .catch((error: unknown) => showStartupFailure(electron, error));
}

/**
 * A start that failed (an unreadable data folder, a device host that cannot start) would otherwise leave no window
 * and no message: say what went wrong in a dialog, then quit with a failure status.
 */
export function showStartupFailure(electron: Pick<ElectronApi, 'app' | 'dialog'>, error: unknown): void {
  electron.dialog.showErrorBox('Custodian could not start', startupFailureMessage(error));
  electron.app.exit(1);
}

export function startupFailureMessage(error: unknown): string {
  const e = error as { message?: unknown; code?: unknown } | null;
  const message = typeof e?.message === 'string' && e.message ? e.message : String(error);
  const code = typeof e?.code === 'string' ? ` (${e.code})` : '';
  return `${message}${code}\n\nNothing was changed. Fix the cause and start Custodian again.`;
}
