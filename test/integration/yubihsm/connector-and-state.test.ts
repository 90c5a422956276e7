import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ALGORITHM,
  OBJECT,
  YubiHsmClient,
  YubiHsmError,
  YubiHsmSimulator,
  MemoryTransport,
  connectHttp,
  createYubiHsmHandlers,
  describeDevice,
  serveSimulator,
  type SimulatorServer,
} from '../../../native/yubihsm';

function raw(url: string, method: string, path: string, body?: Buffer): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, method, path, headers: body ? { 'Content-Length': body.length } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('simulator served as yubihsm-connector on 127.0.0.1', () => {
  let server: SimulatorServer;
  beforeAll(async () => {
    server = await serveSimulator({ port: 0 });
  });
  afterAll(async () => server.close());

  it('answers the status page with a status=OK line', async () => {
    const res = await raw(server.url, 'GET', '/connector/status');
    expect(res.status).toBe(200);
    const lines = res.body.toString().split('\n');
    expect(lines).toContain('status=OK');
    expect(lines).toContain(`port=${server.port}`);
    expect(res.body.includes(0)).toBe(false);
  });

  it('follows the connector’s HTTP rules: 405 with Allow, 400 for bad lengths, raw frames on 200', async () => {
    const wrongMethod = await raw(server.url, 'GET', '/connector/api');
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.allow).toBe('POST');
    expect((await raw(server.url, 'POST', '/connector/status', Buffer.from('x'))).status).toBe(405);
    expect((await raw(server.url, 'POST', '/connector/api', Buffer.from([1, 0]))).status).toBe(400);
    expect((await raw(server.url, 'POST', '/connector/api', Buffer.alloc(3140))).status).toBe(400);
    const echo = await raw(server.url, 'POST', '/connector/api', Buffer.from([1, 0, 2, 0xaa, 0xbb]));
    expect([...echo.body]).toEqual([0x81, 0, 2, 0xaa, 0xbb]);
    const wrongLength = await raw(server.url, 'POST', '/connector/api', Buffer.from([1, 0, 5, 0xaa]));
    expect([...wrongLength.body]).toEqual([0x7f, 0, 1, 0x08]);
  });

  it('describes the device for the device panel', async () => {
    const t = await connectHttp(server.url);
    expect(await describeDevice(t)).toEqual({ serial: server.simulator.serial, firmware: '2.4.0', logUsed: 2, logTotal: 62, transport: 'http' });
    await t.close();
  });

  it('refuses non-loopback addresses unless explicitly allowed', async () => {
    await expect(serveSimulator({ host: '0.0.0.0' })).rejects.toMatchObject({ code: 'NOT_LOOPBACK' });
    await expect(serveSimulator({ host: '192.168.1.10' })).rejects.toMatchObject({ code: 'NOT_LOOPBACK' });
    await expect(connectHttp('http://192.168.1.10:12345')).rejects.toMatchObject({ code: 'NOT_LOOPBACK' });
    await expect(connectHttp('http://example.org:12345')).rejects.toMatchObject({ code: 'NOT_LOOPBACK' });
    await expect(connectHttp('ftp://127.0.0.1')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('reports an unreachable connector as a typed error', async () => {
    const closed = await serveSimulator({ port: 0 });
    await closed.close();
    await expect(connectHttp(closed.url)).rejects.toSatisfy((e: unknown) => e instanceof YubiHsmError && e.code === 'CONNECTOR_UNREACHABLE');
  });
});

describe('simulator state file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'yhsm-state-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps objects and the log across a restart, which logs a boot line', async () => {
    const stateFile = join(dir, 'device.json');
    const first = new YubiHsmSimulator({ stateFile, serial: 4242 });
    const c1 = new YubiHsmClient(new MemoryTransport(first), { keepAliveMs: 0 });
    const s = await c1.openSession(1, 'password');
    const id = await s.generateAsymmetricKey({ id: 0, label: 'kept', domains: 1, capabilities: 0n, algorithm: ALGORITHM.EC_P256 });
    const pub = await s.getPublicKey(id);
    await s.close();
    expect(statSync(stateFile).mode & 0o077).toBe(0);

    const second = new YubiHsmSimulator({ stateFile });
    expect(second.serial).toBe(4242);
    const c2 = new YubiHsmClient(new MemoryTransport(second), { keepAliveMs: 0 });
    const s2 = await c2.openSession(1, 'password');
    expect((await s2.getObjectInfo(id, OBJECT.ASYMMETRIC_KEY)).label).toBe('kept');
    expect(Buffer.from((await s2.getPublicKey(id)).key).equals(Buffer.from(pub.key))).toBe(true);
    const log = await s2.getVerifiedLogEntries();
    expect(log.entries.map((e) => e.command)).toEqual([0xff, 0x00, 0x00]);
    await s2.close();
  });
});

describe('device-host handlers', () => {
  it('describes the simulator and a connector, and lists USB without crashing', async () => {
    const handlers = createYubiHsmHandlers();
    const ctx = { signal: new AbortController().signal, emit: () => undefined };
    const sim = (await handlers['yubihsm.describe']({ simulator: true }, ctx)) as { transport: string; logTotal: number };
    expect(sim).toMatchObject({ transport: 'simulator', firmware: '2.4.0', logTotal: 62 });
    const server = await serveSimulator({});
    try {
      expect(await handlers['yubihsm.describe']({ connector: server.url }, ctx)).toMatchObject({ transport: 'http', serial: server.simulator.serial });
    } finally {
      await server.close();
    }
    await expect(Promise.resolve(handlers['yubihsm.describe']({ connector: 'http://10.1.2.3:12345' }, ctx))).rejects.toMatchObject({
      name: 'HostError',
      code: 'NOT_LOOPBACK',
    });
    await expect(Promise.resolve(handlers['yubihsm.describe']({}, ctx))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    const usb = (await handlers['yubihsm.listUsb']({}, ctx)) as { available: boolean; reason?: string };
    expect(typeof usb.available).toBe('boolean');
    if (!usb.available) expect(usb.reason).toMatch(/USB/);
  });
});
