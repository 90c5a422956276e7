/**
 * Messages between main and the device host. Both sides use structured clone (Node `advanced` serialization or
 * Electron's MessagePort), so Uint8Array and bigint cross unchanged.
 */
export interface CallMessage {
  t: 'call';
  id: number;
  method: string;
  params: unknown;
}
export interface CancelMessage {
  t: 'cancel';
  id: number;
}
export type ToHost = CallMessage | CancelMessage;

export interface WireError {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}
export type ResultMessage = { t: 'result'; id: number; ok: true; value: unknown } | { t: 'result'; id: number; ok: false; error: WireError };
export interface EventMessage {
  t: 'event';
  event: string;
  payload: unknown;
}
export interface ReadyMessage {
  t: 'ready';
  pid: number;
  methods: string[];
}
export type FromHost = ResultMessage | EventMessage | ReadyMessage;

/** How the host process talks to its parent: a Node IPC channel or an Electron parentPort. */
export interface ParentPort {
  send(message: FromHost): void;
  onMessage(listener: (message: ToHost) => void): void;
}
