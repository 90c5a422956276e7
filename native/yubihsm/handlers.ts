/** Device-host handlers for the YubiHSM ('yubihsm.*'). Parameters are validated here; results are plain data. */
import { HostError, type HandlerTable } from '../host';
import { YubiHsmError } from './protocol/errors';
import { describeDevice } from './describe';
import { connectHttp } from './transport/http';
import { MemoryTransport } from './transport/memory';
import { listUsbYubiHsms, openUsbYubiHsm, type UsbModuleLike } from './transport/usb';
import type { Transport } from './transport/types';
import { YubiHsmSimulator } from './simulator/simulator';

export interface YubiHsmHandlerOptions {
  /** The rehearsal simulator's state file; the simulator is made on first use. */
  simulatorStateFile?: string;
  /** For tests: a `usb` module stand-in. */
  usbModule?: UsbModuleLike;
  /** A simulator shared with other handler tables (the ceremony handlers), so one state file has one owner. */
  simulator?: () => YubiHsmSimulator;
}

function asHostError(e: unknown): never {
  if (e instanceof YubiHsmError) throw new HostError(e.code, e.message);
  throw e;
}

function optionalString(v: unknown, name: string): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v.length > 200) throw new HostError('INVALID_ARGUMENT', `${name} must be a text of at most 200 characters.`);
  return v;
}

export function createYubiHsmHandlers(opts: YubiHsmHandlerOptions = {}): HandlerTable {
  let simulator: YubiHsmSimulator | undefined;
  const getSimulator = opts.simulator ?? (() => (simulator ??= new YubiHsmSimulator({ stateFile: opts.simulatorStateFile })));

  async function openTransport(params: Record<string, unknown>): Promise<Transport> {
    if (params.simulator === true) return new MemoryTransport(getSimulator());
    const connector = optionalString(params.connector, 'connector');
    if (connector !== undefined) return connectHttp(connector, { allowNonLoopback: params.allowNonLoopback === true });
    if (params.usbSerial !== undefined) {
      if (!Number.isInteger(params.usbSerial)) throw new HostError('INVALID_ARGUMENT', 'usbSerial must be a whole number.');
      return openUsbYubiHsm(params.usbSerial as number, opts.usbModule);
    }
    throw new HostError('INVALID_ARGUMENT', 'Say which YubiHSM to describe: { connector }, { usbSerial } or { simulator: true }.');
  }

  return {
    /** { connector?: string, allowNonLoopback?: boolean } | { simulator: true } | { usbSerial: number } */
    'yubihsm.describe': async (params: unknown) => {
      const p = (params ?? {}) as Record<string, unknown>;
      let transport: Transport | undefined;
      try {
        transport = await openTransport(p);
        return await describeDevice(transport);
      } catch (e) {
        return asHostError(e);
      } finally {
        await transport?.close().catch(() => undefined);
      }
    },
    /** Never throws for a missing USB stack: returns { available: false, reason }. */
    'yubihsm.listUsb': async () => listUsbYubiHsms(opts.usbModule),
  };
}
