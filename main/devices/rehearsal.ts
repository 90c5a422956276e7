import { execFile } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, readdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const REHEARSAL_TOKEN_LABEL = 'Custodian Rehearsal';
/** the file in <data>/rehearsal that lists the serials of the tokens Custodian made in its own store */
export const REHEARSAL_SERIALS_FILE = 'rehearsal-tokens.json';

const SOFTHSM_CANDIDATES = [
  process.env.CUSTODIAN_SOFTHSM_MODULE,
  '/usr/lib/softhsm/libsofthsm2.so',
  '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so',
  '/usr/local/lib/softhsm/libsofthsm2.so',
  '/opt/homebrew/lib/softhsm/libsofthsm2.so',
].filter((p): p is string => Boolean(p));

export function findSoftHsmModule(): string | null {
  return SOFTHSM_CANDIDATES.find((p) => existsSync(p)) ?? null;
}

export interface RehearsalSetup {
  modulePath: string;
  /** SOFTHSM2_CONF for the device host: the rehearsal token store lives in the app data folder. */
  softhsmConf: string;
  tokenLabel: string;
  /** Rehearsal values, not secrets: printed on screen and used by rehearsal answers files. */
  pins: { so: string; user: string };
  /** where the rehearsal YubiHSM 2 simulator keeps its state (simulated keys: rehearsal values only) */
  yubihsmSimulatorState: string;
  /** the serials of the tokens Custodian made in this store (the rehearsal token first): only these are rehearsal tokens */
  readonly serials: ReadonlySet<string>;
  /** records the serial of a token Custodian made in this store (a rehearsal ceremony's practice token) */
  recordSerial(serial: string): Promise<void>;
  created: boolean;
}

function rehearsalPin(length: number): string {
  let pin = '';
  for (let i = 0; i < length; i++) pin += String(randomInt(10));
  return pin;
}

function softHsmUtil(): string {
  return ['/usr/bin/softhsm2-util', '/usr/local/bin/softhsm2-util'].find((p) => existsSync(p)) ?? 'softhsm2-util';
}

/** Every initialised token of a SoftHSM2 store, as softhsm2-util lists it: label and serial. */
export async function softHsmTokens(softhsmConf: string): Promise<Array<{ label: string; serial: string }>> {
  const { stdout } = await run(softHsmUtil(), ['--show-slots'], { env: { ...process.env, SOFTHSM2_CONF: softhsmConf } });
  const tokens: Array<{ label: string; serial: string }> = [];
  for (const block of stdout.split(/\n(?=Slot )/)) {
    const serial = /Serial number:[ \t]*(\S*)/.exec(block)?.[1] ?? '';
    const initialized = /Initialized:\s*yes/.test(block);
    const label = (/Label:[ \t]*(.*)/.exec(block)?.[1] ?? '').trim();
    if (initialized && serial) tokens.push({ label, serial });
  }
  return tokens;
}

/** Writes a file the way every file under the data folder is written: owner-only (0600), replaced atomically. */
export async function writePrivateFile(path: string, text: string): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, text, { mode: 0o600 });
  await chmod(temp, 0o600);
  await rename(temp, path);
}

async function readSerials(file: string): Promise<string[] | null> {
  try {
    const stored = JSON.parse(await readFile(file, 'utf8')) as { serials?: unknown };
    return Array.isArray(stored.serials) ? stored.serials.filter((s): s is string => typeof s === 'string' && s !== '') : null;
  } catch {
    return null;
  }
}

/**
 * Rehearsal mode's token: on first start, a SoftHSM2 token store of Custodian's own in <data>/rehearsal with one
 * token "Custodian Rehearsal". Its PINs are rehearsal values kept beside it so rehearsals can be repeated. The serial
 * of every token Custodian makes there is recorded beside it: a token in the folder that Custodian did not make (copied
 * in, made with softhsm2-util) is not a rehearsal token. A store made by an older version, which recorded nothing,
 * has its tokens read once and recorded.
 */
export async function ensureRehearsalToken(dataDir: string): Promise<RehearsalSetup> {
  const modulePath = findSoftHsmModule();
  if (!modulePath) {
    throw Object.assign(new Error('Rehearsal mode needs SoftHSM2, which is not installed (Debian/Ubuntu: apt-get install softhsm2).'), {
      code: 'SoftHsmMissing',
    });
  }
  const dir = join(dataDir, 'rehearsal');
  const tokenDir = join(dir, 'softhsm-tokens');
  const softhsmConf = join(dir, 'softhsm2.conf');
  const pinsFile = join(dir, 'rehearsal-pins.json');
  const serialsFile = join(dir, REHEARSAL_SERIALS_FILE);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  await mkdir(tokenDir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  await writePrivateFile(softhsmConf, `directories.tokendir = ${tokenDir}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`);

  let pins: { so: string; user: string };
  try {
    const stored = JSON.parse(await readFile(pinsFile, 'utf8')) as { so: string; user: string };
    pins = { so: String(stored.so), user: String(stored.user) };
  } catch {
    pins = { so: rehearsalPin(12), user: rehearsalPin(8) };
    await writePrivateFile(pinsFile, JSON.stringify({ ...pins, note: 'Rehearsal values only. Never use these on a real HSM.' }, null, 2) + '\n');
  }

  const created = (await readdir(tokenDir)).length === 0;
  if (created) {
    await run(softHsmUtil(), ['--init-token', '--free', '--label', REHEARSAL_TOKEN_LABEL, '--so-pin', pins.so, '--pin', pins.user], {
      env: { ...process.env, SOFTHSM2_CONF: softhsmConf },
    });
  }
  let serials = created ? null : await readSerials(serialsFile);
  if (serials === null) {
    // made now, or by a version that recorded nothing: read the store once and record what is in it
    serials = (await softHsmTokens(softhsmConf)).map((t) => t.serial);
    await writePrivateFile(serialsFile, JSON.stringify({ serials, note: 'Tokens Custodian made for rehearsals.' }, null, 2) + '\n');
  }
  const known = new Set(serials);
  const yubihsmSimulatorState = join(dir, 'yubihsm-simulator.json');
  return {
    modulePath,
    softhsmConf,
    tokenLabel: REHEARSAL_TOKEN_LABEL,
    pins,
    yubihsmSimulatorState,
    serials: known,
    async recordSerial(serial: string) {
      if (!serial || known.has(serial)) return;
      known.add(serial);
      await writePrivateFile(serialsFile, JSON.stringify({ serials: [...known], note: 'Tokens Custodian made for rehearsals.' }, null, 2) + '\n');
    },
    created,
  };
}

/**
 * Makes one more token in the rehearsal store and records it as a rehearsal token (before the device host loads
 * SoftHSM2: it reads the store when it starts).
 */
export async function addRehearsalToken(setup: RehearsalSetup, label: string, pins: { so: string; user: string }): Promise<string> {
  const before = new Set((await softHsmTokens(setup.softhsmConf)).map((t) => t.serial));
  await run(softHsmUtil(), ['--init-token', '--free', '--label', label, '--so-pin', pins.so, '--pin', pins.user], {
    env: { ...process.env, SOFTHSM2_CONF: setup.softhsmConf },
  });
  const made = (await softHsmTokens(setup.softhsmConf)).find((t) => !before.has(t.serial));
  if (!made) throw new Error(`The rehearsal token ${label} was not made.`);
  await setup.recordSerial(made.serial);
  return made.serial;
}
