import type { DeviceSnapshot, ModuleStatus, TokenStatus } from '../../preload/api';
import type { ConfiguredModule } from './device-service';
import { checkModuleFile, type ModuleFileError } from './module-file';
import { HostError, type DeviceHostClient } from './host-client';

/**
 * Device-panel probes: each asks the device host one question and turns any failure into a state the panel shows
 * (a module that is not PKCS#11 is a red line in the panel, not a crash).
 */
interface ModuleInfoWire {
  cryptokiVersion: string;
  manufacturer: string;
  description: string;
  libraryVersion: string;
}
interface PinCountersWire {
  countLow: boolean;
  finalTry: boolean;
  locked: boolean;
  toBeChanged: boolean;
}
interface TokenWire {
  label: string;
  serial: string;
  model: string;
  manufacturer: string;
  slotDescription: string;
  flags: {
    initialized: boolean;
    loginRequired: boolean;
    userPinInitialized: boolean;
    protectedAuthenticationPath: boolean;
    rng: boolean;
    userPin: PinCountersWire;
    soPin: PinCountersWire;
  };
  pinLength: { min: number; max: number };
}

const pinFlags = (p: PinCountersWire) => ({ countLow: p.countLow, finalTry: p.finalTry, locked: p.locked, toBeChanged: p.toBeChanged });

export function toTokenStatus(t: TokenWire, rehearsalSerials?: ReadonlySet<string>): TokenStatus {
  return {
    rehearsal: Boolean(rehearsalSerials && t.flags.initialized && rehearsalSerials.has(t.serial)),
    slotDescription: t.slotDescription,
    label: t.label,
    manufacturer: t.manufacturer,
    model: t.model,
    serial: t.serial,
    initialized: t.flags.initialized,
    loginRequired: t.flags.loginRequired,
    protectedAuthPath: t.flags.protectedAuthenticationPath,
    hasRng: t.flags.rng,
    userPin: pinFlags(t.flags.userPin),
    soPin: pinFlags(t.flags.soPin),
    userPinInitialized: t.flags.userPinInitialized,
    pinLength: { min: t.pinLength.min, max: t.pinLength.max },
  };
}

export async function probeModule(host: DeviceHostClient, module: ConfiguredModule): Promise<ModuleStatus> {
  const base = { path: module.path, name: module.name, rehearsal: module.rehearsal };
  try {
    // settings.json is written by hand too: a module file that fails the checks is never loaded
    if (!module.rehearsal) checkModuleFile(module.path);
  } catch (error) {
    const e = error as ModuleFileError;
    return { ...base, ok: false, error: { code: e.code, message: e.message }, library: null, tokens: [] };
  }
  try {
    const info = await host.call<ModuleInfoWire>('pkcs11.loadModule', { path: module.path }, { timeoutMs: 15_000 });
    const tokens = await host.call<TokenWire[]>('pkcs11.listTokens', { module: module.path }, { timeoutMs: 15_000 });
    return {
      ...base,
      ok: true,
      error: null,
      library: { manufacturer: info.manufacturer, description: info.description, version: info.libraryVersion, cryptokiVersion: info.cryptokiVersion },
      tokens: tokens.map((t) => toTokenStatus(t, module.rehearsal ? module.rehearsalSerials : undefined)),
    };
  } catch (error) {
    const e = error instanceof HostError ? error : new HostError('ModuleFailed', 'The module could not be read.');
    return { ...base, ok: false, error: { code: e.code, message: e.message }, library: null, tokens: [] };
  }
}

interface UsbListingWire {
  available: boolean;
  reason?: string;
  devices?: Array<{
    vendorId: number;
    productId: number;
    product: string | null;
    serial: string | null;
    known: { name: string; kind: string; module: { name: string; path?: string; package?: string } } | null;
  }>;
}

/** USB devices Custodian knows (HSMs and security keys), each with what a user needs to drive it. */
export async function probeUsb(host: DeviceHostClient): Promise<DeviceSnapshot['usb']> {
  try {
    const listing = await host.call<UsbListingWire>('usb.list', {}, { timeoutMs: 5_000 });
    if (!listing.available) return { available: false, reason: listing.reason ?? 'USB cannot be read on this machine.', devices: [] };
    return {
      available: true,
      reason: null,
      devices: (listing.devices ?? [])
        .filter((d) => d.known)
        .map((d) => {
          const m = d.known!.module;
          const needs = [m.name, m.path ? `(${m.path})` : '', m.package ? `from the package ${m.package}` : ''].filter(Boolean).join(' ');
          return { vendorId: d.vendorId, productId: d.productId, name: d.known!.name, kind: d.known!.kind, needs, serial: d.serial };
        }),
    };
  } catch (error) {
    return { available: false, reason: (error as Error).message, devices: [] };
  }
}

type YubiHsmSource = { connector?: string; simulator?: boolean; usbSerial?: number };

/** YubiHSM 2 devices: the rehearsal simulator, configured connector URLs, and any found on USB. */
export function yubiHsmProbe(sources: () => YubiHsmSource[]) {
  return async (host: DeviceHostClient): Promise<DeviceSnapshot['yubihsm']> => {
    const usb = await host
      .call<{ available: boolean; devices?: Array<{ serial: number }> }>('yubihsm.listUsb', {}, { timeoutMs: 5_000 })
      .catch(() => ({ available: false as const, devices: [] }));
    const all: YubiHsmSource[] = [...sources(), ...(usb.available ? (usb.devices ?? []).map((d) => ({ usbSerial: d.serial })) : [])];
    return Promise.all(
      all.map(async (source) => {
        const label = source.simulator ? 'simulator' : source.usbSerial !== undefined ? `USB serial ${source.usbSerial}` : (source.connector ?? 'unknown');
        const transport = source.simulator ? ('simulator' as const) : source.usbSerial !== undefined ? ('usb' as const) : ('http' as const);
        try {
          const d = await host.call<{ serial: number; firmware: string; logUsed: number; logTotal: number }>('yubihsm.describe', source, {
            timeoutMs: 10_000,
          });
          return {
            source: label,
            transport,
            ok: true,
            error: null,
            serial: d.serial,
            firmware: d.firmware,
            logUsed: d.logUsed,
            logTotal: d.logTotal,
            rehearsal: transport === 'simulator',
          };
        } catch (error) {
          return {
            source: label,
            transport,
            ok: false,
            error: (error as Error).message,
            serial: null,
            firmware: null,
            logUsed: null,
            logTotal: null,
            rehearsal: transport === 'simulator',
          };
        }
      }),
    );
  };
}
