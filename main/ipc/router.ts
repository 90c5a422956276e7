import { contract, type ApiError, type ApiResult, type EventOf, type ParsedRequestOf, type ResponseOf } from '../../preload/api';
import type { EventChannel, RequestChannel } from '../../preload/channels';
import { CustodianError } from '../errors';

/** Who is calling: hosts check the frame before a request reaches the router; the router records it for handlers. */
export interface CallerContext {
  host: 'electron' | 'browser' | 'cli' | 'test';
}

export type ChannelHandler<C extends RequestChannel> = (request: ParsedRequestOf<C>, caller: CallerContext) => Promise<ResponseOf<C>> | ResponseOf<C>;
export type HandlerMap = { [C in RequestChannel]: ChannelHandler<C> };

/** An error a handler throws on purpose: its code and message reach the renderer as they are. */
export class UserFacingError extends CustodianError<string> {
  override name = 'UserFacingError';
}

type EventSink = (event: EventChannel, payload: unknown) => void;

/**
 * Validates every request and every response against the contract and answers with `ApiResult`: nothing a
 * renderer sends can make it throw. Errors that carry a string `code` and `message` (UserFacingError, HostError,
 * the PKCS#11 and share errors) pass through; anything else becomes a generic Internal error, so an unexpected
 * exception's text — which might hold a value we did not mean to show — never reaches the screen.
 */
export class Router {
  private readonly sinks = new Set<EventSink>();

  constructor(private readonly handlers: HandlerMap) {}

  async handle(channel: unknown, rawRequest: unknown, caller: CallerContext): Promise<ApiResult<unknown>> {
    if (typeof channel !== 'string' || !Object.hasOwn(contract.requests, channel)) {
      return fail('UnknownChannel', 'That request is not part of Custodian’s interface.');
    }
    const spec = contract.requests[channel as RequestChannel];
    const parsed = spec.request.safeParse(rawRequest);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? ` at “${issue.path.join('.')}”` : '';
      return fail('InvalidRequest', `The request for ${channel} was not valid${where}: ${issue?.message ?? 'malformed'}.`);
    }
    let value: unknown;
    try {
      const handler = this.handlers[channel as RequestChannel] as (r: unknown, c: CallerContext) => unknown;
      value = await handler(parsed.data, caller);
    } catch (error) {
      return { ok: false, error: toApiError(error) };
    }
    const checked = spec.response.safeParse(value);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      return fail(
        'InvalidResponse',
        `Custodian produced an invalid answer for ${channel} (${issue?.path.join('.') || 'root'}: ${issue?.message}). This is a bug.`,
      );
    }
    return { ok: true, value: checked.data };
  }

  /** Subscribe a host's event delivery (Electron webContents.send, or the browser host's page bridge). */
  addEventSink(sink: EventSink): () => void {
    this.sinks.add(sink);
    return () => this.sinks.delete(sink);
  }

  emit<E extends EventChannel>(event: E, payload: EventOf<E>): void {
    const checked = contract.events[event].safeParse(payload);
    if (!checked.success) throw new Error(`Event ${event} does not match the contract: ${checked.error.issues[0]?.message}`);
    for (const sink of this.sinks) {
      try {
        sink(event, checked.data);
      } catch {
        // A closed window must not stop the others from hearing the event.
      }
    }
  }
}

function fail(code: string, message: string): ApiResult<never> {
  return { ok: false, error: { code, message } };
}

export function toApiError(error: unknown): ApiError {
  if (error && typeof error === 'object') {
    const e = error as { code?: unknown; message?: unknown };
    if (typeof e.code === 'string' && typeof e.message === 'string' && e.message) {
      return { code: e.code, message: e.message };
    }
  }
  return { code: 'Internal', message: 'Something went wrong inside Custodian. Nothing was changed by this request; details are in the journal.' };
}
