import { readdirSync, readFileSync } from 'node:fs';

/**
 * Kills (SIGKILL) this process's direct children whose command name matches, e.g. the Chromium Playwright started
 * when it did not close when asked. Reads /proc (Linux); elsewhere it finds nothing and does nothing.
 */
export function killChildProcesses(name: RegExp): number {
  let killed = 0;
  let entries: string[] = [];
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return 0;
  }
  for (const entry of entries) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid …: comm may hold spaces, so read after the last ")"
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === process.pid && name.test(comm)) {
        process.kill(Number(entry), 'SIGKILL');
        killed++;
      }
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return killed;
}
