import { createAppContext, type AppContext, type AppContextOptions } from '../../ipc';
import { nodeHostLauncher, type SharePrinterService } from '../../devices';

/** The services and router behind a browser host's page: the same app as Electron's, with the device host in plain Node. */
export function browserHostServices(
  options: { dataDir: string; hostNote?: string; sharePrinter?: SharePrinterService },
  printer: AppContextOptions['printer'],
): Promise<AppContext> {
  return createAppContext({
    dataDir: options.dataDir,
    host: 'browser',
    hostNote: options.hostNote ?? 'Browser host (Chromium)',
    launcher: (env) => nodeHostLauncher(env),
    sharePrinter: options.sharePrinter,
    printer,
  });
}
