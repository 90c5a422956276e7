/** A way to carry one framed command to a YubiHSM and bring one framed response back. Strictly half-duplex. */
export type TransportKind = 'usb' | 'http' | 'simulator';

export interface Transport {
  readonly kind: TransportKind;
  /** Sends a whole framed command; resolves with the whole framed response. */
  send(frame: Uint8Array): Promise<Uint8Array>;
  close(): Promise<void>;
}
