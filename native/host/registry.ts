import type { HandlerTable } from './handlers';
import { createBuiltinHandlers } from './builtin';

/**
 * Every handler table the device host serves. This is the only place that loads vendor code (pkcs11js, usb,
 * the YubiHSM transports): main never imports them.
 */
export async function createAllHandlers(): Promise<HandlerTable> {
  const tables: HandlerTable[] = [createBuiltinHandlers()];
  const [pkcs11, usb, yubihsm] = await Promise.all([
    import('../pkcs11').catch(() => null),
    import('../usb').catch(() => null),
    import('../yubihsm').catch(() => null),
  ]);
  if (pkcs11?.createPkcs11Handlers) tables.push(pkcs11.createPkcs11Handlers());
  if (usb?.createUsbHandlers) tables.push(usb.createUsbHandlers());
  // The rehearsal YubiHSM simulator keeps its state beside the rehearsal token, so a rehearsal survives a restart.
  if (yubihsm?.createYubiHsmHandlers) tables.push(yubihsm.createYubiHsmHandlers({ simulatorStateFile: process.env.CUSTODIAN_YUBIHSM_SIMULATOR_STATE }));
  return Object.assign({}, ...tables);
}
