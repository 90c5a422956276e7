/** Inner commands about the device itself: ECHO, DEVICE_INFO, storage, random, options, reset, blink, close. */
import { randomBytes } from 'node:crypto';
import { ALGORITHM, AUDIT, CAPABILITY, COMMAND, ERROR, LOG_STORE_ENTRIES, MAX_OBJECTS, OPTION } from '../protocol/defs';
import { ByteReader } from '../protocol/bytes';
import { decodeSetOption, encodeCommandAudit, encodeDeviceInfo, encodeStorageInfo } from '../protocol/commands/core';
import { DeviceFault, InnerHandler, parsePayload, requireCapability } from './context';
import { objectBody } from './state';
import { DeviceState } from './state';
import { SimulatorFacts } from './context';
import { AuditLog } from './audit-log';
import { maxSessionPayload } from '../protocol/frame';

/** Algorithms the simulator offers, reported by DEVICE_INFO. */
export const SUPPORTED_ALGORITHMS: ALGORITHM[] = [
  ALGORITHM.RSA_PKCS1_SHA1,
  ALGORITHM.RSA_PKCS1_SHA256,
  ALGORITHM.RSA_PKCS1_SHA384,
  ALGORITHM.RSA_PKCS1_SHA512,
  ALGORITHM.RSA_PSS_SHA1,
  ALGORITHM.RSA_PSS_SHA256,
  ALGORITHM.RSA_PSS_SHA384,
  ALGORITHM.RSA_PSS_SHA512,
  ALGORITHM.RSA_2048,
  ALGORITHM.RSA_3072,
  ALGORITHM.RSA_4096,
  ALGORITHM.EC_P256,
  ALGORITHM.EC_P384,
  ALGORITHM.EC_P521,
  ALGORITHM.EC_K256,
  ALGORITHM.AES128_CCM_WRAP,
  ALGORITHM.RSA_MGF1_SHA1,
  ALGORITHM.RSA_MGF1_SHA256,
  ALGORITHM.RSA_MGF1_SHA384,
  ALGORITHM.RSA_MGF1_SHA512,
  ALGORITHM.AES128_YUBICO_AUTHENTICATION,
  ALGORITHM.AES192_CCM_WRAP,
  ALGORITHM.AES256_CCM_WRAP,
  ALGORITHM.EC_ECDSA_SHA256,
  ALGORITHM.EC_ECDSA_SHA384,
  ALGORITHM.EC_ECDSA_SHA512,
  ALGORITHM.EC_ED25519,
];

export const PART_NUMBER = 'SIMULATOR';

export function deviceInfoPayload(state: DeviceState, facts: SimulatorFacts, log: AuditLog, request: Uint8Array): Uint8Array {
  const page = request.length === 0 ? 0 : request.length === 1 ? request[0] : -1;
  if (page === 1 && (facts.version[0] > 2 || facts.version[1] >= 4)) return new TextEncoder().encode(PART_NUMBER);
  if (page !== 0) throw new DeviceFault(ERROR.INVALID_DATA);
  return encodeDeviceInfo({ version: facts.version, serial: state.serial, logTotal: LOG_STORE_ENTRIES, logUsed: log.used, algorithms: SUPPORTED_ALGORITHMS });
}

const PAGE_SIZE = 126;
const TOTAL_PAGES = 1024;

const echo: InnerHandler = (_ctx, payload) => payload;

const deviceInfo: InnerHandler = (ctx, payload) => deviceInfoPayload(ctx.state, ctx.facts, ctx.log, payload);

const closeSession: InnerHandler = (ctx, payload) => {
  if (payload.length !== 0) throw new DeviceFault(ERROR.WRONG_LENGTH);
  ctx.closeAfterReply = true;
  return new Uint8Array(0);
};

const storageInfo: InnerHandler = (ctx, payload) => {
  if (payload.length !== 0) throw new DeviceFault(ERROR.WRONG_LENGTH);
  const usedPages = ctx.state.objects.reduce((n, o) => n + Math.max(1, Math.ceil(objectBody(o).length / PAGE_SIZE)), 0);
  return encodeStorageInfo({
    totalRecords: MAX_OBJECTS,
    freeRecords: MAX_OBJECTS - ctx.state.objects.length,
    totalPages: TOTAL_PAGES,
    freePages: Math.max(0, TOTAL_PAGES - usedPages),
    pageSize: PAGE_SIZE,
  });
};

