import { realpathSync } from 'node:fs';
import type { DeviceHostClient } from './host-client';
import type { TokenDescription, TokenSelector } from './pkcs11-client';
import type { RehearsalSetup } from './rehearsal';

/**
 * Rehearsal is a property of the devices. A device is a rehearsal device only when Custodian can prove it: a token
 * of its own SoftHSM2 store (the rehearsal module, whose configuration the device host sets to <data>/rehearsal, and
 * a serial Custodian recorded when it made the token there), or the built-in YubiHSM simulator named `simulator`.
 * Everything else is real: a vendor module, a token Custodian did not make, a YubiHSM on USB, any connector URL —
 * whatever answers there, Custodian cannot tell it from a real device.
 */

/** What one step of a ceremony uses: a token behind a PKCS#11 module, or a YubiHSM named as a script names it. */
export type DeviceUse = { kind: 'pkcs11'; module: string; token: TokenSelector } | { kind: 'yubihsm'; device: string };

export interface DeviceVerdict {
  kind: 'pkcs11' | 'yubihsm';
  /** for people: which device, by what they can read on it */
  description: string;
  rehearsal: boolean;
  /** why it is (or is not) a rehearsal device, in a sentence */
  reason: string;
  /** what must stay the same for the rest of the ceremony: module and token serial, or the YubiHSM's serial */
  identity: string;
  /**
   * set when the device could not be reached (a library that does not load, a token not present, a connector that
   * does not answer): why, in the device's own words. Not being Custodian's own rehearsal store or simulator, it
   * counts as real all the same; `identity` is then not known yet (UNREACHED_IDENTITY).
   */
  unreached?: { message: string; loadFailed: boolean };
}

/** The identity of a device judged while it could not be reached: taken as it is found when it is reached. */
export const UNREACHED_IDENTITY = 'not reached yet';

