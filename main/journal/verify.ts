import { hexToBytes, toWords } from '../fingerprint';
import { analyseChain, type ChainFaultKind, type TornFragment } from './chain';
import type { JournalEvent } from './event';
import { readJournalBytes } from './journal';

export interface VerifyOptions {
  /** fail with kind 'removed' when the journal has no journal.closed event at its end */
  requireClosed?: boolean;
  /** the chain head printed on the transcript (hex, any case/spacing); a different head fails as 'changed' or 'removed' */
  expectedHead?: string;
}

export interface VerifyOk {
  ok: true;
  /** hash of the last event, lowercase hex */
  head: string;
  /** the head as 24 BIP-39 words */
  headWords: string[];
  /** number of events */
  count: number;
  /** the last event is journal.closed */
  closed: boolean;
  events: JournalEvent[];
}

export interface VerifyFailure {
  ok: false;
  /** the sequence number of the first event that is missing, out of place or not as written */
  firstBadSeq: number;
  kind: ChainFaultKind;
  message: string;
  /** only for kind 'torn': the valid prefix verifies; these bytes after it are an unfinished write */
  tornTail?: true;
  fragments?: TornFragment[];
  /** head and count of the valid prefix (for 'torn', the journal as acknowledged before the crash) */
  head?: string;
  count?: number;
  /** for kind 'torn': the events of the valid prefix */
  prefixEvents?: JournalEvent[];
}

export type VerifyResult = VerifyOk | VerifyFailure;

/** Verifies journal bytes or text: recomputes every hash and link of the chain. */
export function verifyJournalBytes(input: Uint8Array | string, options: VerifyOptions = {}): VerifyResult {
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  const analysis = analyseChain(bytes);
  if (!analysis.ok) {
    const { firstBadSeq, kind, message } = analysis;
    return { ok: false, firstBadSeq, kind, message };
  }
  const count = analysis.events.length;
  if (analysis.tornTail.length > 0) {
    const bytesTorn = analysis.tornTail.reduce((n, f) => n + f.length, 0);
    return {
      ok: false,
      kind: 'torn',
      tornTail: true,
      firstBadSeq: count + 1,
      fragments: analysis.tornTail,
      head: analysis.head,
      count,
      prefixEvents: analysis.events,
      message: `The journal ends with ${bytesTorn} bytes of an unfinished write after event ${count} (a crash or power cut); the events before it verify.`,
    };
  }
  if (count === 0) return { ok: false, firstBadSeq: 1, kind: 'removed', message: 'The journal is empty.' };
  if (options.requireClosed && !analysis.closed) {
    return {
      ok: false,
      firstBadSeq: count + 1,
      kind: 'removed',
      message: `The journal stops at event ${count} without being closed: the ceremony did not finish, or its last events were removed.`,
    };
  }
  if (options.expectedHead !== undefined) {
    const expected = Buffer.from(hexToBytes(options.expectedHead)).toString('hex');
    if (expected !== analysis.head) {
      const index = analysis.events.findIndex((e) => e.hash === expected);
      return index >= 0
        ? { ok: false, firstBadSeq: index + 2, kind: 'inserted', message: `The printed chain head is event ${index + 1}; events after it were added later.` }
        : { ok: false, firstBadSeq: count, kind: 'changed', message: 'The chain head does not match the one printed on the transcript.' };
    }
  }
  return {
    ok: true,
    head: analysis.head,
    headWords: toWords(hexToBytes(analysis.head)),
    count,
    closed: analysis.closed,
    events: analysis.events,
  };
}

/**
 * Verifies a journal given as its content (a Uint8Array, or a string that starts with "{" or is empty)
 * or as a file path (any other string).
 */
export async function verifyJournal(textOrPath: string | Uint8Array, options: VerifyOptions = {}): Promise<VerifyResult> {
  if (typeof textOrPath !== 'string' || textOrPath === '' || textOrPath.startsWith('{')) {
    return verifyJournalBytes(textOrPath, options);
  }
  return verifyJournalFile(textOrPath, options);
}

export async function verifyJournalFile(path: string, options: VerifyOptions = {}): Promise<VerifyResult> {
  return verifyJournalBytes(await readJournalBytes(path), options);
}
