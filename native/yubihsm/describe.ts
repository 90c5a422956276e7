import { formatFirmware } from './protocol/commands/core';
import type { Transport, TransportKind } from './transport/types';
import { YubiHsmClient } from './client/client';

export interface YubiHsmDescription {
  serial: number;
  firmware: string;
  logUsed: number;
  logTotal: number;
  transport: TransportKind;
}

/** What the device panel shows: one plain DEVICE_INFO, no session and no secret needed. */
export async function describeDevice(transport: Transport): Promise<YubiHsmDescription> {
  const info = await new YubiHsmClient(transport).deviceInfo();
  return { serial: info.serial, firmware: formatFirmware(info.version), logUsed: info.logUsed, logTotal: info.logTotal, transport: transport.kind };
}
