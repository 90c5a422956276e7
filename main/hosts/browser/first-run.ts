/**
 * What `npm start` (the browser host) checks before it makes anything, what it says when no window can be shown, and
 * the one line it prints when it stops. Kept apart from the launch (chromium.ts, start.ts) so either changes alone.
 */
import { accessSync, constants, existsSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CustodianError } from '../../errors';

export const STOPPED_LINE = 'Custodian stopped';

/** A start refused before anything was made: one line saying the cause and what to do. */
export class StartRefused extends CustodianError<'StartRefused'> {
  constructor(message: string) {
    super('StartRefused', message);
    this.name = 'StartRefused';
  }
}

export function checkChromium(path: string): void {
  if (!existsSync(path)) {
    throw new StartRefused(
      `Chromium was not found at ${path}: install it (apt-get install chromium) or point CUSTODIAN_CHROMIUM at it, then run npm start again.`,
    );
  }
}

/** The nearest folder that exists at or above path (where a new data folder would be made). */
function nearestExisting(path: string): string {
  let at = path;
  while (!existsSync(at) && dirname(at) !== at) at = dirname(at);
  return at;
}

/**
 * The data folder can be used: it is (or can be made as) a writable folder. Checked before it is made, so a refusal
 * leaves nothing behind. Root passes permission checks, so a probe write says what the mode bits cannot.
 */
export function checkDataFolder(dataDir: string): void {
  const fix = `choose another data folder with CUSTODIAN_HOME=<folder>, or fix its permissions, then run npm start again.`;
  const at = nearestExisting(dataDir);
  try {
    if (!statSync(at).isDirectory()) throw new StartRefused(`The data folder ${dataDir} cannot be made: ${at} is a file, not a folder; ${fix}`);
    accessSync(at, constants.W_OK);
  } catch (error) {
    if (error instanceof StartRefused) throw error;
    throw new StartRefused(`The data folder ${dataDir} is not writable (${(error as NodeJS.ErrnoException).code ?? 'refused'} at ${at}): ${fix}`);
  }
  if (at !== dataDir) return; // a new folder under a writable one
  const probe = join(dataDir, `.write-check-${process.pid}`);
  try {
    writeFileSync(probe, '');
    unlinkSync(probe);
  } catch (error) {
    throw new StartRefused(`The data folder ${dataDir} is not writable (${(error as NodeJS.ErrnoException).code ?? 'refused'}): ${fix}`);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One app per data folder: `<data>/custodian.lock` holds the pid of the app using it. A lock whose process is gone
 * (a crash, a SIGKILL) is taken over. Returns the release, also run when this process exits.
 */
export function lockDataFolder(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const lock = join(dataDir, 'custodian.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lock, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        try {
          if (readFileSync(lock, 'utf8').trim() === String(process.pid)) unlinkSync(lock);
        } catch {
          // already gone
        }
      };
      process.on('exit', release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(lock, 'utf8').trim());
      if (Number.isSafeInteger(holder) && holder > 0 && holder !== process.pid && alive(holder)) {
        throw new StartRefused(
          `Custodian is already running on the data folder ${dataDir} (process ${holder}): use that one, stop it (Ctrl+C in its terminal, or kill ${holder}), or start with another CUSTODIAN_HOME.`,
        );
      }
      unlinkSync(lock); // left by a process that is gone
    }
  }
  throw new StartRefused(`The data folder ${dataDir} is locked by another start that began at the same moment: run npm start again.`);
}

/**
 * What a headless start says: no window, what to do instead, and the rehearsal PINs as the Home screen shows them
 * (null when they were already seen).
 */
export function headlessGuide(dataDir: string, rehearsal: { tokenLabel: string | null; pins: { so: string; user: string } | null }): string[] {
  const lines = [
    'No display here (DISPLAY is not set): Custodian cannot show its window.',
    'To see it: run npm start where a display is, or under a virtual one: xvfb-run -a npm start',
    'Or do the same work at the terminal with the CLI: node bin/custodian.js templates, then node bin/custodian.js',
    '  template <name> > ceremony.yaml and node bin/custodian.js run ceremony.yaml --out <folder> --rehearsal',
  ];
  if (rehearsal.pins) {
    lines.push(
      `Rehearsal token PINs (SoftHSM2 token "${rehearsal.tokenLabel ?? ''}") — rehearsal values only, never use them on a real HSM:`,
      `  SO-PIN ${rehearsal.pins.so}   User PIN ${rehearsal.pins.user}`,
      `  (also in ${join(dataDir, 'rehearsal', 'rehearsal-pins.json')}; shown here once)`,
    );
  }
  lines.push('Custodian keeps running headless (the end-to-end tests use it so); Ctrl+C stops it.');
  return lines;
}
