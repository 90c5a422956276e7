import type { ElectronApi } from './electron-types';
import { APP_HOST, APP_SCHEME } from './constants';
import { CONTENT_SECURITY_POLICY, readRendererFile } from '../ipc';

/** Must run before app 'ready': app:// behaves like a secure, standard origin (so 'self' in the CSP means it). */
export function registerAppScheme(electron: Pick<ElectronApi, 'protocol'>): void {
  electron.protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: false, corsEnabled: false, stream: false } },
  ]);
}

/** Serves out/renderer under app://custodian/ with the CSP header; refuses other hosts and path traversal. */
export function handleAppProtocol(electron: Pick<ElectronApi, 'protocol'>, rendererDir: string): void {
  electron.protocol.handle(APP_SCHEME, async (request: Request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST) return new Response('Forbidden', { status: 403 });
    const file = await readRendererFile(rendererDir, url.pathname);
    return new Response(new Uint8Array(file.body), {
      status: file.status,
      headers: { 'Content-Type': file.contentType, 'Content-Security-Policy': CONTENT_SECURITY_POLICY, 'X-Content-Type-Options': 'nosniff' },
    });
  });
}