/** A device that is not Custodian's own rehearsal store or simulator, not reached now: real, and why it was not reached. */
function unreachedVerdict(kind: DeviceVerdict['kind'], description: string, message: string, loadFailed: boolean): DeviceVerdict {
  return {
    kind,
    description,
    rehearsal: false,
    identity: UNREACHED_IDENTITY,
    reason: `it could not be reached (${message}); it is not Custodian’s own rehearsal store or simulator, so it counts as real`,
    unreached: { message, loadFailed },
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export interface DeviceJudge {
  /** null when the device is not there now (the step that uses it says so itself) */
  judge(use: DeviceUse): Promise<DeviceVerdict | null>;
  /** runs a rehearsal step; tokens it made in the rehearsal store are recorded as rehearsal tokens */
  recordingNewTokens<T>(use: DeviceUse, run: () => Promise<T>): Promise<T>;
}

export interface DeviceJudgeDeps {
  pkcs11?: { listTokens(module: string): Promise<TokenDescription[]> };
  deviceHost?: Pick<DeviceHostClient, 'call'>;
  rehearsal?: RehearsalSetup | null;
}

export function useKey(use: DeviceUse): string {
  return use.kind === 'pkcs11' ? `pkcs11|${realPath(use.module)}|${JSON.stringify(use.token)}` : `yubihsm|${use.device}`;
}

function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

function matches(token: TokenDescription, selector: TokenSelector): boolean {
  if ('label' in selector) return token.flags.initialized && token.label === selector.label;
  if ('serial' in selector) return token.serial === selector.serial;
  return !token.flags.initialized;
}

export function createDeviceJudge(deps: DeviceJudgeDeps): DeviceJudge {
  const isRehearsalModule = (module: string) => Boolean(deps.rehearsal) && realPath(module) === realPath(deps.rehearsal!.modulePath);
  const judge = async (use: DeviceUse): Promise<DeviceVerdict | null> => {
    if (use.kind === 'yubihsm') return judgeYubiHsm(deps, use.device);
    if (!deps.pkcs11) return null;
    let tokens: TokenDescription[] | null = null;
    let listingError: unknown;
    try {
      tokens = await deps.pkcs11.listTokens(use.module);
    } catch (error) {
      listingError = error;
    }
    const token = tokens?.find((t) => matches(t, use.token));
    if (!token) {
      if (isRehearsalModule(use.module)) return null; // the rehearsal store: a token of it not made yet
      const wanted = 'label' in use.token ? `token “${use.token.label}”` : 'serial' in use.token ? `token serial ${use.token.serial}` : 'a free token slot';
      return tokens === null
        ? unreachedVerdict('pkcs11', `the PKCS#11 library ${use.module}`, messageOf(listingError), true)
        : unreachedVerdict('pkcs11', `${wanted} of ${use.module}`, `${wanted} is not present`, false);
    }
    const uninitialized = 'uninitialized' in use.token;
    const description = uninitialized ? `an uninitialised token slot of ${use.module}` : `token “${token.label}” (serial ${token.serial}) of ${use.module}`;
    const identity = `${realPath(use.module)}#${uninitialized ? 'uninitialised' : token.serial}`;
    if (!isRehearsalModule(use.module)) {
      return { kind: 'pkcs11', description, rehearsal: false, identity, reason: `${use.module} is not Custodian’s rehearsal SoftHSM2 store` };
    }
    if (uninitialized) {
      return { kind: 'pkcs11', description, rehearsal: true, identity, reason: 'a free slot of Custodian’s own rehearsal SoftHSM2 store' };
    }
    if (!deps.rehearsal!.serials.has(token.serial)) {
      return {
        kind: 'pkcs11',
        description,
        rehearsal: false,
        identity,
        reason: `serial ${token.serial} is not a token Custodian made in its rehearsal store, so it counts as real`,
      };
    }
    return { kind: 'pkcs11', description, rehearsal: true, identity, reason: 'a token Custodian made in its own rehearsal SoftHSM2 store (serial recorded)' };
  };
  return {
    judge,
    async recordingNewTokens(use, run) {
      if (use.kind !== 'pkcs11' || !deps.pkcs11 || !isRehearsalModule(use.module)) return run();
      const serials = async () =>
        new Set(((await deps.pkcs11!.listTokens(use.module).catch(() => [])) ?? []).filter((t) => t.flags.initialized).map((t) => t.serial));
      const before = await serials();
      const result = await run();
      for (const serial of await serials()) if (!before.has(serial)) await deps.rehearsal!.recordSerial(serial);
      return result;
    },
  };
}

async function judgeYubiHsm(deps: DeviceJudgeDeps, device: string): Promise<DeviceVerdict | null> {
  const simulator = device === 'simulator';
  const usb = /^usb:(\d{1,10})$/.exec(device);
  const ref = simulator ? { simulator: true } : usb ? { usbSerial: Number(usb[1]) } : { connector: device.replace(/\/$/, '') };
  let serial: number | null = null;
  if (deps.deviceHost) {
    try {
      serial = (await deps.deviceHost.call<{ serial: number }>('yubihsm.describe', ref, { timeoutMs: 10_000 })).serial;
    } catch (error) {
      if (simulator) return null;
      return unreachedVerdict('yubihsm', `the YubiHSM 2 at ${device}`, messageOf(error), false);
    }
  }
  const description = simulator
    ? `the built-in YubiHSM 2 simulator${serial !== null ? ` (serial ${serial})` : ''}`
    : `the YubiHSM 2 at ${device}${serial !== null ? ` (serial ${serial})` : ''}`;
  const identity = `${device}#${serial ?? '?'}`;
  if (simulator) return { kind: 'yubihsm', description, rehearsal: true, identity, reason: 'the built-in YubiHSM 2 simulator, addressed as “simulator”' };
  const reason = usb
    ? 'a YubiHSM 2 on USB'
    : 'a connector URL: Custodian cannot prove what answers there, so it counts as a real YubiHSM 2 (even its own simulator served on this computer)';
  return { kind: 'yubihsm', description, rehearsal: false, identity, reason };
}
