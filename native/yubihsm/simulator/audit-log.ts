/** The device's Log Store: a 62-entry ring with the SHA-256 digest chain (AUDIT-LOG.md). */
import { AUDIT, LOG_STORE_ENTRIES } from '../protocol/defs';
import { LogEntry, chainDigest, logEntryData } from '../protocol/commands/log';
import { LogState } from './state';

export type LogLine = Omit<LogEntry, 'number' | 'digest'>;

const RESET_LINE: LogLine = { command: 0xff, length: 0xffff, sessionKey: 0xffff, targetKey: 0xffff, secondKey: 0xffff, result: 0xff, systick: 0xffffffff };
const BOOT_LINE: LogLine = { command: 0x00, length: 0, sessionKey: 0xffff, targetKey: 0, secondKey: 0, result: 0, systick: 0 };

export class AuditLog {
  constructor(private readonly state: LogState) {}

  get used(): number {
    return this.state.entries.length;
  }

  get full(): boolean {
    return this.state.entries.length >= LOG_STORE_ENTRIES;
  }

  /**
   * Appends a line. With force audit on, a full store refuses (the caller must have checked `full` first);
   * otherwise the oldest entry is overwritten.
   */
  append(line: LogLine): LogEntry {
    const number = this.state.nextNumber & 0xffff;
    const partial = { ...line, number, digest: new Uint8Array(16) };
    const digest = chainDigest(logEntryData(partial), this.state.lastDigest);
    const entry = { ...partial, digest };
    this.state.entries.push(entry);
    while (this.state.entries.length > LOG_STORE_ENTRIES) this.state.entries.shift();
    this.state.nextNumber = (number + 1) & 0xffff;
    this.state.lastDigest = digest;
    return entry;
  }

  /** SET_LOG_INDEX: entries up to and including `index` have been read by the host and free their space. */
  markRead(index: number): void {
    const at = this.state.entries.findIndex((e) => e.number === index);
    if (at >= 0) this.state.entries.splice(0, at + 1);
  }

  /** A power-on: logs the boot line, or counts it when force audit keeps a full store. */
  boot(forceAudit: AUDIT): void {
    if (forceAudit !== AUDIT.OFF && this.full) this.state.unloggedBoot = Math.min(0xffff, this.state.unloggedBoot + 1);
    else this.append(BOOT_LINE);
  }

  countUnloggedAuth(): void {
    this.state.unloggedAuth = Math.min(0xffff, this.state.unloggedAuth + 1);
  }

  snapshot(): { unloggedBoot: number; unloggedAuth: number; entries: LogEntry[] } {
    return { unloggedBoot: this.state.unloggedBoot, unloggedAuth: this.state.unloggedAuth, entries: [...this.state.entries] };
  }
}

/**
 * The log right after RESET_DEVICE: the reset line (number 1) and the boot line (number 2). The reset line's
 * predecessor digest is not derivable on real devices; the simulator chains it from 16 zero bytes.
 */
export function factoryLogState(): LogState {
  const state: LogState = { entries: [], nextNumber: 1, lastDigest: new Uint8Array(16), unloggedBoot: 0, unloggedAuth: 0 };
  const log = new AuditLog(state);
  log.append(RESET_LINE);
  log.append(BOOT_LINE);
  return state;
}
