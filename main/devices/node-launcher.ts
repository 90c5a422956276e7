import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { HostLauncher, HostProcess } from './host-client';

/**
 * The device host's built entry. A bundle (out/node/*.js) finds it beside itself; source run by vitest finds the
 * checkout's out/node, which `node scripts/build.js` makes (the test run's global setup builds it once, and
 * bin/custodian.js and `npm start` rebuild it when a source file is newer). Never TypeScript through a loader.
 */
export function deviceHostEntry(): string {
  const fromSource = import.meta.url.endsWith('.ts');
  const entry = fileURLToPath(new URL(fromSource ? '../../out/node/device-host.js' : './device-host.js', import.meta.url));
  if (!existsSync(entry)) throw new Error(`The device host is not built (${entry} is missing): run node scripts/build.js node.`);
  return entry;
}

/**
 * Starts the device host as a Node child process (browser host, CLI, tests). The Electron product uses a
 * utilityProcess instead (main/app/device-host.ts). `env` carries SOFTHSM2_CONF and similar settings that must be
 * in place before a vendor library is loaded.
 */
export function nodeHostLauncher(env: NodeJS.ProcessEnv = process.env): HostLauncher {
  const entry = deviceHostEntry();
  return (): HostProcess => {
    const child = fork(entry, [], {
      env,
      execArgv: [],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return {
      pid: child.pid,
      send: (message) => {
        // A host that has just died must fail the call now, not leave it to its timeout.
        if (!child.connected) throw new Error('The device host is not connected.');
        // A host dying while the message is written fails it here (EPIPE), not as an uncaught 'error' event: the
        // host's exit, which follows, fails the call as HostLost and starts the new host.
        child.send(message, (error) => void error);
      },
      onMessage: (listener) => child.on('message', (m) => listener(m as never)),
      onExit: (listener) => child.once('exit', (code, signal) => listener(code, signal)),
      kill: () => child.kill('SIGKILL'),
    };
  };
}
