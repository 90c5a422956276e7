import { createRequire } from 'node:module';

/**
 * The part of the `usb` 3.x package (its WebUSB-shaped `usb` object) that we use, so tests can hand in a fake.
 */
export interface UsbDeviceLike {
  readonly vendorId: number;
  readonly productId: number;
  readonly manufacturerName?: string | null;
  readonly productName?: string | null;
  readonly serialNumber?: string | null;
  readonly bus?: string;
  readonly address?: number;
}

export interface UsbConnectionEventLike {
  readonly device: UsbDeviceLike;
}

export interface UsbBackend {
  getDevices(): Promise<UsbDeviceLike[]>;
  addEventListener(type: 'connect' | 'disconnect', listener: (event: UsbConnectionEventLike) => void): void;
  removeEventListener(type: 'connect' | 'disconnect', listener: (event: UsbConnectionEventLike) => void): void;
}

/** The real backend, or the reason there is none (package or native part missing). Loaded lazily, once. */
let cached: { backend?: UsbBackend; reason?: string } | undefined;

export function realUsbBackend(): { backend?: UsbBackend; reason?: string } {
  if (!cached) {
    try {
      const require = createRequire(import.meta.url);
      const mod = require('usb') as { usb: UsbBackend };
      cached = { backend: mod.usb };
    } catch (e) {
      cached = { reason: `The USB library could not be loaded: ${e instanceof Error ? e.message : String(e)}` };
    }
  }
  return cached;
}
