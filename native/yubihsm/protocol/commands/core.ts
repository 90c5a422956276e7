/** Device-level commands: ECHO, DEVICE_INFO, sessions, storage, random, options, reset, blink. */
import { ByteReader, concatBytes, readWhole, u16, u8 } from '../bytes';
import { ALGORITHM, AUDIT, OPTION } from '../defs';

export interface DeviceInfo {
  version: [number, number, number];
  serial: number;
  logTotal: number;
  logUsed: number;
  algorithms: ALGORITHM[];
}

export function formatFirmware(v: [number, number, number]): string {
  return v.join('.');
}

/** DEVICE_INFO request: page 0 is empty (what every Yubico host sends), page 1 is `01`. */
export function encodeDeviceInfoRequest(page: 0 | 1 = 0): Uint8Array {
  return page === 0 ? new Uint8Array(0) : Uint8Array.of(1);
}

export function encodeDeviceInfo(info: DeviceInfo): Uint8Array {
  const serial = Uint8Array.of(info.serial >>> 24, info.serial >>> 16, info.serial >>> 8, info.serial);
  return concatBytes(Uint8Array.from(info.version), serial, Uint8Array.of(info.logTotal, info.logUsed), Uint8Array.from(info.algorithms));
}

export function decodeDeviceInfo(payload: Uint8Array): DeviceInfo {
  const r = new ByteReader(payload);
  const version: [number, number, number] = [r.u8(), r.u8(), r.u8()];
  const serial = r.u32();
  const logTotal = r.u8();
  const logUsed = r.u8();
  return { version, serial, logTotal, logUsed, algorithms: Array.from(r.rest()) as ALGORITHM[] };
}

/** DEVICE_INFO page 1 (FW ≥ 2.4): the part number as text. */
export function decodePartNumber(payload: Uint8Array): string {
  return new TextDecoder().decode(payload).replace(/\0+$/, '');
}

export function encodeCreateSession(authKeyId: number, hostChallenge: Uint8Array): Uint8Array {
  if (hostChallenge.length !== 8) throw new RangeError('The host challenge is 8 bytes.');
  return concatBytes(u16(authKeyId), hostChallenge);
}

export function decodeCreateSessionRequest(payload: Uint8Array): { authKeyId: number; hostChallenge: Uint8Array } {
  const r = new ByteReader(payload);
  const authKeyId = r.u16();
  const hostChallenge = r.take(8);
  r.end();
  return { authKeyId, hostChallenge };
}

export interface CreateSessionResponse {
  sessionId: number;
  cardChallenge: Uint8Array;
  cardCryptogram: Uint8Array;
}

export function encodeCreateSessionResponse(res: CreateSessionResponse): Uint8Array {
  return concatBytes(u8(res.sessionId), res.cardChallenge, res.cardCryptogram);
}

export function decodeCreateSessionResponse(payload: Uint8Array): CreateSessionResponse {
  return readWhole(payload, (r) => ({ sessionId: r.u8(), cardChallenge: r.take(8).slice(), cardCryptogram: r.take(8).slice() }));
}

export interface StorageInfo {
  totalRecords: number;
  freeRecords: number;
  totalPages: number;
  freePages: number;
  pageSize: number;
}

export function encodeStorageInfo(s: StorageInfo): Uint8Array {
  return concatBytes(u16(s.totalRecords), u16(s.freeRecords), u16(s.totalPages), u16(s.freePages), u16(s.pageSize));
}

export function decodeStorageInfo(payload: Uint8Array): StorageInfo {
  return readWhole(payload, (r) => ({ totalRecords: r.u16(), freeRecords: r.u16(), totalPages: r.u16(), freePages: r.u16(), pageSize: r.u16() }));
}

export function encodePseudoRandomRequest(length: number): Uint8Array {
  return u16(length);
}

export function encodeBlink(seconds: number): Uint8Array {
  return u8(seconds);
}

export function encodeSetOption(option: OPTION, value: Uint8Array): Uint8Array {
  return concatBytes(u8(option), u16(value.length), value);
}

export function decodeSetOption(payload: Uint8Array): { option: number; value: Uint8Array } {
  const r = new ByteReader(payload);
  const option = r.u8();
  const value = r.take(r.u16());
  r.end();
  return { option, value };
}

/** COMMAND_AUDIT values are pairs CMD(1) AUDIT(1). */
export function encodeCommandAudit(settings: Map<number, AUDIT>): Uint8Array {
  const out = new Uint8Array(settings.size * 2);
  let i = 0;
  for (const [command, audit] of settings) {
    out[i++] = command;
    out[i++] = audit;
  }
  return out;
}

export function decodeCommandAudit(value: Uint8Array): Map<number, AUDIT> {
  if (value.length % 2 !== 0) throw new RangeError('Command audit settings come in pairs.');
  const out = new Map<number, AUDIT>();
  for (let i = 0; i < value.length; i += 2) out.set(value[i], value[i + 1] as AUDIT);
  return out;
}
