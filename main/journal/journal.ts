import { access, link, open as openFile, readFile, unlink, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { JsonValue } from './canonical-json';
import { analyseChain, sealEvent, type TornFragment } from './chain';
import { JournalError, JournalErrorCode } from '../errors';
import { GENESIS_PREV, JournalEventType, serialiseEvent, type JournalEvent } from './event';
import { collectHostFacts, type HostFacts } from './host-facts';
import { assertNoSecretFields } from './secret-guard';
import { assertNoSecretValues, type SecretValueSource } from './value-guard';

export interface JournalOptions {
  /** injectable clock for tests; defaults to the system clock */
  clock?: () => Date;
  /** called after each event is on disk (written and fsync'ed), in order */
  onAppended?: (event: JournalEvent) => void;
}

export interface OpenJournalOptions extends JournalOptions {
  /** a closed journal opens read-only (isClosed true, every append refused) instead of being refused */
  allowClosed?: boolean;
}

export interface CreateJournalOptions extends JournalOptions {
  /** SHA-256 hex of the ceremony script text */
  scriptSha256: string;
  appVersion: string;
  /** the devices present, as the caller found them (vendor, model, serial, firmware, module path...) */
  devices: JsonValue;
  /** more public facts for the first event (ceremony id, rehearsal flag...) */
  extra?: { [key: string]: JsonValue };
  /** defaults to collectHostFacts() */
  host?: HostFacts;
}

export interface OpenedJournal {
  journal: Journal;
  /** the torn bytes found after the last event and recorded in a journal.tail-recovered event; empty if none */
  recoveredTail: TornFragment[];
}

/**
 * The append-only, hash-chained ceremony journal. Every append is written with one write() on a file
 * opened with O_APPEND and fsync'ed before the promise resolves: an event is acknowledged only once
 * it is on disk. Appends are queued, so concurrent callers get consecutive sequence numbers.
 */
export class Journal {
  private readonly eventList: JournalEvent[];
  private queue: Promise<unknown> = Promise.resolve();
  private failure: JournalError | null = null;
  private closed = false;
  private secretValues: SecretValueSource | undefined;

  private constructor(
    readonly path: string,
    private handle: FileHandle | null,
    events: JournalEvent[],
    private readonly options: JournalOptions,
  ) {
    this.eventList = events;
  }

  /** Creates a new journal file (refuses to overwrite one) and writes the journal.opened event. */
  static async create(path: string, options: CreateJournalOptions): Promise<Journal> {
    if (await journalExists(path)) {
      throw new JournalError(JournalErrorCode.AlreadyExists, `A journal already exists at ${path}; it is never overwritten.`);
    }
    // The first event is written to a side file and linked into place, so a journal file never exists
    // without its journal.opened event; link() fails rather than replace a journal created meanwhile.
    const creating = `${path}.creating`;
    const first = new Journal(creating, await openFile(creating, 'w', 0o600), [], { clock: options.clock });
    await first.appendRaw(
      JournalEventType.Opened,
      {
        ...(options.extra ?? {}),
        scriptSha256: options.scriptSha256,
        appVersion: options.appVersion,
        host: options.host ?? collectHostFacts(),
        devices: options.devices,
      },
      false,
    );
    await first.release();
    try {
      await link(creating, path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new JournalError(JournalErrorCode.AlreadyExists, `A journal already exists at ${path}; it is never overwritten.`);
      }
      throw error;
    } finally {
      await unlink(creating).catch(() => undefined);
    }
    await syncDirectory(dirname(path));
    const journal = new Journal(path, await openFile(path, 'a'), [...first.events], options);
    options.onAppended?.(journal.events[0]); // acknowledged only now that it is in place
    return journal;
  }

  /**
   * Opens an existing journal for appending. The whole chain is verified first: a journal that was
   * tampered with is refused (JournalError Corrupt), a closed one too (Closed) unless allowClosed asks to read it. Torn bytes left by a crash
   * are kept where they are and recorded in a journal.tail-recovered event (offset, length, SHA-256).
   */
  static async open(path: string, options: OpenJournalOptions = {}): Promise<OpenedJournal> {
    const bytes = await readJournalBytes(path);
    const analysis = analyseChain(bytes);
    if (!analysis.ok) {
      throw new JournalError(JournalErrorCode.Corrupt, `The journal at ${path} does not verify: ${analysis.message}`);
    }
    if (analysis.closed) {
      if (!options.allowClosed) throw new JournalError(JournalErrorCode.Closed, 'This journal was closed; nothing more can be added to it.');
      const journal = new Journal(path, null, analysis.events, options);
      journal.closed = true;
      return { journal, recoveredTail: [] };
    }
    const handle = await openFile(path, 'a');
    const journal = new Journal(path, handle, analysis.events, options);
    if (analysis.tornTail.length > 0) {
      // Terminate the torn line so the recovery event starts on a line of its own; the torn bytes stay.
      const needsNewline = bytes.length > 0 && bytes[bytes.length - 1] !== 0x0a;
      await journal.appendRaw(JournalEventType.TailRecovered, { fragments: analysis.tornTail as unknown as JsonValue }, needsNewline);
    }
    return { journal, recoveredTail: analysis.tornTail };
  }

  get events(): readonly JournalEvent[] {
    return this.eventList;
  }

  get lastSeq(): number {
    return this.eventList.length;
  }

  /** hash of the last event on disk: the chain head */
  get head(): string {
    return this.eventList.length > 0 ? this.eventList[this.eventList.length - 1].hash : GENESIS_PREV;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /**
   * While a ceremony holds secrets, every append checks the event against their values (see value-guard.ts). The
   * source is asked at each append, so it always sees what is held now; undefined turns the check off.
   */
  guardSecretValues(source: SecretValueSource | undefined): void {
    this.secretValues = source;
  }

  /** Appends one event; resolves with it once it is on disk. Refuses data with secret-looking keys or held secrets' values. */
  append(type: string, data: JsonValue): Promise<JournalEvent> {
    assertNoSecretFields(data);
    if (this.secretValues) assertNoSecretValues(data, this.secretValues());
    if (type === JournalEventType.Closed || type === JournalEventType.TailRecovered || (type === JournalEventType.Opened && this.eventList.length > 0)) {
      throw new JournalError(JournalErrorCode.NotCanonical, `Event type ${type} is written by the journal itself.`);
    }
    return this.appendRaw(type, data, false);
  }

  /** Writes journal.closed (its hash is the final chain head) and closes the file. */
  async close(data: { [key: string]: JsonValue } = {}): Promise<JournalEvent> {
    const event = await this.appendRaw(JournalEventType.Closed, { ...data, eventCount: this.eventList.length + 1 }, false);
    this.closed = true;
    await this.release();
    return event;
  }

  /** Closes the file without writing anything (the app quits; the ceremony may be reopened later). */
  async release(): Promise<void> {
    await this.queue.catch(() => undefined);
    const handle = this.handle;
    this.handle = null;
    await handle?.close();
  }

  private appendRaw(type: string, data: JsonValue, leadingNewline: boolean): Promise<JournalEvent> {
    const run = async (): Promise<JournalEvent> => {
      if (this.failure) throw this.failure;
      if (this.closed || !this.handle) throw new JournalError(JournalErrorCode.Closed, 'The journal is closed.');
      const clock = this.options.clock ?? (() => new Date());
      const fields = { seq: this.eventList.length + 1, time: clock().toISOString(), type, data, prev: this.head };
      const event = sealEvent(fields);
      const line = (leadingNewline ? '\n' : '') + serialiseEvent(event) + '\n';
      try {
        await this.handle.write(line);
        await this.handle.sync();
      } catch (error) {
        // What reached the disk is unknown now: stop here; reopening will find and record any torn bytes.
        this.failure = new JournalError(JournalErrorCode.WriteFailed, `Writing to the journal failed (${(error as Error).message}).`);
        throw this.failure;
      }
      this.eventList.push(event);
      this.options.onAppended?.(event);
      return event;
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }
}

export async function readJournalBytes(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new JournalError(JournalErrorCode.NotFound, `There is no journal at ${path}.`);
    }
    throw error;
  }
}

/** fsync the directory so a newly created file's name survives a power cut too. */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await openFile(dir, 'r');
  try {
    await handle.sync();
  } catch {
    // some file systems refuse fsync on a directory; the file itself is still synced
  } finally {
    await handle.close();
  }
}

/** Whether a file is at `path`: how opening a journal tells a new ceremony from one to resume. */
export async function journalExists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
