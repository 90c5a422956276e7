/**
 * The shape every device-host handler has. Handlers run inside the device-host process (the only process that
 * loads pkcs11js, usb and talks to YubiHSM devices). Parameters and results cross a process boundary by structured
 * clone: plain objects, arrays, strings, numbers, booleans, null, Uint8Array, bigint — no class instances or functions.
 *
 * A handler reports a failure by throwing a `HostError` (or any Error carrying a string `code`): the RPC layer sends
 * `{ code, message, details }` to main, where it is rethrown as a `HostError` with the same fields. Messages must be
 * sentences a custodian can read and must never contain a secret.
 */
export interface HandlerContext {
  /** Aborted when main cancels the call or its timeout expires. Long work should check it between steps. */
  readonly signal: AbortSignal;
  /** Push an event to main (e.g. 'pkcs11.tokenRemoved', 'usb.attach'). Payload must be structured-cloneable. */
  emit(event: string, payload: unknown): void;
}

// Handlers validate their own params; `any` here keeps each handler's signature readable.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Handler = (params: any, ctx: HandlerContext) => unknown | Promise<unknown>;

/** Methods are namespaced: 'pkcs11.sign', 'usb.list', 'yubihsm.deviceInfo'. */
export type HandlerTable = Record<string, Handler>;

export class HostError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'HostError';
  }
}
