import type { HandlerTable } from './handlers';

/** Methods every host has: a no-op for round-trip measurement and liveness, and facts for the status panel. */
export function createBuiltinHandlers(): HandlerTable {
  const handlers: HandlerTable = {
    'host.ping': () => 'pong',
    'host.info': () => ({ pid: process.pid, rssBytes: process.memoryUsage().rss, uptimeSeconds: process.uptime() }),
  };
  // Fault injection for the recovery tests only; never present in a normal run.
  if (process.env.CUSTODIAN_HOST_TEST_HOOKS === '1') {
    handlers['host.test.hang'] = (params: { ms?: number }) => {
      const until = Date.now() + (params?.ms ?? 60_000);
      while (Date.now() < until) {
        /* a synchronous vendor call that never returns */
      }
      return 'woke';
    };
    handlers['host.test.crash'] = () => process.exit(70);
    handlers['host.test.sleep'] = (params: { ms: number }, ctx) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => resolve('slept'), params.ms);
        ctx.signal.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(Object.assign(new Error('The call was cancelled.'), { code: 'Cancelled' }));
        });
      });
  }
  return handlers;
}
