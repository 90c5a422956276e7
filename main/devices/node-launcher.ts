import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { HostLauncher, HostProcess } from './host-client';

const HOST_ENTRY = fileURLToPath(new URL('../../native/host/main.ts', import.meta.url));

/**
 * Starts the device host as a Node child process (browser host, CLI, tests). The Electron product uses a
 * utilityProcess instead (main/app/device-host.ts). `env` carries SOFTHSM2_CONF and similar settings that must be
 * in place before a vendor library is loaded.
 */
export function nodeHostLauncher(env: NodeJS.ProcessEnv = process.env): HostLauncher {
  return (): HostProcess => {
    const child = fork(HOST_ENTRY, [], {
      env,
      execArgv: ['--import', 'tsx'],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return {
      pid: child.pid,
      send: (message) => {
        // A host that has just died must fail the call now, not leave it to its timeout.
        if (!child.connected) throw new Error('The device host is not connected.');
        child.send(message);
      },
      onMessage: (listener) => child.on('message', (m) => listener(m as never)),
      onExit: (listener) => child.once('exit', (code, signal) => listener(code, signal)),
      kill: () => child.kill('SIGKILL'),
    };
  };
}
