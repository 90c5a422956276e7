import { YubiHsmClient, YubiHsmSimulator, MemoryTransport, connectHttp, serveSimulator, type SimulatorOptions } from '../../../native/yubihsm';

export type TransportName = 'in-memory' | 'http';

export interface Harness {
  client: YubiHsmClient;
  simulator: YubiHsmSimulator;
  advance(ms: number): void;
  /** A second client on the same device (same transport kind). */
  newClient(): Promise<YubiHsmClient>;
  close(): Promise<void>;
}

/** A simulator with an injected clock, reached in-memory or over the connector HTTP protocol on 127.0.0.1. */
export async function makeHarness(kind: TransportName, opts: SimulatorOptions = {}): Promise<Harness> {
  let now = 1_700_000_000_000;
  const simulator = new YubiHsmSimulator({ ...opts, clock: () => now });
  const clients: YubiHsmClient[] = [];
  const server = kind === 'in-memory' ? undefined : await serveSimulator({ simulator });
  const newClient = async () => {
    const transport = server ? await connectHttp(server.url) : new MemoryTransport(simulator);
    const c = new YubiHsmClient(transport, { keepAliveMs: 0 });
    clients.push(c);
    return c;
  };
  return {
    client: await newClient(),
    simulator,
    advance: (ms) => {
      now += ms;
    },
    newClient,
    close: async () => {
      for (const c of clients) await c.close();
      await server?.close();
    },
  };
}
