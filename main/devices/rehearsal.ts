import { execFile } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const REHEARSAL_TOKEN_LABEL = 'Custodian Rehearsal';

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
  created: boolean;
}

function rehearsalPin(length: number): string {
  let pin = '';
  for (let i = 0; i < length; i++) pin += String(randomInt(10));
  return pin;
}

/**
 * Rehearsal mode's token: on first start, a SoftHSM2 token store of Custodian's own in <data>/rehearsal with one
 * token "Custodian Rehearsal". Its PINs are rehearsal values kept beside it so rehearsals can be repeated.
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
  await mkdir(tokenDir, { recursive: true, mode: 0o700 });
  await writeFile(softhsmConf, `directories.tokendir = ${tokenDir}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`);

  let pins: { so: string; user: string };
  try {
    const stored = JSON.parse(await readFile(pinsFile, 'utf8')) as { so: string; user: string };
    pins = { so: String(stored.so), user: String(stored.user) };
  } catch {
    pins = { so: rehearsalPin(12), user: rehearsalPin(8) };
    await writeFile(pinsFile, JSON.stringify({ ...pins, note: 'Rehearsal values only. Never use these on a real HSM.' }, null, 2) + '\n');
  }

  const created = (await readdir(tokenDir)).length === 0;
  if (created) {
    const util = ['/usr/bin/softhsm2-util', '/usr/local/bin/softhsm2-util'].find((p) => existsSync(p)) ?? 'softhsm2-util';
    await run(util, ['--init-token', '--free', '--label', REHEARSAL_TOKEN_LABEL, '--so-pin', pins.so, '--pin', pins.user], {
      env: { ...process.env, SOFTHSM2_CONF: softhsmConf },
    });
  }
  const yubihsmSimulatorState = join(dir, 'yubihsm-simulator.json');
  return { modulePath, softhsmConf, tokenLabel: REHEARSAL_TOKEN_LABEL, pins, yubihsmSimulatorState, created };
}
