import type { ElectronApi } from './electron-types';
import type { HostLauncher, HostProcess } from '../devices';

/** Under Electron the device host is a utilityProcess: its own process, no renderer, killed with the app. */
export function utilityProcessLauncher(electron: Pick<ElectronApi, 'utilityProcess'>, entry: string, env: NodeJS.ProcessEnv): HostLauncher {
  return (): HostProcess => {
    const child = electron.utilityProcess.fork(entry, [], { env, serviceName: 'Custodian device host', stdio: 'inherit' });
    return {
      get pid() {
        return child.pid;
      },
      send: (message) => child.postMessage(message),
      onMessage: (listener) => child.on('message', (message: unknown) => listener(message as never)),
      onExit: (listener) => child.once('exit', (code: number) => listener(code, null)),
      kill: () => void child.kill(),
    };
  };
}
