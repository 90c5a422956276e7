import type { IpcMainInvokeEvent } from 'electron';
import type { ElectronApi, BrowserWindowLike } from './electron-types';
import { isAppUrl } from './constants';
import { REQUEST_CHANNELS, EVENT_PREFIX } from '../../preload/channels';
import type { Router } from '../ipc';

/** Only the main frame of our own window, showing our own page, may call main. */
export function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'senderFrame' | 'sender'>, window: BrowserWindowLike | null): boolean {
  const frame = event.senderFrame;
  if (!window || !frame) return false;
  if (event.sender !== window.webContents) return false;
  if (frame !== window.webContents.mainFrame) return false;
  return isAppUrl(frame.url);
}

export function registerIpc(electron: Pick<ElectronApi, 'ipcMain'>, router: Router, getWindow: () => BrowserWindowLike | null): () => void {
  for (const channel of REQUEST_CHANNELS) {
    electron.ipcMain.handle(channel, (event, request) => {
      if (!isTrustedSender(event, getWindow())) {
        return { ok: false, error: { code: 'ForbiddenFrame', message: 'Only Custodian’s own window may call it.' } };
      }
      return router.handle(channel, request, { host: 'electron' });
    });
  }
  const removeSink = router.addEventSink((event, payload) => {
    const window = getWindow();
    if (window && !window.isDestroyed()) window.webContents.send(EVENT_PREFIX + event, payload);
  });
  return () => {
    removeSink();
    for (const channel of REQUEST_CHANNELS) electron.ipcMain.removeHandler(channel);
  };
}
