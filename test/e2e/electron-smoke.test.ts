import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, screenshotPath, tempHome } from '../fixtures/harness';

/** The Electron binary, when this machine has it (it cannot be downloaded in the sandbox Custodian is built in). */
function electronBinary(): string | null {
  try {
    const require = createRequire(import.meta.url);
    const binary = readFileSync(require.resolve('electron/path.txt'), 'utf8').trim();
    const full = join(ROOT, 'node_modules', 'electron', 'dist', binary);
    return existsSync(full) ? full : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
if (!binary) console.log('Electron smoke test skipped: the Electron binary is not installed on this machine (node_modules/electron/dist).');

describe.skipIf(!binary)('the Electron product', () => {
  it('opens one sandboxed window on app:// that lists the rehearsal token and never navigates away', async () => {
    const { _electron } = await import('playwright-core');
    const { spawnSync } = await import('node:child_process');
    expect(spawnSync('npx', ['electron-vite', 'build'], { cwd: ROOT, stdio: 'inherit' }).status).toBe(0);
    const app = await _electron.launch({
      executablePath: binary!,
      args: [ROOT, '--no-sandbox'],
      env: { ...process.env, CUSTODIAN_HOME: tempHome('electron') },
    });
    try {
      const window = await app.firstWindow();
      expect(window.url()).toMatch(/^app:\/\/custodian\//);
      await window.locator('[data-testid="token"]').first().waitFor({ timeout: 60_000 });
      expect(await window.evaluate(() => typeof (globalThis as unknown as { require?: unknown }).require)).toBe('undefined');
      await window.evaluate(() => {
        globalThis.location.href = 'https://example.com/';
      });
      await window.waitForTimeout(500);
      expect(window.url()).toMatch(/^app:\/\/custodian\//);
      expect(app.windows()).toHaveLength(1);
      await window.screenshot({ path: screenshotPath('electron-home') });
    } finally {
      await app.close();
    }
  });
});
