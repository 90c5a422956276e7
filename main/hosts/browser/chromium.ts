/** Where Chromium is and how Custodian starts it: quiet and offline (no background networking, no updates). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-extensions',
  '--disable-quic',
  '--no-first-run',
  '--no-default-browser-check',
  '--metrics-recording-only',
];

export function chromiumPath(): string {
  return process.env.CUSTODIAN_CHROMIUM || '/usr/bin/chromium';
}

/**
 * A headed browser host opens Chromium as an app window, as close to the Electron window as Chromium allows: no
 * address bar, tabs, back or reload button. The window starts on an empty page; the host then loads Custodian into
 * it once its routes are in place (so not one request leaves for the network).
 */
export function appWindowArgs(width = 1280, height = 900): string[] {
  return [`--app=data:text/html,<title>Custodian</title>`, `--window-size=${width},${height}`];
}
