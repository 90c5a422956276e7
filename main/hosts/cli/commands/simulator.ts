import { serveSimulator } from '../../../../native/yubihsm';
import { parseOptions, UsageError, type CliCommand } from '../io';

/**
 * `custodian simulator yubihsm [--listen 127.0.0.1:12345] [--state <file>]`: the YubiHSM 2 simulator over the
 * connector's HTTP protocol, on loopback only, until interrupted. Ceremonies that address it by its URL are real
 * ceremonies (rehearsal is proven only for the built-in simulator named `simulator`).
 */
export const simulatorCommand: CliCommand = async (args, io) => {
  const [kind, ...rest] = args;
  if (kind !== 'yubihsm') throw new UsageError('Usage: custodian simulator yubihsm [--listen 127.0.0.1:12345] [--state <file>]');
  const { values } = parseOptions(rest, { values: ['listen', 'state'] });
  const [host, portText] = (values.listen ?? '127.0.0.1:12345').split(/:(?=\d+$)/);
  const port = Number(portText ?? '12345');
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--listen needs host:port, got ${values.listen}.`);
  const server = await serveSimulator({ host, port, stateFile: values.state });
  io.out(`YubiHSM 2 simulator serving the connector protocol at ${server.url}`);
  io.out('Addressed by this URL it counts as a real device: Custodian cannot prove what answers a connector URL (a rehearsal uses "simulator").');
  io.out(
    `serial ${server.simulator.serial}, firmware ${server.simulator.firmware.join('.')}${values.state ? `, state in ${values.state}` : ', state in memory only'}`,
  );
  io.out('Default auth key 1, password "password" (factory state). Ctrl+C to stop.');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
  return 0;
};
