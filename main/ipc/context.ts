// What a host builds and the handlers use: the app context's shape, apart from how it is made (app-context.ts), so
// the handlers and the context that creates them import no circle.
import type { AppInfo } from '../../preload/api';
import type { Router } from './router';
import type { SettingsStore } from '../settings';
import type { DeviceHostClient, DeviceJudge, DeviceService, HostLauncher, Pkcs11Client, RehearsalSetup, SharePrinterService } from '../devices';
import type { PdfPrinter } from '../transcript';
import type { Pkcs11SessionStore, SecretVault } from '../ceremony';
import type { CeremonyService } from './ceremonies';

export interface AppContextOptions {
  dataDir: string;
  host: AppInfo['host'];
  /** One sentence saying how this host runs, shown on screen (e.g. "Browser host: Electron is not installed"). */
  hostNote: string;
  /** Makes the device-host launcher once the environment (SOFTHSM2_CONF for rehearsal) is known. */
  launcher: (env: NodeJS.ProcessEnv) => HostLauncher;
  /** how HTML becomes PDF, brought by the host: printToPDF under Electron, Chromium for the browser host and CLI; closed with the context */
  printer: PdfPrinter;
  /** where share cards go outside rehearsal (never a file); CUPS' lp when present */
  sharePrinter?: SharePrinterService;
  /** what only some hosts can do: the system print dialog and a folder picker (Electron) */
  capabilities?: HostCapabilities;
}

export interface HostCapabilities {
  /** opens the system print dialog for this self-contained HTML; resolves true when it was printed */
  printHtml?(html: string, paper: 'A4' | 'Letter'): Promise<boolean>;
  /** lets the user pick a folder (removable media); null when they cancelled */
  chooseFolder?(title: string): Promise<string | null>;
  /** the system's open dialog, opened at the path typed, to confirm the PKCS#11 library to add; null when cancelled */
  confirmModuleFile?(typedPath: string): Promise<string | null>;
}

/** Everything a host needs, built the same way under Electron, the browser host, the CLI and the tests. */
export interface AppContext {
  readonly options: AppContextOptions;
  readonly router: Router;
  readonly settings: SettingsStore;
  readonly deviceHost: DeviceHostClient;
  readonly devices: DeviceService;
  readonly rehearsal: RehearsalSetup | null;
  /** tells rehearsal devices from real ones (the ceremony's mode is decided by it) */
  readonly deviceJudge: DeviceJudge;
  readonly ceremonies: CeremonyService;
  readonly pkcs11: Pkcs11Client;
  readonly pkcs11Sessions: Pkcs11SessionStore;
  readonly vault: SecretVault;
  /** the printers ceremonies use: pdfPrinter (one shared Chromium or printToPDF) and sharePrinter (paper only) */
  printingServices(): { pdfPrinter: PdfPrinter; sharePrinter?: SharePrinterService };
  /** the module a script's `module: default` means: the first configured one, or SoftHSM2 in rehearsal */
  defaultModule(): string | null;
  appInfo(): AppInfo;
  close(): Promise<void>;
}
