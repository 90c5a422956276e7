/**
 * Serves a simulator over the yubihsm-connector HTTP protocol (PROTOCOL.md §3) on a loopback address, so that
 * Custodian's HTTP transport and Yubico's own tools (yubihsm-shell, python-yubihsm) can use it unchanged.
 */
import { IncomingMessage, ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { YubiHsmError } from '../protocol/errors';
import { MAX_CONNECTOR_BODY } from '../protocol/frame';
import { isLoopbackHost, loopbackAddress } from '../transport/loopback';
import { SimulatorOptions, YubiHsmSimulator } from './simulator';

export interface ServeSimulatorOptions extends Pick<SimulatorOptions, 'stateFile' | 'clock' | 'serial' | 'firmware' | 'commandAuditDefault'> {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Serve an existing simulator instead of making one. */
  simulator?: YubiHsmSimulator;
}

export interface SimulatorServer {
  url: string;
  port: number;
  simulator: YubiHsmSimulator;
  close(): Promise<void>;
}

const CONNECTOR_VERSION = '3.0.7';

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    req.on('data', (c: Buffer) => {
      total += c.length;
      if (total <= limit) chunks.push(c);
    });
    req.on('end', () => resolve(total > limit ? null : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function serveSimulator(opts: ServeSimulatorOptions = {}): Promise<SimulatorServer> {
  const host = opts.host ?? '127.0.0.1';
  if (!isLoopbackHost(host)) throw new YubiHsmError('NOT_LOOPBACK', 'The YubiHSM simulator only listens on this computer (127.0.0.1 or ::1).');
  const bindAddress = loopbackAddress(host);
  const simulator = opts.simulator ?? new YubiHsmSimulator(opts);
  let port = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '').split('?')[0];
    if (path === '/connector/status') {
      if (req.method !== 'GET') {
        res.writeHead(405, { Allow: 'GET' }).end();
        return;
      }
      // libyubihsm requires a line exactly `status=OK`.
      const body = `status=OK\nserial=*\nversion=${CONNECTOR_VERSION}\npid=${process.pid}\naddress=${bindAddress}\nport=${port}\n`;
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(body) }).end(body);
      return;
    }
    if (path === '/connector/api') {
      if (req.method !== 'POST') {
        res.writeHead(405, { Allow: 'POST' }).end();
        return;
      }
      const body = await readBody(req, MAX_CONNECTOR_BODY);
      if (!body || body.length < 3) {
        res.writeHead(400).end();
        return;
      }
      const reply = simulator.process(new Uint8Array(body));
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': reply.length }).end(Buffer.from(reply));
      return;
    }
    res.writeHead(404).end();
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, bindAddress, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const urlHost = bindAddress.includes(':') ? `[${bindAddress}]` : bindAddress;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    simulator,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
