/**
 * Builds the `window.custodian` object from the channel names and two transport functions. Shared by the Electron
 * preload (ipcRenderer) and the browser host (an init script over Playwright bindings), so both expose exactly the
 * same shape. Self-contained on purpose: the browser host sends this function's source text into the page.
 */
export function buildCustodianApi(
  requestChannels: readonly string[],
  eventChannels: readonly string[],
  invoke: (channel: string, request: unknown) => Promise<unknown>,
  subscribe: (event: string, listener: (payload: unknown) => void) => () => void,
): unknown {
  const api: Record<string, unknown> = {};
  for (const channel of requestChannels) {
    const dot = channel.indexOf('.');
    const domain = channel.slice(0, dot);
    const method = channel.slice(dot + 1);
    const group = (api[domain] ??= {}) as Record<string, unknown>;
    group[method] = (request: unknown) => invoke(channel, request === undefined ? {} : request);
  }
  api.on = (event: string, listener: (payload: unknown) => void) => {
    if (eventChannels.indexOf(event) < 0) throw new Error('Unknown event: ' + event);
    return subscribe(event, listener);
  };
  return Object.freeze(api);
}
