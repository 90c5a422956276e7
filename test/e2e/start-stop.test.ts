import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, tempHome } from './helpers';

/** Every live process whose environment carries this test's own data folder: the app and everything it started. */
function processesOf(home: string): { pid: number; command: string }[] {
  const marker = `CUSTODIAN_HOME=${home}`;
  const found: { pid: number; command: string }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const environ = readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0');
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (!environ.includes(marker) || /\) Z /.test(stat)) continue; // zombies are already gone
      found.push({ pid: Number(entry), command: readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ').slice(0, 120) });
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}

async function until(condition: () => boolean, tries: number, ms: number): Promise<boolean> {
  for (let i = 0; i < tries; i++) {
    if (condition()) return true;
    await new Promise((r) => setTimeout(r, ms));
  }
  return condition();
}

describe('npm start and SIGTERM', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal} to npm start (browser host, headless): no process of the app remains — not the device host, not Chromium`, async () => {
      const home = tempHome(`stop-${signal.toLowerCase()}`);
      const ready = join(home, 'ready.json');
      const child = spawn('npm', ['start'], {
        cwd: ROOT,
        env: { ...process.env, CUSTODIAN_HOME: home, CUSTODIAN_HEADLESS: '1', CUSTODIAN_READY_FILE: ready, CUSTODIAN_FORCE_BROWSER_HOST: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true, // its own process group, as in a terminal
      });
      let output = '';
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
      const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
      expect(await until(() => existsSync(ready), 600, 200), output).toBe(true);
      // the device host (built: out/node/device-host.js) and Chromium are up once the app is ready, or soon after
      const isDeviceHost = (p: { command: string }) => /device-host\.js|native\/host/.test(p.command);
      const isChromium = (p: { command: string }) => /chrom/i.test(p.command);
      await until(() => processesOf(home).some(isDeviceHost) && processesOf(home).some(isChromium), 150, 200);
      const running = processesOf(home);
      expect(running.some(isDeviceHost), JSON.stringify(running)).toBe(true);
      expect(running.some(isChromium), JSON.stringify(running)).toBe(true);

      // Ctrl+C reaches the whole foreground process group; SIGTERM (a service manager, kill) only npm itself
      if (signal === 'SIGINT') process.kill(-child.pid!, 'SIGINT');
      else child.kill('SIGTERM');
      await exited;
      const gone = await until(() => processesOf(home).length === 0, 150, 200);
      expect(gone, `still running after ${signal}: ${JSON.stringify(processesOf(home))}\n${output}`).toBe(true);
    });
  }
});
