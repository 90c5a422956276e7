import type { SessionLike, WebContentsLike } from './electron-types';
import { isAppUrl } from './constants';
import { CONTENT_SECURITY_POLICY } from '../ipc';

/**
 * The session-wide policy: no permission is ever granted, and every request whose URL is not app: is cancelled
 * (devtools: too, so a stray extension or link cannot reach anything). Responses carry the CSP.
 */
export function lockDownSession(session: SessionLike): void {
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler?.(() => false);
  session.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !isAppUrl(details.url) }));
  session.webRequest.onHeadersReceived((details, callback) =>
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } }),
  );
}

/** Per web contents: no navigation away, no new windows, no webviews. */
export function lockDownWebContents(contents: WebContentsLike): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}
