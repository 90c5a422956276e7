/** yubihsm-connector HTTP protocol client (PROTOCOL.md §3): POST /connector/api, GET /connector/status. */
import { Agent, request } from 'node:http';
import type { Transport } from './types';
import { YubiHsmError } from '../protocol/errors';
import { MAX_CONNECTOR_BODY } from '../protocol/frame';
import { isLoopbackHost, loopbackAddress } from './loopback';

export interface HttpTransportOptions {
  /** Allow a connector that is not on this computer. Off unless the user explicitly asks for it. */
  allowNonLoopback?: boolean;
  /** Per-request timeout in ms; generous by default because RSA-4096 generation is slow. */
  timeoutMs?: number;
}

export const DEFAULT_CONNECTOR_URL = 'http://localhost:12345';

interface Target {
  host: string;
  port: number;
}

function parseConnectorUrl(url: string, allowNonLoopback: boolean): Target {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new YubiHsmError('INVALID_ARGUMENT', `“${url}” is not a connector address such as http://127.0.0.1:12345.`);
  }
  if (parsed.protocol !== 'http:') {
    throw new YubiHsmError('INVALID_ARGUMENT', 'Only http:// connector addresses are supported (the connector runs on this computer).');
  }
  const host = parsed.hostname;
  if (!isLoopbackHost(host) && !allowNonLoopback) throw new YubiHsmError('NOT_LOOPBACK');
  return { host: loopbackAddress(host), port: parsed.port ? Number(parsed.port) : 12345 };
}

function httpExchange(
  agent: Agent,
  target: Target,
  method: 'GET' | 'POST',
  path: string,
  body: Uint8Array | undefined,
  timeoutMs: number,
): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: target.host,
        port: target.port,
        method,
        path,
        agent,
        timeout: timeoutMs,
        headers: body ? { 'Content-Type': 'application/octet-stream', 'Content-Length': body.length } : {},
      },
      (res) => {
        const chunks: Buffer[] = [];
        let total = 0;
        res.on('data', (c: Buffer) => {
          total += c.length;
          if (total > 64 * 1024) req.destroy(new Error('response too large'));
          else chunks.push(c);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new YubiHsmError('TIMEOUT')));
    req.on('error', (e) =>
      reject(
        e instanceof YubiHsmError
          ? e
          : new YubiHsmError(
              'CONNECTOR_UNREACHABLE',
              `The YubiHSM connector at ${target.host}:${target.port} did not answer (${(e as NodeJS.ErrnoException).code ?? e.message}).`,
            ),
      ),
    );
    if (body) req.end(Buffer.from(body.buffer, body.byteOffset, body.byteLength));
    else req.end();
  });
}

export interface ConnectorStatus {
  status: string;
  serial?: string;
  version?: string;
  [key: string]: string | undefined;
}

export class HttpTransport implements Transport {
  readonly kind = 'http' as const;
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 1 });
  private readonly target: Target;
  private readonly timeoutMs: number;
  /** The connector serialises requests; so do we. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly url: string,
    opts: HttpTransportOptions = {},
  ) {
    this.target = parseConnectorUrl(url, opts.allowNonLoopback === true);
    this.timeoutMs = opts.timeoutMs ?? 5 * 60_000;
  }

  send(frame: Uint8Array): Promise<Uint8Array> {
    if (frame.length < 3 || frame.length > MAX_CONNECTOR_BODY) return Promise.reject(new YubiHsmError('MESSAGE_TOO_LARGE'));
    const run = async () => {
      const res = await httpExchange(this.agent, this.target, 'POST', '/connector/api', frame, this.timeoutMs);
      if (res.status !== 200) {
        throw new YubiHsmError(
          'TRANSPORT_FAILED',
          res.status === 500
            ? 'The YubiHSM connector has lost the device: check that the YubiHSM is plugged in.'
            : `The YubiHSM connector refused the request (HTTP ${res.status}).`,
        );
      }
      return new Uint8Array(res.body);
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Reads /connector/status; requires a line exactly `status=OK` like libyubihsm. */
  async status(): Promise<ConnectorStatus> {
    const res = await httpExchange(this.agent, this.target, 'GET', '/connector/status', undefined, 10_000);
    const text = res.body.subarray(0, 256).toString('utf8');
    if (res.status !== 200 || text.includes('\0')) throw new YubiHsmError('CONNECTOR_UNREACHABLE');
    const fields: ConnectorStatus = { status: '' };
    for (const line of text.split('\n')) {
      const eq = line.indexOf('=');
      if (eq > 0) fields[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
    }
    return fields;
  }

  async close(): Promise<void> {
    this.agent.destroy();
  }
}

/** Opens the connector at `url` and checks its status page says `status=OK`. */
export async function connectHttp(url: string = DEFAULT_CONNECTOR_URL, opts: HttpTransportOptions = {}): Promise<HttpTransport> {
  const transport = new HttpTransport(url, opts);
  try {
    const status = await transport.status();
    if (status.status !== 'OK') {
      throw new YubiHsmError('DEVICE_NOT_FOUND', 'The YubiHSM connector is running but sees no YubiHSM: plug the device in.');
    }
  } catch (e) {
    await transport.close();
    throw e;
  }
  return transport;
}
