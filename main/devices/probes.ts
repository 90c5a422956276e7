import type { DeviceSnapshot, ModuleStatus } from '../../preload/api';
import type { ConfiguredModule } from './device-service';
import { HostError, type DeviceHostClient } from './host-client';

/**
 * Device-panel probes: each asks the device host one question and turns any failure into a state the panel shows
 * (a module that is not PKCS#11 is a red line in the panel, not a crash).
 */
export async function probeModule(host: DeviceHostClient, module: ConfiguredModule): Promise<ModuleStatus> {
  const base = { path: module.path, name: module.name, rehearsal: module.rehearsal };
  try {
    const described = await host.call<Omit<ModuleStatus, 'path' | 'name' | 'rehearsal' | 'ok' | 'error'>>(
      'pkcs11.describeModule',
      { path: module.path },
      { timeoutMs: 15_000 },
    );
    return { ...base, ok: true, error: null, library: described.library, tokens: described.tokens };
  } catch (error) {
    const e = error instanceof HostError ? error : new HostError('ModuleFailed', 'The module could not be read.');
    return { ...base, ok: false, error: { code: e.code, message: e.message }, library: null, tokens: [] };
  }
}

export async function probeUsb(host: DeviceHostClient): Promise<DeviceSnapshot['usb']> {
  try {
    return await host.call<DeviceSnapshot['usb']>('usb.list', {}, { timeoutMs: 5_000 });
  } catch (error) {
    return { available: false, reason: (error as Error).message, devices: [] };
  }
}

export function yubiHsmProbe(sources: () => Array<{ connector?: string; simulator?: boolean }>) {
  return async (host: DeviceHostClient): Promise<DeviceSnapshot['yubihsm']> =>
    Promise.all(
      sources().map(async (source) => {
        const label = source.simulator ? 'simulator' : (source.connector ?? 'unknown');
        const transport = source.simulator ? ('simulator' as const) : ('http' as const);
        try {
          const d = await host.call<{ serial: number; firmware: string; logUsed: number; logTotal: number }>('yubihsm.describe', source, {
            timeoutMs: 10_000,
          });
          return { source: label, transport, ok: true, error: null, serial: d.serial, firmware: d.firmware, logUsed: d.logUsed, logTotal: d.logTotal };
        } catch (error) {
          return { source: label, transport, ok: false, error: (error as Error).message, serial: null, firmware: null, logUsed: null, logTotal: null };
        }
      }),
    );
}
