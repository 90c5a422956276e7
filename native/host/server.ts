import type { FromHost, ParentPort, ToHost, WireError } from './protocol';
import type { HandlerContext, HandlerTable } from './handlers';

/**
 * The device host's RPC server: dispatches calls to handlers, tracks each call's AbortController so main can
 * cancel it, and turns any thrown value into a wire error. It never lets an exception escape: a handler that
 * throws something odd still produces a well-formed error reply.
 */
export function serveHandlers(port: ParentPort, handlers: HandlerTable): void {
  const running = new Map<number, AbortController>();
  const emit = (event: string, payload: unknown) => port.send({ t: 'event', event, payload });

  port.onMessage((message: ToHost) => {
    if (message.t === 'cancel') {
      running.get(message.id)?.abort();
      return;
    }
    if (message.t !== 'call') return;
    const { id, method, params } = message;
    const handler = Object.hasOwn(handlers, method) ? handlers[method] : undefined;
    if (!handler) {
      port.send({ t: 'result', id, ok: false, error: { code: 'UnknownMethod', message: `The device host has no method "${method}".` } });
      return;
    }
    const controller = new AbortController();
    running.set(id, controller);
    const ctx: HandlerContext = { signal: controller.signal, emit };
    Promise.resolve()
      .then(() => handler(params, ctx))
      .then(
        (value) => reply({ t: 'result', id, ok: true, value }),
        (error: unknown) => reply({ t: 'result', id, ok: false, error: toWireError(error) }),
      )
      .finally(() => running.delete(id));
  });

  function reply(message: FromHost) {
    try {
      port.send(message);
    } catch (error) {
      // A value that cannot be cloned must still answer the call.
      if (message.t === 'result') {
        port.send({ t: 'result', id: message.id, ok: false, error: toWireError(error) });
      }
    }
  }

  port.send({ t: 'ready', pid: process.pid, methods: Object.keys(handlers).sort() });
}

export function toWireError(error: unknown): WireError {
  if (error && typeof error === 'object') {
    const e = error as { code?: unknown; message?: unknown; details?: unknown; name?: unknown };
    const code = typeof e.code === 'string' ? e.code : typeof e.name === 'string' && e.name !== 'Error' ? e.name : 'HostFailure';
    const message = typeof e.message === 'string' && e.message ? e.message : 'The device host failed.';
    const details = e.details && typeof e.details === 'object' ? (e.details as Record<string, unknown>) : undefined;
    return details ? { code, message, details } : { code, message };
  }
  return { code: 'HostFailure', message: 'The device host failed.' };
}
