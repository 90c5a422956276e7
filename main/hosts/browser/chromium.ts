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
