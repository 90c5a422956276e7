import {
  checkModuleFile,
  createDeviceJudge,
  ModuleFileError,
  UNREACHED_IDENTITY,
  useKey,
  type DeviceJudge,
  type DeviceUse,
  type DeviceVerdict,
  type RehearsalSetup,
} from '../../devices';
import type { JsonValue } from '../../journal';
import type { ActionContext, JsonObject } from '../actions';
import { tokenOf } from '../actions/pkcs11';
import { CeremonyError, CeremonyErrorCode } from '../../errors';
import { resolveReferences, type DeviceSpec, type Step } from '../script';
import type { CeremonyDevice, CeremonyMode } from './device-record';

export { devicesFromJournal, type CeremonyDevice, type CeremonyMode } from './device-record';

/**
 * How a ceremony's mode is decided: by its devices, never by a flag. Each action step's device is found the way the
 * action finds it (the script's device section, the token and YubiHSM parameters), judged (device-judge.ts), and:
 * all rehearsal devices → a rehearsal; all real → a real ceremony; a mix → refused. A script that says
 * `rehearsal: true` (or a CLI run with --rehearsal) must run on rehearsal devices and is refused on a real one. Before
 * each step its device is judged again: a rehearsal device in a real ceremony, a real one in a rehearsal, or a token
 * swapped for another since the ceremony started is refused.
 */

const PKCS11_ACTIONS = /^(pkcs11|keygen|backup|restore|pin|ca|lifecycle)\./;
const YUBIHSM_ACTIONS = /^yubihsm\./;
/** actions that always act on a free (uninitialised) slot, whatever their parameters say: the practice token */
const FREE_SLOT_ACTIONS: ReadonlySet<string> = new Set(['pin.practice-token']);

export type DeviceContext = Pick<ActionContext, 'device' | 'devices' | 'parameters' | 'services'>;

/** The device an action step uses, as the action will find it; null for a step that uses none (or not yet knowable). */
export function deviceUseOf(actionName: string, ctx: DeviceContext, params: JsonObject): DeviceUse | null {
  if (YUBIHSM_ACTIONS.test(actionName)) {
    // as deviceOf() finds it: the step's or the ceremony's `device` parameter, else the script's devices section
    const named = [params.device, ctx.parameters.device].find((v) => typeof v === 'string' && v.trim() !== '') as string | undefined;
    const c = ctx.device?.type === 'yubihsm' ? ctx.device.connector : undefined;
    const text = named ?? (c?.simulator ? 'simulator' : (c?.url ?? (c?.usbSerial ? `usb:${c.usbSerial}` : undefined)));
    return text ? { kind: 'yubihsm', device: text.trim().replace(/\/$/, '') } : null;
  }
  if (!PKCS11_ACTIONS.test(actionName)) return null;
  // as modulePathOf() finds it: the step's (or the script's first) PKCS#11 device, `default` meaning the configured one
  const device = ctx.device ?? ctx.devices.find((d) => d.type === 'pkcs11');
  const configured = typeof ctx.services.defaultModule === 'string' ? ctx.services.defaultModule : null;
  const module = !device || device.type !== 'pkcs11' || device.module === 'default' ? configured : device.module;
  if (!module) return null;
  const full = { ...ctx, ceremonyId: '', stepId: '', attempt: 1, rehearsal: false } as unknown as ActionContext;
  const token = params.token as { uninitialized?: unknown; label?: unknown; serial?: unknown } | undefined;
  if (FREE_SLOT_ACTIONS.has(actionName) || (token && typeof token === 'object' && token.uninitialized === true) || params.tokenLabel === '') {
    return { kind: 'pkcs11', module, token: { uninitialized: true } };
  }
  try {
    return { kind: 'pkcs11', module, token: tokenOf(full, params) };
  } catch {
    return null;
  }
}

/** The judge a host gave the ceremony, or one made from its services (the device host, the rehearsal setup). */
export function judgeOf(services: Record<string, unknown>): DeviceJudge {
  const given = services.deviceJudge as DeviceJudge | undefined;
  if (given && typeof given.judge === 'function') return given;
  return createDeviceJudge({
    pkcs11: services.pkcs11 as never,
    deviceHost: services.deviceHost as never,
    rehearsal: (services.rehearsal as RehearsalSetup | null | undefined) ?? null,
  });
}

function deviceId(step: Step, use: DeviceUse): string {
  if (step.kind === 'action' && step.device) return step.device;
  return use.kind === 'yubihsm' ? `yubihsm ${use.device}` : `token ${JSON.stringify(use.token)}`;
}

