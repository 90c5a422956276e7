import { identify, usbId, type KnownUsbDevice } from './known-devices';
import type { UsbBackend, UsbDeviceLike } from './usb-backend';

/**
 * Listing USB devices. "USB unavailable" (no /sys/bus/usb in a sandbox, no permission, library missing) is a normal
 * state to show, not a crash: the ceremony can still run on PKCS#11 modules and the simulator.
 */

export interface UsbDeviceInfo {
  readonly id: string;
  readonly vendorId: number;
  readonly productId: number;
  readonly manufacturer: string | null;
  readonly product: string | null;
  readonly serial: string | null;
  readonly location: string | null;
  /** Our table's entry when we know the device. */
  readonly known: KnownUsbDevice | null;
}

export type UsbListing = { readonly available: true; readonly devices: UsbDeviceInfo[] } | { readonly available: false; readonly reason: string };

/** Reading the strings can fail on devices we may not open; a missing name is better than a failed listing. */
function safe(read: () => string | null | undefined): string | null {
  try {
    return read() ?? null;
  } catch {
    return null;
  }
}

export function describeDevice(device: UsbDeviceLike): UsbDeviceInfo {
  return {
    id: usbId(device.vendorId, device.productId),
    vendorId: device.vendorId,
    productId: device.productId,
    manufacturer: safe(() => device.manufacturerName),
    product: safe(() => device.productName),
    serial: safe(() => device.serialNumber),
    location: device.bus !== undefined ? `${device.bus}${device.address !== undefined ? `/${device.address}` : ''}` : null,
    known: identify(device.vendorId, device.productId) ?? null,
  };
}

export async function listUsbDevices(backend: UsbBackend | undefined, unavailableReason?: string): Promise<UsbListing> {
  if (!backend) return { available: false, reason: unavailableReason ?? 'USB is not available on this computer.' };
  try {
    const devices = await backend.getDevices();
    return { available: true, devices: devices.map(describeDevice) };
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    return { available: false, reason: `USB devices cannot be listed here (${detail}).` };
  }
}
