import type { HandlerTable } from './handlers';
import { createBuiltinHandlers } from './builtin';
import { createPkcs11Handlers } from '../pkcs11';
import { createUsbHandlers } from '../usb';
import { createYubiHsmCeremonyHandlers, createYubiHsmHandlers, YubiHsmSimulator } from '../yubihsm';

/**
 * Every handler table the device host serves. This is the only place that loads vendor code (pkcs11js, usb,
 * the YubiHSM transports): main never imports them.
 */
export async function createAllHandlers(): Promise<HandlerTable> {
  // The rehearsal YubiHSM simulator keeps its state beside the rehearsal token, so a rehearsal survives a restart.
  // One simulator for both YubiHSM tables (device panel and ceremonies): two would overwrite each other's state file.
  let simulator: YubiHsmSimulator | undefined;
  const sharedSimulator = () => (simulator ??= new YubiHsmSimulator({ stateFile: process.env.CUSTODIAN_YUBIHSM_SIMULATOR_STATE }));
  return Object.assign(
    {},
    createBuiltinHandlers(),
    createPkcs11Handlers(),
    createUsbHandlers(),
    createYubiHsmHandlers({ simulator: sharedSimulator }),
    createYubiHsmCeremonyHandlers({ simulator: sharedSimulator }),
  );
}
