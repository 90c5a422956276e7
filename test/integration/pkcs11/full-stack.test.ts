import { monitorEventLoopDelay } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCsr } from '../../../main/x509';
import type { DeviceHostClient } from '../../../main/devices/host-client';
import { startDeviceHost } from '../../fixtures/harness';
import { Pkcs11Client } from '../../../main/devices/pkcs11-client';
import { makeSoftHsm, type SoftHsm } from '../../fixtures/softhsm';
import { opensslVerifies, run, scratch } from './tools';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

// main -> device host (real child process) -> pkcs11js -> SoftHSM2. This process never loads pkcs11js.
let hsm: SoftHsm;
let host: DeviceHostClient;
let p11: Pkcs11Client;
let s: string;

beforeAll(async () => {
  hsm = await makeSoftHsm();
  await hsm.initToken('stack', '87654321', '123456');
  host = await startDeviceHost(hsm.env);
  p11 = new Pkcs11Client(host);
  await p11.loadModule(hsm.module);
  s = (await p11.openSession(hsm.module, { label: 'stack' })).sessionKey;
  await p11.login(s, 'USER', new TextEncoder().encode('123456'));
});
afterAll(async () => {
  await p11?.shutdown().catch(() => undefined);
  await host?.stop();
  await hsm?.cleanup();
});

describe('PKCS#11 through the device host', () => {
  it('carries typed errors across the process boundary', async () => {
    await expect(p11.loadModule('/lib/x86_64-linux-gnu/libz.so.1')).rejects.toMatchObject({ code: 'ModuleNotPkcs11' });
    const second = (await p11.openSession(hsm.module, { label: 'stack' })).sessionKey;
    await p11.logout(second);
    await expect(p11.login(second, 'USER', new TextEncoder().encode('000000'))).rejects.toMatchObject({
      code: 'PinIncorrect',
      details: { after: { countLow: true } },
    });
    await p11.login(second, 'USER', new TextEncoder().encode('123456'));
    await p11.closeSession(second);
  });

  it("keeps main's event loop responsive (p99 < 50 ms) while the host generates an RSA-4096 key", async () => {
    const histogram = monitorEventLoopDelay({ resolution: 5 });
    histogram.enable();
    const key = await p11.generateKey(s, { algorithm: 'RSA-4096', policy: 'signing', label: 'rsa4096' });
    histogram.disable();
    expect(key.publicKey?.bits).toBe(4096);
    const p99ms = histogram.percentile(99) / 1e6;
    expect(p99ms).toBeLessThan(50);
  });

  it('signs a CSR in the HSM through the host, and signs batches verifiable by openssl', async () => {
    const key = await p11.generateKey(s, { algorithm: 'EC-P256', policy: 'signing', label: 'stack-ec' });
    const csr = await createCsr({
      subject: 'CN=through the host',
      spki: key.publicKey!.spkiDer,
      algorithm: 'ECDSA-SHA256',
      sign: p11.signer(s, { label: 'stack-ec' }, 'ECDSA-SHA256'),
    });
    const dir = await scratch();
    await writeFile(join(dir, 'req.pem'), csr.pem);
    const req = await run('openssl', ['req', '-in', join(dir, 'req.pem'), '-verify', '-noout']);
    expect(req.stderr + req.stdout).toMatch(/verify OK/);
    const messages = Array.from({ length: 20 }, () => new Uint8Array(randomBytes(40)));
    const sigs = await p11.signBatch(s, { label: 'stack-ec' }, 'ECDSA-SHA256', messages);
    expect(sigs[7]).toBeInstanceOf(Uint8Array);
    expect(await opensslVerifies({ pem: key.publicKey!.spkiPem, data: messages[7], signature: sigs[7], algorithm: 'ECDSA-SHA256' })).toBe(true);
  });
});
