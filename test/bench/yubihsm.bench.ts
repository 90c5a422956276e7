/**
 * Authenticated ECHO round trips per second, client ↔ simulator, in-memory and over the connector HTTP protocol
 * on 127.0.0.1. Prints one JSON object. Bounded by time and count; traffic stays on loopback.
 */
import { MemoryTransport, YubiHsmClient, YubiHsmSimulator, connectHttp, serveSimulator } from '../../native/yubihsm';

const DURATION_MS = Number(process.env.BENCH_MS ?? 2000);
const MAX_ROUNDS = 200_000;

async function measure(client: YubiHsmClient): Promise<{ roundTrips: number; perSecond: number; meanMicros: number }> {
  const session = await client.openSession(1, 'password', { keepAliveMs: 0 });
  const payload = new Uint8Array(32).fill(0x42);
  for (let i = 0; i < 50; i++) await session.echo(payload);
  const start = process.hrtime.bigint();
  let rounds = 0;
  while (rounds < MAX_ROUNDS && Number(process.hrtime.bigint() - start) / 1e6 < DURATION_MS) {
    await session.echo(payload);
    rounds++;
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  await session.close();
  return { roundTrips: rounds, perSecond: Math.round(rounds / seconds), meanMicros: Math.round((seconds * 1e6) / rounds) };
}

async function main() {
  const memory = await measure(new YubiHsmClient(new MemoryTransport(new YubiHsmSimulator())));
  const server = await serveSimulator({ port: 0 });
  const httpClient = new YubiHsmClient(await connectHttp(server.url));
  const http = await measure(httpClient);
  await httpClient.close();
  await server.close();
  console.log(JSON.stringify({ benchmark: 'yubihsm authenticated ECHO (32 bytes) round trips', durationMsEach: DURATION_MS, inMemory: memory, http }));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
