import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { connectHttp, YubiHsmClient } from '../../../native/yubihsm';
import { ROOT } from '../../e2e/helpers';

describe('custodian simulator yubihsm', () => {
  it('serves the connector protocol on loopback; a client opens a session with the factory key and echoes', async () => {
    const child = spawn(process.execPath, ['bin/custodian.js', 'simulator', 'yubihsm', '--listen', '127.0.0.1:0'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d) => {
          out += d;
          const m = /at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
          if (m) resolve(m[1]);
        });
        child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
      });
      const client = new YubiHsmClient(await connectHttp(url));
      const session = await client.openSession(1, 'password');
      const payload = new TextEncoder().encode('ceremony');
      expect(new TextDecoder().decode(await session.echo(payload))).toBe('ceremony');
      await session.close();
      await client.close();
    } finally {
      child.kill('SIGINT');
    }
    const code = await new Promise((resolve) => child.on('exit', resolve));
    // stopped by Ctrl+C: 128 + 2, as the CLI reports every command a signal stopped
    expect(code).toBe(130);
  });

  it('refuses a non-loopback listen address', async () => {
    const child = spawn(process.execPath, ['bin/custodian.js', 'simulator', 'yubihsm', '--listen', '192.0.2.10:12345'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(err).toContain('NOT_LOOPBACK');
  });
});
