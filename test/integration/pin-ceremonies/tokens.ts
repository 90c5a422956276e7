import { readdirSync, readFileSync, renameSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { AppContext } from '../../../main/ipc/app-context';
import type { Pkcs11Client, TokenDescription } from '../../../main/devices/pkcs11-client';
import { restartHost, runTool } from '../../fixtures/harness';

/**
 * The PIN ceremonies' view of a SoftHSM2 token from outside Custodian (OpenSC's pkcs11-tool), and a token removed and
 * put back. The ceremony itself is made and driven by the harness (test/fixtures/harness: createCeremony, drive).
 */

export const SOFTHSM = '/usr/lib/softhsm/libsofthsm2.so';

/** OpenSC's pkcs11-tool on SoftHSM2 with this configuration: its exit code and all it printed. */
export async function pkcs11Tool(conf: string, args: string[]): Promise<{ code: number; out: string }> {
  const r = await runTool('pkcs11-tool', ['--module', SOFTHSM, ...args], { SOFTHSM2_CONF: conf });
  return { code: r.code, out: r.stdout + r.stderr };
}

/** Does the user PIN open the token, according to OpenSC (independent of Custodian)? */
export async function userPinWorks(conf: string, label: string, pin: string): Promise<boolean> {
  const r = await pkcs11Tool(conf, ['--token-label', label, '--login', '--pin', pin, '--list-objects']);
  return r.code === 0;
}

/** Does the SO-PIN open the token (OpenSC's --login-type so)? */
export async function soPinWorks(conf: string, label: string, soPin: string): Promise<boolean> {
  const r = await pkcs11Tool(conf, ['--token-label', label, '--login', '--login-type', 'so', '--so-pin', soPin, '--session-rw', '--list-objects']);
  return r.code === 0;
}

/** The SoftHSM2 token folder of a serial (its name ends with the serial's 16 hex digits). */
export function tokenFolder(tokenDir: string, serial: string): string {
  const name = readdirSync(tokenDir).find((d) => d.replace(/-/g, '').endsWith(serial));
  if (!name) throw new Error(`no token folder for serial ${serial}`);
  return join(tokenDir, name);
}

/** "Removes" a SoftHSM2 token: its folder leaves the token store (SoftHSM2 reads every folder in it), and the device host restarts to forget it. */
export async function removeToken(context: AppContext, folder: string): Promise<{ folder: string; away: string }> {
  const away = join(dirname(dirname(folder)), `removed-${basename(folder)}`);
  renameSync(folder, away);
  await restartHost(context);
  return { folder, away };
}

export async function reinsertToken(context: AppContext, removed: { folder: string; away: string }): Promise<void> {
  renameSync(removed.away, removed.folder);
  await restartHost(context);
}

export function tokenStoreOf(context: AppContext): string {
  const conf = readFileSync(context.rehearsal!.softhsmConf, 'utf8');
  return /directories\.tokendir\s*=\s*(.+)/.exec(conf)![1].trim();
}

/** The real client, with the token's PIN flags reported as a token at its final try or locked would report them. */
export function reportingFlags(
  real: Pkcs11Client,
  label: string,
  flags: { so?: Partial<TokenDescription['flags']['soPin']>; user?: Partial<TokenDescription['flags']['userPin']> },
): Pkcs11Client {
  return new Proxy(real, {
    get(target, prop, receiver) {
      if (prop === 'listTokens') {
        return async (module: string) =>
          (await target.listTokens(module)).map((t) =>
            t.label !== label ? t : { ...t, flags: { ...t.flags, soPin: { ...t.flags.soPin, ...flags.so }, userPin: { ...t.flags.userPin, ...flags.user } } },
          );
      }
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
