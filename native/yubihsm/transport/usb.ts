/**
 * Direct USB transport (PROTOCOL.md §2) over the `usb` 3.x WebUSB-style API: configuration 1, interface 0,
 * bulk endpoint 1 (OUT 0x01 / IN 0x81), 64-byte packets.
 */
import type { Transport } from './types';
import { YubiHsmError } from '../protocol/errors';
import { MAX_CONNECTOR_BODY } from '../protocol/frame';
import { YUBICO_VENDOR_ID, YUBIHSM2_PRODUCT_ID } from '../protocol/defs';

/** The part of a `usb` 3.x device this transport uses; tests pass a fake of the same shape. */
export interface UsbLikeDevice {
  vendorId: number;
  productId: number;
  readonly serialNumber?: string | null;
  readonly opened?: boolean;
  readonly configuration?: { configurationValue: number } | null;
  open(): Promise<void>;
  close(): Promise<void>;
  selectConfiguration(configurationValue: number): Promise<void>;
  claimInterface(interfaceNumber: number): Promise<void>;
  releaseInterface?(interfaceNumber: number): Promise<void>;
  transferOut(endpointNumber: number, data: Uint8Array, timeout?: number): Promise<{ bytesWritten: number; status: string }>;
  transferIn(endpointNumber: number, length: number, timeout?: number): Promise<{ data?: DataView; status: string }>;
}

export interface UsbModuleLike {
  getDevices(): Promise<UsbLikeDevice[]>;
}

export const USB_CONFIGURATION = 1;
export const USB_INTERFACE = 0;
/** Endpoint number 1: OUT is 0x01 and IN is 0x81; the WebUSB API takes the number and the direction apart. */
export const USB_ENDPOINT = 1;
export const USB_PACKET_SIZE = 64;
/** Larger than any message (3136) and than Yubico's 3139, a whole number of packets, so the device's ZLP ends the read. */
export const USB_READ_SIZE = 3200;

export interface UsbTransportOptions {
  /** Read timeout for a response; minutes, because RSA-4096 generation is slow. */
  readTimeoutMs?: number;
  writeTimeoutMs?: number;
  /** Short read used to drain stale data after claiming the interface. */
  drainTimeoutMs?: number;
}

function describeUsbError(e: unknown): YubiHsmError {
  const text = e instanceof Error ? e.message : String(e);
  if (/busy|EBUSY|claimed|in use/i.test(text)) return new YubiHsmError('DEVICE_CLAIMED');
  if (/access|permission|EACCES|EPERM/i.test(text)) return new YubiHsmError('USB_PERMISSION_DENIED');
  return new YubiHsmError('TRANSPORT_FAILED', `The USB connection to the YubiHSM failed (${text}).`);
}

function viewBytes(view: DataView | undefined): Uint8Array {
  return view ? new Uint8Array(view.buffer, view.byteOffset, view.byteLength).slice() : new Uint8Array(0);
}

export class UsbTransport implements Transport {
  readonly kind = 'usb' as const;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly readTimeoutMs: number;
  private readonly writeTimeoutMs: number;
  private readonly drainTimeoutMs: number;

  private constructor(
    private readonly device: UsbLikeDevice,
    opts: UsbTransportOptions,
  ) {
    this.readTimeoutMs = opts.readTimeoutMs ?? 5 * 60_000;
    this.writeTimeoutMs = opts.writeTimeoutMs ?? 30_000;
    this.drainTimeoutMs = opts.drainTimeoutMs ?? 10;
  }

  /** Opens and claims the device, then drains anything a previous program left in the IN endpoint. */
  static async open(device: UsbLikeDevice, opts: UsbTransportOptions = {}): Promise<UsbTransport> {
    const t = new UsbTransport(device, opts);
    await t.claim();
    return t;
  }

  get serial(): string | null | undefined {
    return this.device.serialNumber;
  }

  private async claim(): Promise<void> {
    try {
      if (!this.device.opened) await this.device.open();
      if (this.device.configuration?.configurationValue !== USB_CONFIGURATION) await this.device.selectConfiguration(USB_CONFIGURATION);
      await this.device.claimInterface(USB_INTERFACE);
    } catch (e) {
      await this.device.close().catch(() => undefined);
      throw describeUsbError(e);
    }
    try {
      await this.device.transferIn(USB_ENDPOINT, USB_READ_SIZE, this.drainTimeoutMs);
    } catch {
      // Nothing stale to drain: the read timed out, which is the normal case.
    }
  }

