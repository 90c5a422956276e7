import { describe, expect, it } from 'vitest';
import { UsbTransport, YubiHsmClient, YubiHsmSimulator, describeDevice, listUsbYubiHsms, openUsbYubiHsm, YubiHsmError } from '../../../native/yubihsm';
import { FakeYubiHsmUsb } from './fake-usb-device';

const echoFrame = (n: number) => Uint8Array.from([0x01, n >> 8, n & 0xff, ...new Uint8Array(n).fill(0x5a)]);

describe('USB transport against a packet-level fake YubiHSM', () => {
  it('claims configuration 1 / interface 0 and drains stale data on open', async () => {
    const fake = new FakeYubiHsmUsb(new YubiHsmSimulator());
    fake.queueStale(Uint8Array.of(0x81, 0x00, 0x01, 0xee));
    const t = await UsbTransport.open(fake);
    expect(fake.claimed).toBe(true);
    expect(fake.configuration?.configurationValue).toBe(1);
    expect(fake.queuedPackets).toBe(0);
    expect(fake.inTimeouts[0]).toBeLessThanOrEqual(10);
    expect(Array.from(await t.send(echoFrame(2)))).toEqual([0x81, 0, 2, 0x5a, 0x5a]);
    await t.close();
  });

  it('ends a command that fills its last packet with a zero-length packet, and only then', async () => {
    const fake = new FakeYubiHsmUsb(new YubiHsmSimulator());
    const t = await UsbTransport.open(fake);
    for (const size of [61, 125, 60, 3]) {
      const before = fake.outTransfers.length;
      const frame = echoFrame(size);
      const response = await t.send(frame);
      expect(response.length).toBe(frame.length);
      const sent = fake.outTransfers.slice(before);
      expect(sent[0].length).toBe(frame.length);
      expect(sent.length).toBe(frame.length % 64 === 0 ? 2 : 1);
      if (sent.length === 2) expect(sent[1].length).toBe(0);
    }
    await t.close();
  });

  it('reads with a buffer larger than any message so the device’s trailing ZLP is consumed', async () => {
    const fake = new FakeYubiHsmUsb(new YubiHsmSimulator());
    const t = await UsbTransport.open(fake, { readTimeoutMs: 120_000 });
    await t.send(echoFrame(61)); // 64-byte response, followed by a ZLP from the device
    expect(fake.queuedPackets).toBe(0);
    expect(Array.from(await t.send(echoFrame(1)))).toEqual([0x81, 0, 1, 0x5a]);
    expect(Math.min(...fake.inLengths)).toBeGreaterThan(3139);
    expect(fake.inTimeouts.at(-1)).toBeGreaterThanOrEqual(30_000);
    await t.close();
  });

  it('shows why: a read sized exactly to the response leaves the ZLP queued', async () => {
    const fake = new FakeYubiHsmUsb(new YubiHsmSimulator());
    await fake.open();
    await fake.selectConfiguration(1);
    await fake.claimInterface(0);
    await fake.transferOut(1, echoFrame(61));
    await fake.transferOut(1, new Uint8Array(0));
    await fake.transferIn(1, 64);
    expect(fake.queuedPackets).toBe(1);
  });

  it('runs an authenticated session end to end over USB framing', async () => {
    const fake = new FakeYubiHsmUsb(new YubiHsmSimulator({ serial: 99 }));
    const client = new YubiHsmClient(await UsbTransport.open(fake), { keepAliveMs: 0 });
    const s = await client.openSession(1, 'password');
    for (const n of [1, 29, 45, 100, 1000]) expect((await s.echo(new Uint8Array(n).fill(7))).length).toBe(n);
    await s.close();
    expect(await describeDevice(client.transport)).toMatchObject({ serial: 99, transport: 'usb' });
  });

  it('reopens the device and retries once when a transfer fails', async () => {
    const fake = new FakeYubiHsmUsb(new YubiHsmSimulator());
    const t = await UsbTransport.open(fake);
    fake.failNextTransferOut = true;
    expect(Array.from(await t.send(echoFrame(1)))).toEqual([0x81, 0, 1, 0x5a]);
    expect(fake.openCount).toBe(2);
  });

  it('explains a device already claimed by yubihsm-connector', async () => {
    const fake = new FakeYubiHsmUsb(new YubiHsmSimulator());
    fake.claimError = new Error('claimInterface error: Device or resource busy (os error 16)');
    await expect(UsbTransport.open(fake)).rejects.toSatisfy(
      (e: unknown) => e instanceof YubiHsmError && e.code === 'DEVICE_CLAIMED' && /yubihsm-connector/.test(e.message),
    );
    expect(fake.opened).toBe(false);
  });

  it('lists YubiHSMs by serial and reports an unusable USB stack as a state', async () => {
    const fake = new FakeYubiHsmUsb(new YubiHsmSimulator());
    const other = { ...fake, vendorId: 0x1234, productId: 1 } as unknown as FakeYubiHsmUsb;
    expect(await listUsbYubiHsms({ getDevices: async () => [fake, other] })).toEqual({ available: true, devices: [{ serial: 7550140 }] });
    const broken = await listUsbYubiHsms({
      getDevices: async () => {
        throw new Error('getDevices error: /sys/bus/usb/devices/ not found (errno 2)');
      },
    });
    expect(broken).toMatchObject({ available: false });
    expect((broken as { reason: string }).reason).toMatch(/sys\/bus\/usb/);
    const real = await listUsbYubiHsms();
    expect(typeof real.available).toBe('boolean');
    await expect(openUsbYubiHsm(1, { getDevices: async () => [fake] })).rejects.toMatchObject({ code: 'DEVICE_NOT_FOUND' });
    const t = await openUsbYubiHsm(7550140, { getDevices: async () => [fake] });
    await t.close();
  });
});
