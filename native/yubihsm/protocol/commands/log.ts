/** Audit log: GET_LOG_ENTRIES, SET_LOG_INDEX and the digest-chain verification from a trusted anchor. */
import { createHash } from 'node:crypto';
import { ByteReader, concatBytes, u16, u32, u8 } from '../bytes';
import { constantTimeEqual } from '../scp03';
import { YubiHsmError } from '../errors';

export interface LogEntry {
  number: number;
  command: number;
  length: number;
  sessionKey: number;
  targetKey: number;
  secondKey: number;
  result: number;
  systick: number;
  digest: Uint8Array;
}

export interface LogEntries {
  unloggedBoot: number;
  unloggedAuth: number;
  entries: LogEntry[];
}

/** The 16 bytes the digest covers. */
export function logEntryData(e: LogEntry): Uint8Array {
  return concatBytes(u16(e.number), u8(e.command), u16(e.length), u16(e.sessionKey), u16(e.targetKey), u16(e.secondKey), u8(e.result), u32(e.systick));
}

export function encodeLogEntry(e: LogEntry): Uint8Array {
  return concatBytes(logEntryData(e), e.digest);
}

export function readLogEntry(r: ByteReader): LogEntry {
  return {
    number: r.u16(),
    command: r.u8(),
    length: r.u16(),
    sessionKey: r.u16(),
    targetKey: r.u16(),
    secondKey: r.u16(),
    result: r.u8(),
    systick: r.u32(),
    digest: r.take(16).slice(),
  };
}

export function encodeLogEntries(l: LogEntries): Uint8Array {
  return concatBytes(u16(l.unloggedBoot), u16(l.unloggedAuth), u8(l.entries.length), ...l.entries.map(encodeLogEntry));
}

export function decodeLogEntries(payload: Uint8Array): LogEntries {
  const r = new ByteReader(payload);
  const unloggedBoot = r.u16();
  const unloggedAuth = r.u16();
  const count = r.u8();
  const entries: LogEntry[] = [];
  for (let i = 0; i < count; i++) entries.push(readLogEntry(r));
  r.end();
  return { unloggedBoot, unloggedAuth, entries };
}

export function encodeSetLogIndex(index: number): Uint8Array {
  return u16(index);
}

/** digest_i = SHA-256(entry_i[0:16] ‖ digest_{i-1})[0:16]. */
export function chainDigest(entryData: Uint8Array, previousDigest: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(entryData).update(previousDigest).digest().subarray(0, 16));
}

/** True when `entry` follows `previous` directly (number + 1 mod 65536 and digest chained). */
export function entryFollows(previous: LogEntry, entry: LogEntry): boolean {
  if (entry.number !== ((previous.number + 1) & 0xffff)) return false;
  return constantTimeEqual(chainDigest(logEntryData(entry), previous.digest), entry.digest);
}

export interface LogVerification {
  /** The last entry verified: store it (e.g. in the transcript) as the next anchor. */
  lastVerified: LogEntry;
  /** Entries newer than the anchor, all verified. */
  newEntries: LogEntry[];
}

/**
 * Verifies entries as one unbroken chain continuing from `anchor` (the last entry the host kept from the previous
 * extraction). Entries up to and including the anchor's number may still be in the store; they must match it.
 * Without an anchor, the first returned entry is trusted as it stands. Throws LOG_CHAIN_BROKEN otherwise.
 */
export function verifyLogChain(entries: LogEntry[], anchor?: LogEntry): LogVerification {
  let start = 0;
  let previous = anchor;
  if (anchor) {
    const same = entries.findIndex((e) => e.number === anchor.number);
    if (same >= 0) {
      if (!constantTimeEqual(entries[same].digest, anchor.digest) || !constantTimeEqual(logEntryData(entries[same]), logEntryData(anchor))) {
        throw new YubiHsmError('LOG_CHAIN_BROKEN', `Audit log entry ${anchor.number} differs from the trusted copy.`);
      }
      start = same + 1;
    }
  } else {
    if (entries.length === 0) throw new YubiHsmError('LOG_CHAIN_BROKEN', 'The audit log is empty; there is nothing to verify.');
    previous = entries[0];
    start = 1;
  }
  const newEntries: LogEntry[] = anchor ? [] : [entries[0]];
  for (let i = start; i < entries.length; i++) {
    const entry = entries[i];
    if (!entryFollows(previous as LogEntry, entry)) {
      const expected = ((previous as LogEntry).number + 1) & 0xffff;
      const why =
        entry.number !== expected ? `entry ${expected} is missing (found ${entry.number} next)` : `entry ${entry.number} does not match the digest chain`;
      throw new YubiHsmError('LOG_CHAIN_BROKEN', `The audit log does not continue from the trusted entry: ${why}.`);
    }
    newEntries.push(entry);
    previous = entry;
  }
  return { lastVerified: previous as LogEntry, newEntries };
}
