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
