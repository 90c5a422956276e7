import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchPipeChromium, type PipeChromium } from './cdp-pipe';
import { startMark } from './start-marks';

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
 * except as root, where Chromium refuses to start sandboxed: only then `--no-sandbox` (and the host says so once on
 * the terminal, see sandboxNote). With it goes `--test-type`, the switch Chromium checks before it shows its
 * "unsupported command-line flag: --no-sandbox" warning bar: that bar would sit above the REHEARSAL banner in the
 * app window, a warning the people in the room cannot act on.
 */
export function chromiumArgs(uid: number | undefined = process.getuid?.()): string[] {
  return [...(uid === 0 ? ['--no-sandbox', '--test-type'] : []), ...QUIET_OFFLINE];
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

/** A headless Chromium for a host (playwright-core, loaded here on first use: the heaviest module the host loads). */
export async function launchHeadlessChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS, ...HOST_SIGNALS });
}

/** Headless as playwright starts it (same mode, so the start-up bench compares like with like). */
export const HEADLESS_ARGS = ['--headless', '--hide-scrollbars', '--mute-audio'];

/**
 * The Chromium of `npm start`, driven over its DevTools pipe (no port, and no playwright-core to load first): a
 * throw-away profile; headless, a blank page; headed, the app window. Returns at once with the launch under way.
 */
export function startHostChromium(headless: boolean): { profile: string; chromium: Promise<PipeChromium> } {
  startMark('chromium-spawned');
  const profile = mkdtempSync(join(tmpdir(), 'custodian-chromium-'));
  const args = [`--user-data-dir=${profile}`, ...CHROMIUM_ARGS, ...(headless ? [...HEADLESS_ARGS, 'about:blank'] : appWindowArgs())];
  return { profile, chromium: launchPipeChromium(chromiumPath(), args) };
}
