/**
 * The slice of Electron's API the glue uses. The glue takes it as a parameter, so unit tests pass a small fake and
 * the product passes the real `electron` module (only main/app/index.ts imports it).
 */
import type * as Electron from 'electron';

export type ElectronApi = Pick<typeof Electron, 'app' | 'BrowserWindow' | 'ipcMain' | 'protocol' | 'session' | 'utilityProcess' | 'dialog' | 'net'>;
export type BrowserWindowLike = Electron.BrowserWindow;
export type WebContentsLike = Electron.WebContents;
export type SessionLike = Electron.Session;
