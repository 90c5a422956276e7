import type { Browser } from 'playwright-core';

const QUIET_OFFLINE = [
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

/**
 * How Custodian starts Chromium: quiet and offline (no background networking, no updates), with its sandbox on —
 * except as root, where Chromium refuses to start sandboxed: only then `--no-sandbox` (and the host says so).
 */
export function chromiumArgs(uid: number | undefined = process.getuid?.()): string[] {
  return [...(uid === 0 ? ['--no-sandbox'] : []), ...QUIET_OFFLINE];
}

/** The arguments for this process (computed once: the user does not change while it runs). */
export const CHROMIUM_ARGS: string[] = chromiumArgs();

/** One sentence for the log when the sandbox is off, or null. */
export function sandboxNote(args: readonly string[] = CHROMIUM_ARGS): string | null {
  return args.includes('--no-sandbox')
    ? 'Chromium runs without its sandbox (--no-sandbox) because Custodian runs as root; run it as a normal user to keep the sandbox on.'
    : null;
}

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

/** The host decides what a signal means (close the ceremonies, then the browser), not Playwright behind its back. */
export const HOST_SIGNALS = { handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false };

/**
 * A headless Chromium for a host, launching the moment it is asked for. playwright-core is the heaviest module the
 * host loads, so it is loaded here, on first use.
 */
export async function launchHeadlessChromium(): Promise<Browser> {
  return (await startHeadlessChromium()).browser;
}

/**
 * The same in two halves: resolves once playwright-core is loaded and Chromium's launch is under way, with the
 * launch itself still pending. start.ts waits for this much only, then loads the rest of the host while Chromium
 * starts (awaiting the whole launch there would start nothing else meanwhile; awaiting nothing would let the rest of
 * the host load first).
 */
export async function startHeadlessChromium(): Promise<{ browser: Promise<Browser> }> {
  const { chromium } = await import('playwright-core');
  return { browser: chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS, ...HOST_SIGNALS }) };
}
