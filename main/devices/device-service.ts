import { EventEmitter } from 'node:events';
import type { DeviceSnapshot, ModuleStatus } from '../../preload/api';
import type { DeviceHostClient } from './host-client';
import { readNetworkFacts } from './network';

export interface ConfiguredModule {
  path: string;
  name: string;
  /** Custodian's own rehearsal store */
  rehearsal: boolean;
  /** the serials of the tokens Custodian made in it: only these are marked REHEARSAL */
  rehearsalSerials?: ReadonlySet<string>;
}

/** What the device panel needs to know about one PKCS#11 module, asked of the device host. */
export type ModuleProbe = (host: DeviceHostClient, module: ConfiguredModule) => Promise<ModuleStatus>;
export type UsbProbe = (host: DeviceHostClient) => Promise<DeviceSnapshot['usb']>;
export type YubiHsmProbe = (host: DeviceHostClient) => Promise<DeviceSnapshot['yubihsm']>;

export interface DeviceServiceOptions {
  host: DeviceHostClient;
  modules: () => ConfiguredModule[];
  probeModule: ModuleProbe;
  probeUsb: UsbProbe;
  probeYubiHsm: YubiHsmProbe;
  /** How often the panel is refreshed while someone is looking at it. */
  pollMs?: number;
}

/**
 * The device panel's model: modules and their tokens, USB devices, YubiHSMs, network interfaces and the device
 * host's state. Polls while watched and emits 'changed' only when something a person would notice changed
 * (a token inserted or removed, a PIN flag flipping, the host restarting).
 */
export class DeviceService extends EventEmitter {
  private last: DeviceSnapshot | null = null;
  private lastKey = '';
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<DeviceSnapshot> | null = null;

  constructor(private readonly options: DeviceServiceOptions) {
    super();
    options.host.on('state', () => {
      void this.refresh().catch(() => undefined);
    });
    // A device plugged in or pulled out, or a token lost mid-operation: show it now rather than at the next poll.
    options.host.on('event', (name: string) => {
      if (name === 'usb.attach' || name === 'usb.detach' || name === 'pkcs11.deviceLost') void this.refresh().catch(() => undefined);
    });
  }

  async snapshot(): Promise<DeviceSnapshot> {
    return this.last ?? this.refresh();
  }

  refresh(): Promise<DeviceSnapshot> {
    this.inFlight ??= this.collect().finally(() => (this.inFlight = null));
    return this.inFlight;
  }

  watch(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.refresh().catch(() => undefined), this.options.pollMs ?? 2_000);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async collect(): Promise<DeviceSnapshot> {
    const { host } = this.options;
    const hostState = host.getState();
    const ready = hostState.status === 'ready';
    const hostDown = (what: string) => `The device host is ${hostState.status}; ${what} will show again when it is back.`;
    const modules = ready
      ? await Promise.all(this.options.modules().map((m) => this.options.probeModule(host, m)))
      : this.options.modules().map((m) => ({
          path: m.path,
          name: m.name,
          rehearsal: m.rehearsal,
          ok: false,
          error: { code: 'HostUnavailable', message: hostDown('tokens') },
          library: null,
          tokens: [],
        }));
    const usb = ready
      ? await this.options.probeUsb(host).catch((e: Error) => ({ available: false, reason: e.message, devices: [] }))
      : { available: false, reason: hostDown('USB devices'), devices: [] };
    const yubihsm = ready ? await this.options.probeYubiHsm(host).catch(() => []) : [];
    const snapshot: DeviceSnapshot = {
      takenAt: new Date().toISOString(),
      host: hostState,
      modules,
      usb,
      yubihsm,
      network: readNetworkFacts(),
    };
    const { takenAt: _ignored, ...comparable } = snapshot;
    const key = JSON.stringify(comparable);
    this.last = snapshot;
    if (key !== this.lastKey) {
      this.lastKey = key;
      try {
        this.emit('changed', snapshot);
      } catch (error) {
        // A listener's failure must not wedge the device panel: the next refresh tries again.
        this.lastKey = '';
        throw error;
      }
    }
    return snapshot;
  }
}
