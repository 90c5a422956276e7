/** What an inner-command handler sees, and the authorization rules every handler shares (SIMULATOR.md §5). */
import { CAPABILITY, ERROR, MAX_OBJECTS, OBJECT } from '../protocol/defs';
import { capabilitiesWithin, hasCapability } from '../protocol/capabilities';
import { ObjectHeader } from '../protocol/commands/objects';
import { CardSession } from './sessions';
import { DeviceState, StoredObject, objectKey } from './state';
import { AuditLog } from './audit-log';
import type { AttestationPki } from './attestation-pki';

/** A refusal the device reports as `7f 0001 <code>`. */
export class DeviceFault extends Error {
  constructor(readonly error: ERROR) {
    super(ERROR[error]);
  }
}

export interface SimulatorFacts {
  version: [number, number, number];
  maxMessage: number;
}

export interface CommandContext {
  state: DeviceState;
  session: CardSession;
  log: AuditLog;
  facts: SimulatorFacts;
  now(): number;
  /** The device's attestation key and certificate (made on first use). */
  attestationPki(): AttestationPki;
  /** Objects touched, for the audit log line (0xffff = none). */
  target: number;
  second: number;
  /** Set by handlers that change persistent state. */
  changed: boolean;
  /** Set by RESET_DEVICE: the device resets after answering. */
  resetAfterReply: boolean;
  /** Set by CLOSE_SESSION. */
  closeAfterReply: boolean;
}

export type InnerHandler = (ctx: CommandContext, payload: Uint8Array) => Uint8Array;

export function requireCapability(ctx: CommandContext, cap: CAPABILITY): void {
  if (!hasCapability(ctx.session.capabilities, cap)) throw new DeviceFault(ERROR.INSUFFICIENT_PERMISSIONS);
}

/** An object the session can see: it must exist and share a domain with the session's key. */
export function findObject(ctx: CommandContext, id: number, type: OBJECT): StoredObject {
  const o = ctx.state.objects.find((x) => x.id === id && x.type === type);
  if (!o || (o.domains & ctx.session.domains) === 0) throw new DeviceFault(ERROR.OBJECT_NOT_FOUND);
  return o;
}

/** The object's own capability, required in addition to the session key's (e.g. sign-ecdsa on the key). */
export function requireObjectCapability(o: StoredObject, cap: CAPABILITY): void {
  if (!hasCapability(o.capabilities, cap)) throw new DeviceFault(ERROR.INSUFFICIENT_PERMISSIONS);
}

/** Checks a new object's header against the session's delegated capabilities and domains. */
export function checkNewObject(ctx: CommandContext, header: ObjectHeader, delegated = 0n): void {
  const s = ctx.session;
  if (header.domains === 0) throw new DeviceFault(ERROR.INVALID_DATA);
  if (!capabilitiesWithin(header.capabilities, s.delegated) || !capabilitiesWithin(delegated, s.delegated)) {
    throw new DeviceFault(ERROR.INSUFFICIENT_PERMISSIONS);
  }
  if ((header.domains & ~s.domains) !== 0) throw new DeviceFault(ERROR.INSUFFICIENT_PERMISSIONS);
}

/** Stores a new object: ID 0 picks a free ID; an existing (ID, type) is OBJECT_EXISTS; sequences go up on re-creation. */
export function storeObject(ctx: CommandContext, o: Omit<StoredObject, 'sequence'> & { sequence?: number }): StoredObject {
  const state = ctx.state;
  let id = o.id;
  if (id === 0) {
    const taken = new Set(state.objects.filter((x) => x.type === o.type).map((x) => x.id));
    id = 1;
    while (taken.has(id) && id <= 0xfffe) id++;
    if (taken.has(id)) throw new DeviceFault(ERROR.STORAGE_FAILED);
  } else if (id === 0xffff) {
    throw new DeviceFault(ERROR.INVALID_ID);
  }
  if (state.objects.some((x) => x.id === id && x.type === o.type)) throw new DeviceFault(ERROR.OBJECT_EXISTS);
  if (state.objects.length >= MAX_OBJECTS) throw new DeviceFault(ERROR.STORAGE_FAILED);
  const key = objectKey(o.type, id);
  const sequence = o.sequence ?? (key in state.sequences ? (state.sequences[key] + 1) & 0xff : 0);
  state.sequences[key] = sequence;
  const stored: StoredObject = { ...o, id, sequence };
  state.objects.push(stored);
  ctx.target = id;
  ctx.changed = true;
  return stored;
}

/** Turns a decoding failure of a request payload into the device's answer. */
export function parsePayload<T>(decode: () => T): T {
  try {
    return decode();
  } catch {
    throw new DeviceFault(ERROR.WRONG_LENGTH);
  }
}