const pseudoRandom: InnerHandler = (ctx, payload) => {
  requireCapability(ctx, CAPABILITY.GET_PSEUDO_RANDOM);
  const length = parsePayload(() => {
    const r = new ByteReader(payload);
    const n = r.u16();
    r.end();
    return n;
  });
  if (length > maxSessionPayload(ctx.facts.maxMessage)) throw new DeviceFault(ERROR.INVALID_DATA);
  return new Uint8Array(randomBytes(length));
};

const blink: InnerHandler = (_ctx, payload) => {
  if (payload.length !== 1) throw new DeviceFault(ERROR.WRONG_LENGTH);
  return new Uint8Array(0);
};

const resetDevice: InnerHandler = (ctx, payload) => {
  requireCapability(ctx, CAPABILITY.RESET_DEVICE);
  if (payload.length !== 0) throw new DeviceFault(ERROR.WRONG_LENGTH);
  ctx.resetAfterReply = true;
  return new Uint8Array(0);
};

function validAudit(v: number): v is AUDIT {
  return v === AUDIT.OFF || v === AUDIT.ON || v === AUDIT.FIXED;
}

const setOption: InnerHandler = (ctx, payload) => {
  requireCapability(ctx, CAPABILITY.SET_OPTION);
  const { option, value } = parsePayload(() => decodeSetOption(payload));
  if (option === OPTION.FORCE_AUDIT) {
    if (value.length !== 1 || !validAudit(value[0])) throw new DeviceFault(ERROR.INVALID_DATA);
    if (ctx.state.forceAudit === AUDIT.FIXED && value[0] !== AUDIT.FIXED) throw new DeviceFault(ERROR.INVALID_DATA);
    ctx.state.forceAudit = value[0];
  } else if (option === OPTION.COMMAND_AUDIT) {
    if (value.length === 0 || value.length % 2 !== 0) throw new DeviceFault(ERROR.INVALID_DATA);
    for (let i = 0; i < value.length; i += 2) {
      const [cmd, audit] = [value[i], value[i + 1]];
      // yubihsm-shell refuses auditing SESSION_MESSAGE; the simulator refuses it too.
      if (!(cmd in ctx.state.commandAudit) || cmd === COMMAND.SESSION_MESSAGE || !validAudit(audit)) throw new DeviceFault(ERROR.INVALID_DATA);
      if (ctx.state.commandAudit[cmd] === AUDIT.FIXED && audit !== AUDIT.FIXED) throw new DeviceFault(ERROR.INVALID_DATA);
    }
    for (let i = 0; i < value.length; i += 2) ctx.state.commandAudit[value[i]] = value[i + 1];
  } else {
    throw new DeviceFault(ERROR.INVALID_DATA);
  }
  ctx.changed = true;
  return new Uint8Array(0);
};

const getOption: InnerHandler = (ctx, payload) => {
  requireCapability(ctx, CAPABILITY.GET_OPTION);
  if (payload.length !== 1) throw new DeviceFault(ERROR.WRONG_LENGTH);
  switch (payload[0]) {
    case OPTION.FORCE_AUDIT:
      return Uint8Array.of(ctx.state.forceAudit);
    case OPTION.COMMAND_AUDIT:
      return encodeCommandAudit(new Map(Object.entries(ctx.state.commandAudit).map(([k, v]) => [Number(k), v])));
    case OPTION.ALGORITHM_TOGGLE: {
      const out = new Uint8Array(SUPPORTED_ALGORITHMS.length * 2);
      SUPPORTED_ALGORITHMS.forEach((a, i) => {
        out[2 * i] = a;
        out[2 * i + 1] = 1;
      });
      return out;
    }
    default:
      throw new DeviceFault(ERROR.INVALID_DATA);
  }
};

export const CORE_HANDLERS: Partial<Record<COMMAND, InnerHandler>> = {
  [COMMAND.ECHO]: echo,
  [COMMAND.DEVICE_INFO]: deviceInfo,
  [COMMAND.CLOSE_SESSION]: closeSession,
  [COMMAND.GET_STORAGE_INFO]: storageInfo,
  [COMMAND.GET_PSEUDO_RANDOM]: pseudoRandom,
  [COMMAND.BLINK_DEVICE]: blink,
  [COMMAND.RESET_DEVICE]: resetDevice,
  [COMMAND.SET_OPTION]: setOption,
  [COMMAND.GET_OPTION]: getOption,
};
