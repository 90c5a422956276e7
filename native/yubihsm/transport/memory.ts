import type { Transport } from './types';
import type { YubiHsmSimulator } from '../simulator/simulator';

/** In-process transport to a simulator: the same frames as USB or HTTP, without the wire. */
export class MemoryTransport implements Transport {
  readonly kind = 'simulator' as const;
  private closed = false;

  constructor(private readonly device: Pick<YubiHsmSimulator, 'process'>) {}

  async send(frame: Uint8Array): Promise<Uint8Array> {
    if (this.closed) throw new Error('The in-memory YubiHSM transport is closed.');
    // Copy both ways so neither side can keep a view into the other's buffers.
    return this.device.process(frame.slice()).slice();
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
