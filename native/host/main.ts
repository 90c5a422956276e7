/**
 * Entry point of the device-host process: an Electron utilityProcess in the product, a Node child process under
 * the browser host, the CLI and the tests.
 */
import { createAllHandlers } from './registry';
import { serveHandlers } from './server';
import type { FromHost, ParentPort, ToHost } from './protocol';

interface ElectronParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}

function connectToParent(): ParentPort {
  const electronPort = (process as unknown as { parentPort?: ElectronParentPort }).parentPort;
  if (electronPort) {
    return {
      send: (message: FromHost) => electronPort.postMessage(message),
      onMessage: (listener) => electronPort.on('message', (event) => listener(event.data as ToHost)),
    };
  }
  if (!process.send) throw new Error('The device host must be started by Custodian (no parent channel).');
  return {
    send: (message: FromHost) => process.send!(message),
    onMessage: (listener) => process.on('message', (message) => listener(message as ToHost)),
  };
}

const port = connectToParent();
// The parent going away means nobody can use our answers: leave rather than linger holding the HSM.
process.on('disconnect', () => process.exit(0));
void createAllHandlers().then((handlers) => serveHandlers(port, handlers));