function record(id: string, key: string, verdict: DeviceVerdict): CeremonyDevice {
  return { id, kind: verdict.kind, description: verdict.description, rehearsal: verdict.rehearsal, reason: verdict.reason, key, identity: verdict.identity };
}

/**
 * Before a ceremony exists: every device its steps name that can be known from the script and parameters alone,
 * judged, and the mode they make. Throws (nothing is written) when the devices do not make one mode.
 */
export async function decideMode(
  steps: Step[],
  base: { devices: DeviceSpec[]; parameters: JsonObject; services: Record<string, unknown> },
  requireRehearsal: boolean,
): Promise<{ mode: CeremonyMode; devices: CeremonyDevice[] }> {
  const judge = judgeOf(base.services);
  const devices: CeremonyDevice[] = [];
  const source = { lookup: (path: string[]) => (path[0] === 'parameters' ? (base.parameters[path[1]] as JsonValue | undefined) : undefined) };
  for (const step of steps) {
    if (step.kind !== 'action') continue;
    let params: JsonObject;
    try {
      params = resolveReferences((step.params ?? {}) as JsonValue, source as never) as JsonObject;
    } catch {
      continue; // depends on an earlier step's result: judged when it runs
    }
    const use = deviceUseOf(step.action, { ...base, device: base.devices.find((d) => d.id === step.device) }, params);
    if (!use) continue;
    const key = useKey(use);
    if (devices.some((d) => d.key === key)) continue;
    const verdict = await judge.judge(use);
    // a library that does not load will not load at the first step either: said now, before anything is made
    if (verdict?.unreached?.loadFailed) throw new CeremonyError(CeremonyErrorCode.DeviceUnusable, `${verdict.unreached.message} Nothing was started.`);
    if (verdict) devices.push(record(deviceId(step, use), key, verdict));
  }
  const real = devices.filter((d) => !d.rehearsal);
  const rehearsal = devices.filter((d) => d.rehearsal);
  if (requireRehearsal && real.length) {
    throw new CeremonyError(
      CeremonyErrorCode.RealDeviceInRehearsal,
      `This script runs only on rehearsal devices, and ${real[0].description} is a real device (${real[0].reason}). Nothing was started.`,
    );
  }
  if (real.length && rehearsal.length) {
    throw new CeremonyError(
      CeremonyErrorCode.DevicesMixed,
      `${rehearsal[0].description} is a rehearsal device and ${real[0].description} is real (${real[0].reason}); a ceremony runs on rehearsal devices only or on real devices only. Nothing was started.`,
    );
  }
  return { mode: real.length ? 'real' : 'rehearsal', devices };
}

/**
 * Before an action step runs: its device judged again. Returns a refusal for the room, or the device when it is one
 * the ceremony had not used yet (to journal), or null when all is as it was.
 */
export async function checkStepDevice(
  step: Step,
  use: DeviceUse | null,
  mode: CeremonyMode,
  known: CeremonyDevice[],
  services: Record<string, unknown>,
): Promise<{ refusal: { code: string; message: string } } | { added: CeremonyDevice } | null> {
  if (!use) return null;
  if (use.kind === 'pkcs11') {
    try {
      checkModuleFile(use.module); // a script names a module path: the same checks as adding one
    } catch (error) {
      if (error instanceof ModuleFileError) return { refusal: { code: error.code, message: error.message } };
      throw error;
    }
  }
  const verdict = await judgeOf(services).judge(use);
  if (!verdict) return null; // not connected: the action says so in its own words
  const key = useKey(use);
  if (verdict.rehearsal !== (mode === 'rehearsal')) {
    const message =
      mode === 'real'
        ? `${verdict.description} is a rehearsal device (${verdict.reason}); a real ceremony does not use rehearsal devices.`
        : `${verdict.description} is a real device (${verdict.reason}); this ceremony is a rehearsal and runs on rehearsal devices only.`;
    return { refusal: { code: mode === 'real' ? CeremonyErrorCode.RehearsalDeviceInReal : CeremonyErrorCode.RealDeviceInRehearsal, message } };
  }
  const before = known.find((d) => d.key === key);
  if (verdict.unreached) return null; // not there now: the action says so in its own words
  // a device not reached when the ceremony began is taken as it is found now
  if (before && before.identity !== UNREACHED_IDENTITY && before.identity !== verdict.identity) {
    return {
      refusal: {
        code: CeremonyErrorCode.DeviceChanged,
        message: `${verdict.description} is not the device this ceremony started with (${before.description}). Connect that one, then retry.`,
      },
    };
  }
  return before ? null : { added: record(deviceId(step, use), key, verdict) };
}
