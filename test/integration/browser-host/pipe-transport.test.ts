import { mkdtempSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPipeBrowserHost, type PipeBrowserHost } from '../../../main/hosts/browser';

/** The process and its descendants (Chromium's renderers, GPU and utility processes). */
function processTree(root: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) for (const [pid, ppid] of parents) if (ppid === tree[i]) tree.push(pid);
  return tree;
}

/** The socket inodes the processes hold open. */
function socketInodes(pids: number[]): Set<string> {
  const inodes = new Set<string>();
  for (const pid of pids) {
    let fds: string[] = [];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m) inodes.add(m[1]);
      } catch {
        // closed meanwhile
      }
    }
  }
  return inodes;
}

/** Inodes of the TCP sockets listening on this machine (state 0A in /proc/net/tcp and tcp6). */
function listeningTcpInodes(): Set<string> {
  const inodes = new Set<string>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols[3] === '0A') inodes.add(cols[9]);
    }
  }
  return inodes;
}

// npm start's transport: Chromium driven over --remote-debugging-pipe by our own DevTools client, no playwright.
describe('the browser host over the DevTools pipe', () => {
  let host: PipeBrowserHost;
  let server: Server;
  let serverHits = 0;
  let serverUrl = '';
  beforeAll(async () => {
    server = createServer((_req, res) => {
      serverHits++;
      res.end('reached');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    serverUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
    host = await startPipeBrowserHost({ dataDir: mkdtempSync(join(tmpdir(), 'custodian-pipe-')), headless: true });
  }, 120_000);
  afterAll(async () => {
    await host?.close();
    server?.close();
  });

  it('shows the Home screen with the real rehearsal token (from SoftHSM2, through the device host)', async () => {
    await host.page.locator('[data-testid="token"]').first().waitFor({ timeout: 60_000 });
    // the app's description (with the PINs) and the device list are asked at once and may arrive in either order
    await host.page.locator('[data-testid="rehearsal-pins"]').first().waitFor({ timeout: 60_000 });
    const text = await host.page.locator('body').innerText();
    expect(text).toContain('Custodian Rehearsal');
    expect(text).toContain(host.context.rehearsal!.pins.user); // the PINs this data folder's token was made with
  });

  it('answers a window.custodian call through the router, and refuses a call from a frame inside the page', async () => {
    const info = (await host.page.evaluate('window.custodian.settings.get()')) as { ok?: boolean; value?: unknown } | Record<string, unknown>;
    expect(JSON.stringify(info)).toContain('modules');
    const fromFrame = await host.page.evaluate(`new Promise((resolve) => {
      const f = document.createElement('iframe'); f.srcdoc = '<p>x</p>';
      f.onload = () => f.contentWindow.__custodianInvoke('settings.get', undefined).then(resolve, (e) => resolve(String(e)));
      document.body.append(f);
    })`);
    expect(JSON.stringify(fromFrame)).toContain('ForbiddenFrame');
  });

  it('listens on no TCP port (no --remote-debugging-port: the pipe only)', () => {
    const tree = processTree(host.chromiumPid);
    expect(tree.length).toBeGreaterThan(1);
    const cmdline = readFileSync(`/proc/${host.chromiumPid}/cmdline`, 'utf8').split('\0');
    expect(cmdline).toContain('--remote-debugging-pipe');
    expect(cmdline.some((a) => a.startsWith('--remote-debugging-port'))).toBe(false);
    const listening = listeningTcpInodes();
    expect([...socketInodes(tree)].filter((inode) => listening.has(inode))).toEqual([]);
  });
  // Last: it navigates the page away. (A fetch from the page is stopped by its CSP already; a navigation is not.)
  it('aborts every request off its made-up origin: a server on this machine is never reached', async () => {
    const result = await host.page.evaluate(`fetch(${JSON.stringify(serverUrl)}).then(() => 'loaded', (e) => 'refused: ' + e.message)`);
    expect(result).toMatch(/^refused/);
    await expect(host.page.goto(serverUrl)).rejects.toThrow(/ERR_BLOCKED_BY_CLIENT/);
    expect(serverHits).toBe(0);
  });
});
