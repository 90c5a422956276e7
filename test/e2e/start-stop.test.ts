import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnApp, tempHome } from '../fixtures/harness';

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

/** The pid of the process whose command line ends with this (the npm start's node scripts/start.js), or null. */
function pidRunning(home: string, command: RegExp): number | null {
  return processesOf(home).find((p) => command.test(p.command))?.pid ?? null;
}

type Level = 'npm' | 'scripts/start.js' | 'host';

function start(level: Level, home: string, extra: NodeJS.ProcessEnv = {}) {
  return spawnApp(level, home, { CUSTODIAN_FORCE_BROWSER_HOST: '1', ...extra }, { detached: true });
}

const isDeviceHost = (p: { command: string }) => /device-host\.js|native\/host/.test(p.command);
const isChromium = (p: { command: string }) => /chrom/i.test(p.command);

// A signal to one process of the three (npm, scripts/start.js, or the host run alone) — not to the process group, as
// `kill <pid>` or a service manager sends it: within 5 s (25 polls of 200 ms) nothing of the app runs and it said so.
describe('npm start stops on a signal at any level', () => {
  for (const level of ['npm', 'scripts/start.js', 'host'] as const) {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      it(`${signal} to ${level}: Chromium, the device host and the app stop, with one line "Custodian stopped"`, async () => {
        const home = tempHome(`stop-${signal.toLowerCase()}`);
        const ready = join(home, 'ready.json');
        const { child, said, exited } = start(level, home, { CUSTODIAN_READY_FILE: ready });
        expect(await until(() => existsSync(ready), 600, 200), said.out + said.err).toBe(true);
        await until(() => processesOf(home).some(isDeviceHost) && processesOf(home).some(isChromium), 150, 200);
        const running = processesOf(home);
        expect(running.some(isDeviceHost), JSON.stringify(running)).toBe(true);
        expect(running.some(isChromium), JSON.stringify(running)).toBe(true);

        const target = level === 'scripts/start.js' ? pidRunning(home, /^node scripts\/start\.js/) : child.pid!;
        expect(target).toBeGreaterThan(0);
        process.kill(target!, signal);
        const gone = await until(() => processesOf(home).length === 0, 25, 200);
        expect(gone, `still running after ${signal}: ${JSON.stringify(processesOf(home))}\n${said.out}${said.err}`).toBe(true);
        await exited;
        expect(
          said.out.split('\n').filter((line) => line === 'Custodian stopped'),
          said.out + said.err,
        ).toHaveLength(1);
      });
    }
  }
});

// Each refused before anything is made: one line saying the cause and what to do, a non-zero exit, no process left.
describe('npm start on bad input', () => {
  const refused = async (home: string, extra: NodeJS.ProcessEnv = {}) => {
    const { said, exited } = start('scripts/start.js', home, extra);
    const code = await exited;
    expect(await until(() => processesOf(home).length === 0, 25, 200), JSON.stringify(processesOf(home))).toBe(true);
    const lines = said.err
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('Custodian could not start'));
    expect(lines, said.err).toHaveLength(1);
    return { code, line: lines[0] };
  };

  it('a missing Chromium', async () => {
    const home = join(tempHome('no-chromium'), 'data');
    const { code, line } = await refused(home, { CUSTODIAN_CHROMIUM: '/nonexistent/chromium' });
    expect(code).not.toBe(0);
    expect(line).toMatch(/Chromium was not found at \/nonexistent\/chromium: install it .*CUSTODIAN_CHROMIUM/);
    expect(existsSync(home)).toBe(false);
  });

  it('a data folder that cannot be written (under a file; as root, permission bits do not bite)', async () => {
    const parent = tempHome('not-writable');
    writeFileSync(join(parent, 'a-file'), '');
    const home = join(parent, 'a-file', 'data');
    const { code, line } = await refused(home);
    expect(code).not.toBe(0);
    expect(line).toMatch(/data folder .* cannot be made: .*a-file is a file, not a folder; choose another data folder with CUSTODIAN_HOME/);
    if (process.getuid?.() !== 0) {
      const locked = tempHome('read-only');
      chmodSync(locked, 0o500);
      const second = await refused(locked);
      expect(second.line).toMatch(/is not writable/);
      expect(readdirSync(locked)).toEqual([]);
    }
  });

  it('a second npm start on the same data folder', async () => {
    const home = tempHome('second-start');
    const ready = join(home, 'ready.json');
    const first = start('scripts/start.js', home, { CUSTODIAN_READY_FILE: ready });
    expect(await until(() => existsSync(ready), 600, 200), first.said.out + first.said.err).toBe(true);
    await until(() => existsSync(`${ready}.png`), 150, 200); // the first start's last file
    const before = readdirSync(home).sort();
    const { said, exited } = start('scripts/start.js', home);
    const code = await exited;
    expect(code).not.toBe(0);
    expect(said.err).toMatch(new RegExp(`already running on the data folder .* \\(process ${first.child.pid}\\): use that one, stop it`));
    expect(readdirSync(home).sort()).toEqual(before);
    first.child.kill('SIGTERM');
    await first.exited;
    expect(await until(() => processesOf(home).length === 0, 25, 200)).toBe(true);
    expect(existsSync(join(home, 'custodian.lock'))).toBe(false);
  });
});

// Headless, nobody sees the Home screen: the terminal says what to do and shows the PINs, and only that counts as seen.
describe('a headless npm start guides', () => {
  it('says no window can be shown and what to do, prints the rehearsal PINs, and only then records them as seen', async () => {
    const home = tempHome('headless-guide');
    const ready = join(home, 'ready.json');
    // with the ready file (the tests' mode) the Home screen renders headless and the terminal shows no guide
    const quiet = start('host', home, { CUSTODIAN_READY_FILE: ready, CUSTODIAN_EXIT_WHEN_READY: '1' });
    await quiet.exited;
    const settings = join(home, 'settings.json');
    expect(existsSync(settings) && JSON.parse(readFileSync(settings, 'utf8')).rehearsalPinsAcknowledged).toBe(false);

    const { child, said, exited } = start('npm', home);
    expect(await until(() => said.out.includes('Ctrl+C stops it'), 600, 200), said.out + said.err).toBe(true);
    const pins = JSON.parse(readFileSync(join(home, 'rehearsal', 'rehearsal-pins.json'), 'utf8'));
    expect(said.out).toContain('Custodian cannot show its window');
    expect(said.out).toContain('xvfb-run -a npm start');
    expect(said.out).toContain('node bin/custodian.js templates');
    expect(said.out).toMatch(/rehearsal values only, never use them on a real HSM/);
    expect(said.out).toContain(`SO-PIN ${pins.so}   User PIN ${pins.user}`);
    expect(await until(() => /"rehearsalPinsAcknowledged": true/.test(readFileSync(settings, 'utf8')), 50, 200)).toBe(true);
    child.kill('SIGTERM');
    await exited;

    const again = start('npm', home);
    expect(await until(() => again.said.out.includes('Ctrl+C stops it'), 600, 200)).toBe(true);
    expect(again.said.out).not.toContain(pins.user); // seen once
    again.child.kill('SIGTERM');
    await again.exited;
  });
});
