import { fork, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../fixtures/harness';

describe('the Electron product build (electron-vite, no Electron binary needed)', () => {
  it('builds main, the device host, a single-file preload and the renderer; the built device host answers over IPC', async () => {
    const build = spawnSync(join(ROOT, 'node_modules/.bin/electron-vite'), ['build'], { cwd: ROOT, encoding: 'utf8' });
    expect(build.status, build.stderr).toBe(0);
    for (const file of ['out/main/index.js', 'out/main/device-host.js', 'out/preload/index.cjs', 'out/renderer/index.html']) {
      expect(existsSync(join(ROOT, file)), file).toBe(true);
    }
    // The sandboxed preload may require nothing but electron.
    const preload = readFileSync(join(ROOT, 'out/preload/index.cjs'), 'utf8');
    expect([...preload.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1])).toEqual(['electron']);
    // The renderer bundle carries the CSP and no Node built-ins.
    expect(readFileSync(join(ROOT, 'out/renderer/index.html'), 'utf8')).toContain("script-src 'self'");

    // The bundled device host runs as a plain Node child (as a utilityProcess it gets a parentPort instead).
    const host = fork(join(ROOT, 'out/main/device-host.js'), [], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    try {
      const ready = await new Promise<{ t: string; methods: string[] }>((resolve, reject) => {
        host.once('message', (m) => resolve(m as { t: string; methods: string[] }));
        host.once('exit', (code) => reject(new Error(`device host exited ${code}`)));
      });
      expect(ready.t).toBe('ready');
      expect(ready.methods).toEqual(expect.arrayContaining(['host.ping', 'pkcs11.listTokens', 'usb.list', 'yubihsm.describe']));
      host.send({ t: 'call', id: 1, method: 'host.ping', params: null });
      const reply = await new Promise((resolve) => host.once('message', resolve));
      expect(reply).toEqual({ t: 'result', id: 1, ok: true, value: 'pong' });
    } finally {
      host.kill();
    }
  });
});
