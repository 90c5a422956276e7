import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Router, UserFacingError, type HandlerMap } from '../../../main/ipc/router';
import { REQUEST_CHANNELS, type RequestChannel } from '../../../preload/channels';
import { contract } from '../../../preload/api';

/** Handlers that record what reached them, so the test can prove only valid requests get through. */
function recordingHandlers(received: Array<{ channel: string; request: unknown }>, answer: (c: RequestChannel) => unknown): HandlerMap {
  return Object.fromEntries(
    REQUEST_CHANNELS.map((channel) => [
      channel,
      (request: unknown) => {
        received.push({ channel, request });
        return answer(channel);
      },
    ]),
  ) as unknown as HandlerMap;
}

describe('router', () => {
  it('answers a few hundred malformed payloads per channel with a typed validation error and never throws', async () => {
    const received: Array<{ channel: string; request: unknown }> = [];
    const router = new Router(recordingHandlers(received, () => ({ not: 'a valid response' })));
    for (const channel of REQUEST_CHANNELS) {
      await fc.assert(
        fc.asyncProperty(fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true }), async (payload) => {
          const result = await router.handle(channel, payload, { host: 'test' });
          expect(typeof result.ok).toBe('boolean');
          if (!result.ok) {
            expect(typeof result.error.code).toBe('string');
            expect(typeof result.error.message).toBe('string');
            const valid = contract.requests[channel].request.safeParse(payload).success;
            expect(result.error.code).toBe(valid ? 'InvalidResponse' : 'InvalidRequest');
          }
        }),
        { numRuns: 300 },
      );
    }
    // Whatever reached a handler had passed the request schema.
    for (const { channel, request } of received) {
      expect(contract.requests[channel as RequestChannel].request.safeParse(request).success).toBe(true);
    }
  });

  it('refuses unknown channels, including prototype names', async () => {
    const router = new Router(recordingHandlers([], () => ({})));
    for (const channel of ['nope', '__proto__', 'constructor', 'toString', 42, null]) {
      const result = await router.handle(channel, {}, { host: 'test' });
      expect(result).toMatchObject({ ok: false, error: { code: 'UnknownChannel' } });
    }
  });

  it('passes a handler’s typed error through and hides an unexpected exception’s text', async () => {
    const router = new Router(
      recordingHandlers([], (channel) => {
        if (channel === 'settings.get') throw new UserFacingError('ModuleNotFound', 'No file at /x.');
        throw new TypeError('secret-ish internal detail 1234');
      }),
    );
    expect(await router.handle('settings.get', {}, { host: 'test' })).toEqual({ ok: false, error: { code: 'ModuleNotFound', message: 'No file at /x.' } });
    const hidden = await router.handle('app.info', {}, { host: 'test' });
    expect(hidden.ok).toBe(false);
    if (!hidden.ok) {
      expect(hidden.error.code).toBe('Internal');
      expect(hidden.error.message).not.toContain('1234');
    }
  });

  it('validates responses against the contract', async () => {
    const good = { modules: [{ path: '/m.so', name: 'm' }], yubihsmConnectors: [] };
    const router = new Router(recordingHandlers([], () => good));
    expect(await router.handle('settings.get', {}, { host: 'test' })).toEqual({ ok: true, value: good });
    const bad = new Router(recordingHandlers([], () => ({ ...good, extra: 1 })));
    expect(await bad.handle('settings.get', {}, { host: 'test' })).toMatchObject({ ok: false, error: { code: 'InvalidResponse' } });
  });

  it('checks events against the contract before delivering them', () => {
    const router = new Router(recordingHandlers([], () => ({})));
    const seen: unknown[] = [];
    router.addEventSink((event, payload) => seen.push([event, payload]));
    router.emit('ceremony.changed', { id: 'abc' });
    expect(seen).toEqual([['ceremony.changed', { id: 'abc' }]]);
    expect(() => router.emit('ceremony.changed', { id: '../../etc' } as never)).toThrow();
  });
});
