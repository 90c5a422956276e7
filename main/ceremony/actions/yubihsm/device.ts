import { HostError, type DeviceHostClient } from '../../../devices';
import { YubiHsmDeviceClient, type YubiHsmDeviceRef } from '../../../devices';
import type { ActionContext, ActionInputs, JsonObject } from '../registry';
import { vaultOf } from '../vault';
import { misconfigured, YubiHsmCeremonyError, YubiHsmCeremonyErrorCode } from '../../../errors';

/**
 * Which YubiHSM a step talks to, the device-host client, and the sessions a ceremony keeps open between steps.
 * A session lives in the device host; main holds only its opaque key, in the vault, so that it is closed when the
 * ceremony ends (the vault drops the ceremony's entries) or when the step that replaces it runs.
 */

const LOOPBACK_URL = /^http:\/\/(127\.0\.0\.1|\[::1\]|localhost)(:\d{1,5})?\/?$/;

/** "simulator" | "http://127.0.0.1:12345" | "usb:<serial>" → what the device host understands. */
export function parseDevice(text: unknown, rehearsal: boolean): YubiHsmDeviceRef {
  const value = typeof text === 'string' ? text.trim() : '';
  if (value === 'simulator') {
    if (!rehearsal) {
      throw new YubiHsmCeremonyError(
        YubiHsmCeremonyErrorCode.SimulatorOutsideRehearsal,
        'The YubiHSM simulator is for rehearsals only; name the real device (its connector URL or usb:<serial>).',
      );
    }
    return { simulator: true };
  }
  if (LOOPBACK_URL.test(value)) return { connector: value.replace(/\/$/, '') };
  const usb = /^usb:(\d{1,10})$/.exec(value);
  if (usb && Number(usb[1]) > 0) return { usbSerial: Number(usb[1]) };
  throw new YubiHsmCeremonyError(
    YubiHsmCeremonyErrorCode.DeviceParameterInvalid,
    `"${value.slice(0, 80)}" does not name a YubiHSM: write "simulator" (rehearsal), the connector's address on this computer (http://127.0.0.1:12345) or usb:<serial number>.`,
  );
}

/**
 * The step's device: its `device` param, else the ceremony's `device` parameter, else (both empty) the YubiHSM the
 * script's devices section names for the step — so a script moves from the simulator to the real device by its
 * device section alone.
 */
export function deviceOf(ctx: ActionContext, params: JsonObject): YubiHsmDeviceRef {
  const named = [params.device, ctx.parameters.device].find((v) => typeof v === 'string' && v.trim() !== '');
  if (named !== undefined || ctx.device?.type !== 'yubihsm') return parseDevice(named ?? params.device ?? ctx.parameters.device, ctx.rehearsal);
  const c = ctx.device.connector;
  return parseDevice(c.simulator ? 'simulator' : (c.url ?? `usb:${c.usbSerial}`), ctx.rehearsal);
}

export function yubihsmClient(ctx: ActionContext): YubiHsmDeviceClient {
  const host = ctx.services.deviceHost as DeviceHostClient | undefined;
  if (!host || typeof host.call !== 'function') throw new Error('This host gave the ceremony no device host.');
  return new YubiHsmDeviceClient(host);
}

/** An open session of this ceremony, kept in the vault under its name ("setup", "admin", "rotation"). */
export class SessionHandle {
  constructor(
    readonly sessionKey: string,
    readonly authKeyId: number,
    readonly device: YubiHsmDeviceRef,
    readonly serial: number,
    private readonly client: YubiHsmDeviceClient,
  ) {}

  destroy(): void {
    void this.client.closeSession(this.sessionKey).catch(() => undefined);
  }
}

function vaultKeyOf(name: string): string {
  return `yubihsm.session.${name}`;
}

export function keepSession(ctx: ActionContext, name: string, handle: SessionHandle): void {
  vaultOf(ctx.services).putObject(ctx.ceremonyId, vaultKeyOf(name), handle); // closes the one it replaces
}

export function sessionNamed(ctx: ActionContext, params: JsonObject): SessionHandle {
  const name = typeof params.session === 'string' && params.session ? params.session : undefined;
  if (!name) throw misconfigured('the step needs the parameter "session" (the name given when it was opened).');
  const handle = vaultOf(ctx.services).getObject<SessionHandle>(ctx.ceremonyId, vaultKeyOf(name));
  if (!handle) {
    throw new YubiHsmCeremonyError(
      YubiHsmCeremonyErrorCode.SessionNotOpen,
      `The YubiHSM session "${name}" is not open (the step that opens it did not run, or the application restarted). Abort this ceremony and start it again.`,
    );
  }
  return handle;
}

export async function closeSessionNamed(ctx: ActionContext, name: string): Promise<boolean> {
  const vault = vaultOf(ctx.services);
  const had = Boolean(vault.getObject(ctx.ceremonyId, vaultKeyOf(name)));
  vault.drop(ctx.ceremonyId, vaultKeyOf(name));
  return had;
}

/** A session the host lost (restart) reads as "not open" to the room. */
export function translateHostError(error: unknown): never {
  if (error instanceof HostError && error.code === 'YUBIHSM_SESSION_UNKNOWN') {
    throw new YubiHsmCeremonyError(YubiHsmCeremonyErrorCode.SessionNotOpen, error.message);
  }
  throw error;
}

/** A secret input as bytes (the engine zeroes them after the step); undefined when the field was left empty. */
export function secretInput(inputs: ActionInputs, field: string): Uint8Array | undefined {
  const value = inputs[field];
  if (value instanceof Uint8Array) return value.length ? value : undefined;
  if (typeof value === 'string' && value) return new TextEncoder().encode(value);
  return undefined;
}

export function integerParam(params: JsonObject, name: string, fallback?: number): number {
  const raw = params[name];
  const value = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : fallback;
  if (value === undefined || !Number.isInteger(value) || value < 0 || value > 0xfffe) {
    throw misconfigured(`the parameter "${name}" must be a whole number from 0 to 65534.`);
  }
  return value;
}
