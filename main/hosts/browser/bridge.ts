import { EVENT_CHANNELS, REQUEST_CHANNELS } from '../../../preload/channels';
import { buildCustodianApi } from '../../../preload/bridge';
import { CONTENT_SECURITY_POLICY, readRendererFile } from '../../page-files';

/** A made-up origin that never resolves: every request to it is answered from the renderer build by the host. */
export const APP_ORIGIN = 'https://custodian.app.invalid';

/** The headers every page file is answered with (both transports). */
export const PAGE_HEADERS = { 'Content-Security-Policy': CONTENT_SECURITY_POLICY, 'X-Content-Type-Options': 'nosniff' };

/** A request of the page on APP_ORIGIN, answered from the renderer build (the same for both transports). */
export async function answerPageRequest(rendererDir: string, url: URL): Promise<{ status: number; body: Buffer; headers: Record<string, string> }> {
  const file = await readRendererFile(rendererDir, url.pathname);
  return { status: file.status, body: file.body, headers: { 'Content-Type': file.contentType, ...PAGE_HEADERS } };
}

/**
 * The page-side bridge: the same builder as the Electron preload, fed by `window.__custodianInvoke` (a playwright
 * binding, or the pipe transport's binding wrapper).
 */
export function bridgeScript(): string {
  return `(() => {
  const listeners = new Map();
  window.__custodianDispatch = (event, payload) => { for (const l of listeners.get(event) || []) { try { l(payload); } catch (e) { console.error(e); } } };
  const build = ${buildCustodianApi.toString()};
  const api = build(${JSON.stringify(REQUEST_CHANNELS)}, ${JSON.stringify(EVENT_CHANNELS)},
    (channel, request) => window.__custodianInvoke(channel, request),
    (event, listener) => { const set = listeners.get(event) || new Set(); set.add(listener); listeners.set(event, set); return () => set.delete(listener); });
  Object.defineProperty(window, 'custodian', { value: api, writable: false, configurable: false });
})();`;
}
