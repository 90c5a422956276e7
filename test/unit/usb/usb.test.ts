import { describe, expect, it } from 'vitest';
import { createUsbHandlers, KNOWN_USB_DEVICES, type UsbBackend, type UsbDeviceLike } from '../../../native/usb';

type Listener = (event: { device: UsbDeviceLike }) => void;

/** A fake of the `usb` package's WebUSB object: a device list and connect/disconnect listeners. */
function fakeUsb(devices: UsbDeviceLike[], failWith?: string) {
  const listeners: Record<string, Set<Listener>> = { connect: new Set(), disconnect: new Set() };
  const backend: UsbBackend = {
    getDevices: async () => {
      if (failWith) throw new Error(failWith);
      return devices;
    },
    addEventListener: (type, l) => listeners[type].add(l),
    removeEventListener: (type, l) => listeners[type].delete(l),
  };
  return { backend, fire: (type: 'connect' | 'disconnect', device: UsbDeviceLike) => listeners[type].forEach((l) => l({ device })), listeners };
}

const ctx = (events: Array<[string, unknown]>) => ({ signal: new AbortController().signal, emit: (e: string, p: unknown) => events.push([e, p]) });

describe('USB detection', () => {
  it('names the required devices with the module a user needs', () => {
    const ids = KNOWN_USB_DEVICES.map((d) => `${d.vendorId.toString(16).padStart(4, '0')}:${d.productId.toString(16).padStart(4, '0')}`);
    expect(ids).toEqual(expect.arrayContaining(['1050:0030', '20a0:4230', '04e6:5817', '1050:0407']));
    for (const d of KNOWN_USB_DEVICES) expect(d.module.name.length).toBeGreaterThan(5);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('lists devices and identifies known ones', async () => {
    const { backend } = fakeUsb([
      { vendorId: 0x1050, productId: 0x0030, productName: 'YubiHSM', serialNumber: '0012345', bus: '1-2', address: 4 },
      { vendorId: 0x1234, productId: 0x5678, productName: null },
    ]);
    const events: Array<[string, unknown]> = [];
    const listing = (await createUsbHandlers({ backend })['usb.list'](undefined, ctx(events))) as {
      available: true;
      devices: Array<{ id: string; known: { name: string } | null; serial: string | null; location: string | null }>;
    };
    expect(listing.available).toBe(true);
    expect(listing.devices[0]).toMatchObject({ id: '1050:0030', serial: '0012345', location: '1-2/4' });
    expect(listing.devices[0].known?.name).toBe('YubiHSM 2');
    expect(listing.devices[1].known).toBeNull();
  });

  it('reports "USB unavailable" as a state when the platform has no USB bus', async () => {
    const { backend } = fakeUsb([], 'getDevices error: /sys/bus/usb/devices/ not found (errno 2)');
    const listing = (await createUsbHandlers({ backend })['usb.list'](undefined, ctx([]))) as { available: boolean; reason: string };
    expect(listing.available).toBe(false);
    expect(listing.reason).toMatch(/\/sys\/bus\/usb/);
  });

  it('the real `usb` package here gives { available: false } rather than throwing', async () => {
    const listing = (await createUsbHandlers()['usb.list'](undefined, ctx([]))) as { available: boolean };
    expect(typeof listing.available).toBe('boolean');
  });

  it('turns attach and detach into events, and stops when asked', async () => {
    const fake = fakeUsb([]);
    const events: Array<[string, unknown]> = [];
    const handlers = createUsbHandlers({ backend: fake.backend });
    await handlers['usb.list'](undefined, ctx(events));
    fake.fire('connect', { vendorId: 0x20a0, productId: 0x4230 });
    fake.fire('disconnect', { vendorId: 0x20a0, productId: 0x4230 });
    expect(events.map(([e, p]) => [e, (p as { known: { name: string } }).known.name])).toEqual([
      ['usb.attach', 'Nitrokey HSM 2'],
      ['usb.detach', 'Nitrokey HSM 2'],
    ]);
    await handlers['usb.watch']({ enable: false }, ctx(events));
    expect(fake.listeners.connect.size).toBe(0);
    fake.fire('connect', { vendorId: 0x20a0, productId: 0x4230 });
    expect(events.length).toBe(2);
  });
});
