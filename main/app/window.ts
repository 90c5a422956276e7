import type { BrowserWindowLike, ElectronApi } from './electron-types';
import { APP_URL } from './constants';
import { lockDownWebContents } from './security';

/** The one window. Every web preference that matters is stated, not left to defaults. */
export const WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  experimentalFeatures: false,
  navigateOnDragDrop: false,
  spellcheck: false,
  devTools: false,
} as const;

export function createMainWindow(electron: Pick<ElectronApi, 'BrowserWindow'>, preloadPath: string): BrowserWindowLike {
  const window = new electron.BrowserWindow({
    width: 1280,
    height: 900,
    show: false,
    title: 'Custodian',
    webPreferences: { ...WEB_PREFERENCES, preload: preloadPath },
  });
  lockDownWebContents(window.webContents);
  window.once('ready-to-show', () => window.show());
  void window.loadURL(APP_URL);
  return window;
}
