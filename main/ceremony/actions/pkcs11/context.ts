import type { Pkcs11Client, TokenSelector } from '../../../devices';
import { CeremonyError, CeremonyErrorCode } from '../../../errors';
import type { ActionContext, ActionInputs, JsonObject } from '../registry';

/**
 * What PKCS#11 actions need from the host, found in ctx.services:
 *   pkcs11           the Pkcs11Client (main → device host)
 *   pkcs11Sessions   a Pkcs11SessionStore shared by the ceremony's steps
 *   defaultModule    the module configured in Custodian (SoftHSM2 in rehearsal), used when a script says `module: default`
 */
export interface Pkcs11Services {
  pkcs11: Pkcs11Client;
  pkcs11Sessions: Pkcs11SessionStore;
  defaultModule: string | null;
}

export function pkcs11Services(ctx: ActionContext): Pkcs11Services {
  const s = ctx.services as Partial<Pkcs11Services>;
  if (!s.pkcs11 || !s.pkcs11Sessions) {
    throw new CeremonyError(CeremonyErrorCode.ActionFailed, 'This ceremony needs a PKCS#11 device, and this host has none connected to it.');
  }
  return { pkcs11: s.pkcs11, pkcs11Sessions: s.pkcs11Sessions, defaultModule: s.defaultModule ?? null };
}

/** The module path for the step: the script's device, with `default` meaning the module configured in Custodian. */
export function modulePathOf(ctx: ActionContext): string {
  const device = ctx.device ?? ctx.devices.find((d) => d.type === 'pkcs11');
  const configured = pkcs11Services(ctx).defaultModule;
  if (!device || device.type !== 'pkcs11' || device.module === 'default') {
    if (!configured)
      throw new CeremonyError(CeremonyErrorCode.ActionFailed, 'No PKCS#11 module is configured. Add the vendor’s library on the Devices screen.');
    return configured;
  }
  return device.module;
}

/**
 * The token for the step: params.token ({ label } or { serial }, usually from a ceremony parameter) wins over the
 * script's device section. Never a slot number.
 */
export function tokenOf(ctx: ActionContext, params: JsonObject): TokenSelector {
  const fromParams = params.token as { label?: unknown; serial?: unknown } | undefined;
  if (fromParams && typeof fromParams === 'object') {
    if (typeof fromParams.serial === 'string' && fromParams.serial) return { serial: fromParams.serial };
    if (typeof fromParams.label === 'string' && fromParams.label) return { label: fromParams.label };
  }
  if (typeof params.tokenLabel === 'string' && params.tokenLabel) return { label: params.tokenLabel };
  if (typeof params.tokenSerial === 'string' && params.tokenSerial) return { serial: params.tokenSerial };
  const device = ctx.device ?? ctx.devices.find((d) => d.type === 'pkcs11');
  if (device?.type === 'pkcs11') {
    if (device.token.serial) return { serial: device.token.serial };
    if (device.token.label) return { label: device.token.label };
  }
  throw new CeremonyError(CeremonyErrorCode.ActionFailed, 'The step does not say which token to use (a label or a serial number).');
}

/** The session slot a ceremony's steps share for one token and one user type. */
/**
 * "No token with <what> is present", and what to do. Yubico's YubiHSM module shows no token at all when its connector
 * (the URL in the file YUBIHSM_PKCS11_CONF names) does not answer or no YubiHSM is behind it: said so, not "insert it".
 */
export async function missingTokenSentence(pkcs11: Pkcs11Client, module: string, what: string): Promise<string> {
  const info = await pkcs11.loadModule(module).catch(() => null);
  return info?.profile === 'yubihsm_pkcs11'
    ? `No token with ${what} is present: Yubico’s YubiHSM module found no YubiHSM. It reaches the device through the connector its configuration file names (YUBIHSM_PKCS11_CONF); that connector did not answer, or no YubiHSM is connected to it. Start the connector (or correct its URL), then retry the step.`
    : `No token with ${what} is present. Insert it and retry the step.`;
}

export function sessionSlot(ctx: ActionContext, token: TokenSelector, user: 'USER' | 'SO'): string {
  return `${ctx.ceremonyId}|${JSON.stringify(token)}|${user}`;
}

/**
 * A secret input (a PIN) as the bytes the engine holds: handed to the device host as they are, never turned into a
 * string in main. The engine zeroes them after the step; a caller must not keep them.
 */
export function secretInputBytes(inputs: ActionInputs, name: string): Uint8Array | undefined {
  const value = inputs[name];
  if (value instanceof Uint8Array) return value.length > 0 ? value : undefined;
  return undefined;
}

/**
 * The host sessions opened by a ceremony's login steps, so later steps act in the same logged-in session. Handles
 * and sessions do not survive a device-host restart or a token removal: a step that finds its session gone says
 * so and asks for a new login on retry.
 */
export class Pkcs11SessionStore {
  private readonly sessions = new Map<string, { sessionKey: string; module: string; token: TokenSelector }>();

  get(slot: string) {
    return this.sessions.get(slot);
  }

  set(slot: string, value: { sessionKey: string; module: string; token: TokenSelector }): void {
    this.sessions.set(slot, value);
  }

  delete(slot: string): void {
    this.sessions.delete(slot);
  }

  /** Every session of one ceremony (for logging out at the end or dropping them after a fault). */
  ofCeremony(ceremonyId: string): Array<[string, { sessionKey: string; module: string; token: TokenSelector }]> {
    return [...this.sessions].filter(([slot]) => slot.startsWith(`${ceremonyId}|`));
  }

  /** Forgets every session (the device host restarted: they are gone). */
  clear(): void {
    this.sessions.clear();
  }
}
