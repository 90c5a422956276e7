import { describe, expect, it } from 'vitest';
import { connectHttp, YubiHsmClient } from '../../../native/yubihsm';
import { servedSimulator, spawnCli } from '../../fixtures/harness';

describe('custodian simulator yubihsm', () => {
  it('serves the connector protocol on loopback; a client opens a session with the factory key and echoes', async () => {
    const simulator = await servedSimulator();
    let code: number | null = null;
    try {
      const client = new YubiHsmClient(await connectHttp(simulator.url));
      const session = await client.openSession(1, 'password');
      const payload = new TextEncoder().encode('ceremony');
      expect(new TextDecoder().decode(await session.echo(payload))).toBe('ceremony');
      await session.close();
      await client.close();
    } finally {
      code = await simulator.stop();
    }
    // stopped by Ctrl+C: 128 + 2, as the CLI reports every command a signal stopped
    expect(code).toBe(130);
  });

  it('refuses a non-loopback listen address', async () => {
    const child = spawnCli(['simulator', 'yubihsm', '--listen', '192.0.2.10:12345']);
    let err = '';
    child.stderr!.on('data', (d) => (err += d));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(err).toContain('NOT_LOOPBACK');
  });
});
