import type { UsbLikeDevice, YubiHsmSimulator } from '../../../native/yubihsm';

const PACKET = 64;

/**
 * A YubiHSM 2 behind a bulk endpoint pair, shaped like a `usb` 3.x WebUSB device. It models packets: a message
 * ends with a short packet, so one that fills its last packet needs a zero-length packet; responses are queued as
 * packets with a trailing ZLP when they fill their last packet, and a read ends at a short packet or at its length.
 */
export class FakeYubiHsmUsb implements UsbLikeDevice {
  vendorId = 0x1050;
  productId = 0x0030;
  serialNumber = '7550140';
  opened = false;
  configuration: { configurationValue: number } | null = null;
  claimed = false;
  openCount = 0;
  claimError: Error | undefined;
  failNextTransferOut = false;
  readonly outTransfers: Uint8Array[] = [];
  readonly inLengths: number[] = [];
  readonly inTimeouts: number[] = [];
  private pending: Uint8Array[] = [];
  private inQueue: Uint8Array[] = [];

  constructor(private readonly device: Pick<YubiHsmSimulator, 'process'>) {}

  /** Leaves data in the IN endpoint as a crashed previous program would. */
  queueStale(bytes: Uint8Array): void {
    this.queuePackets(bytes);
  }

  get queuedPackets(): number {
    return this.inQueue.length;
  }

  async open() {
    this.opened = true;
    this.openCount += 1;
  }
  async close() {
    this.opened = false;
    this.claimed = false;
  }
  async selectConfiguration(value: number) {
    if (!this.opened) throw new Error('not open');
    this.configuration = { configurationValue: value };
  }
  async claimInterface(n: number) {
    if (this.claimError) throw this.claimError;
    if (!this.opened || this.configuration?.configurationValue !== 1 || n !== 0) throw new Error('bad claim');
    this.claimed = true;
  }
  async releaseInterface() {
    this.claimed = false;
  }

  async transferOut(endpoint: number, data: Uint8Array) {
    if (endpoint !== 1 || !this.claimed) throw new Error('OUT on wrong endpoint or unclaimed interface');
    if (this.failNextTransferOut) {
      this.failNextTransferOut = false;
      throw new Error('LIBUSB_ERROR_IO');
    }
    this.outTransfers.push(data.slice());
    if (data.length === 0) {
      this.endOfMessage();
    } else {
      for (let i = 0; i < data.length; i += PACKET) this.pending.push(data.slice(i, i + PACKET));
      if (data.length % PACKET !== 0) this.endOfMessage();
    }
    return { bytesWritten: data.length, status: 'ok' };
  }

  async transferIn(endpoint: number, length: number, timeout?: number) {
    if (endpoint !== 1 || !this.claimed) throw new Error('IN on wrong endpoint or unclaimed interface');
    this.inLengths.push(length);
    this.inTimeouts.push(timeout ?? 0);
    if (this.inQueue.length === 0) throw new Error('LIBUSB_TRANSFER_TIMED_OUT');
    const parts: Uint8Array[] = [];
    let total = 0;
    while (this.inQueue.length > 0) {
      const packet = this.inQueue.shift()!;
      parts.push(packet);
      total += packet.length;
      if (packet.length < PACKET || total >= length) break;
    }
    const out = Buffer.concat(parts);
    return { data: new DataView(out.buffer, out.byteOffset, out.byteLength), status: 'ok' };
  }

  private endOfMessage() {
    const message = Buffer.concat(this.pending);
    this.pending = [];
    if (message.length === 0) return;
    this.queuePackets(this.device.process(new Uint8Array(message)));
  }

  private queuePackets(bytes: Uint8Array) {
    for (let i = 0; i < bytes.length; i += PACKET) this.inQueue.push(bytes.slice(i, i + PACKET));
    if (bytes.length % PACKET === 0) this.inQueue.push(new Uint8Array(0));
  }
}