  private async exchange(frame: Uint8Array): Promise<Uint8Array> {
    const out = await this.device.transferOut(USB_ENDPOINT, frame, this.writeTimeoutMs);
    if (out.status !== 'ok' || out.bytesWritten !== frame.length) throw new Error(`short write (${out.bytesWritten} of ${frame.length})`);
    // A message that fills its last packet is ended by a zero-length packet, as all Yubico hosts do.
    if (frame.length % USB_PACKET_SIZE === 0) await this.device.transferOut(USB_ENDPOINT, new Uint8Array(0), this.writeTimeoutMs);
    const res = await this.device.transferIn(USB_ENDPOINT, USB_READ_SIZE, this.readTimeoutMs);
    if (res.status !== 'ok') throw new Error(`read ${res.status}`);
    return viewBytes(res.data);
  }

  send(frame: Uint8Array): Promise<Uint8Array> {
    if (frame.length < 3 || frame.length > MAX_CONNECTOR_BODY) return Promise.reject(new YubiHsmError('MESSAGE_TOO_LARGE'));
    const run = async () => {
      let response: Uint8Array;
      try {
        response = await this.exchange(frame);
      } catch {
        // Yubico's library reopens the device and retries once when a transfer fails.
        await this.reopen();
        try {
          response = await this.exchange(frame);
        } catch (e) {
          throw describeUsbError(e);
        }
      }
      if (response.length < 3 || ((response[1] << 8) | response[2]) !== response.length - 3) {
        throw new YubiHsmError('INVALID_RESPONSE', 'The YubiHSM sent a USB response whose length does not match its header.');
      }
      return response;
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async reopen(): Promise<void> {
    await this.device.releaseInterface?.(USB_INTERFACE).catch(() => undefined);
    await this.device.close().catch(() => undefined);
    await this.claim();
  }

  async close(): Promise<void> {
    await this.device.releaseInterface?.(USB_INTERFACE).catch(() => undefined);
    await this.device.close().catch(() => undefined);
  }
}

export interface UsbYubiHsm {
  serial: number | null;
  device: UsbLikeDevice;
}

export type UsbListing = { available: true; devices: { serial: number | null }[] } | { available: false; reason: string };

async function loadUsbModule(): Promise<UsbModuleLike> {
  const mod = (await import('usb')) as unknown as { usb: UsbModuleLike };
  return mod.usb;
}

async function findYubiHsms(usbModule?: UsbModuleLike): Promise<UsbYubiHsm[]> {
  const usb = usbModule ?? (await loadUsbModule());
  const devices = await usb.getDevices();
  return devices
    .filter((d) => d.vendorId === YUBICO_VENDOR_ID && d.productId === YUBIHSM2_PRODUCT_ID)
    .map((device) => {
      const serial = Number.parseInt(device.serialNumber ?? '', 10);
      return { serial: Number.isFinite(serial) ? serial : null, device };
    });
}

/**
 * Lists YubiHSM 2 devices on USB. A machine without USB access (no /sys/bus/usb, no permission, no native module)
 * is a normal state reported as `{ available: false, reason }`, never an exception.
 */
export async function listUsbYubiHsms(usbModule?: UsbModuleLike): Promise<UsbListing> {
  try {
    const found = await findYubiHsms(usbModule);
    return { available: true, devices: found.map((f) => ({ serial: f.serial })) };
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    return { available: false, reason: `USB is not available on this computer (${detail}).` };
  }
}

/** Opens the YubiHSM with this serial (or the only one plugged in). */
export async function openUsbYubiHsm(serial?: number, usbModule?: UsbModuleLike, opts?: UsbTransportOptions): Promise<UsbTransport> {
  let found: UsbYubiHsm[];
  try {
    found = await findYubiHsms(usbModule);
  } catch (e) {
    throw new YubiHsmError('USB_UNAVAILABLE', `USB is not available on this computer (${e instanceof Error ? e.message : String(e)}).`);
  }
  const match = serial === undefined ? found : found.filter((f) => f.serial === serial);
  if (match.length === 0) throw new YubiHsmError('DEVICE_NOT_FOUND');
  if (match.length > 1) throw new YubiHsmError('INVALID_ARGUMENT', 'Several YubiHSM 2 devices are plugged in: choose one by serial number.');
  return UsbTransport.open(match[0].device, opts);
}
