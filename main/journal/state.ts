import { analyseChain } from './chain';
import { JournalEventType, type JournalEvent } from './event';

/**
 * What an auditor can say about a journal file, in one word:
 *   completed / aborted  intact and closed (aborted with its reason)
 *   open                 intact so far but not finished (a ceremony still under way, or stopped by a crash);
 *                        a torn last line — an unfinished write nobody was told had succeeded — is still "open"
 *   damaged              a real break in the chain: an event changed, removed, inserted or reordered
 *   not-a-journal        the file holds no journal event at all (empty, binary, some other file)
 */
export type JournalState = 'completed' | 'aborted' | 'open' | 'damaged' | 'not-a-journal';

export interface JournalStateReport {
  state: JournalState;
  /** events that verify (the valid prefix for damaged) */
  count: number;
  /** chain head of the events that verify; empty when there are none */
  head: string;
  events: JournalEvent[];
  /** one sentence for the auditor */
  summary: string;
  /** aborted: the reason given */
  abortReason?: string;
  /** open: bytes of an unfinished last write after the events that verify */
  tornBytes?: number;
  /** damaged: the first event that is not as written, and what most likely happened */
  firstBadSeq?: number;
  fault?: string;
}

export function journalStateOf(bytes: Uint8Array): JournalStateReport {
  const analysis = analyseChain(bytes);
  if (!analysis.ok) {
    if (analysis.events.length === 0 && !startsLikeJournal(bytes)) return notAJournal(bytes);
    return {
      state: 'damaged',
      count: analysis.events.length,
      head: analysis.events.at(-1)?.hash ?? '',
      events: analysis.events,
      firstBadSeq: analysis.firstBadSeq,
      fault: analysis.kind,
      summary: `DAMAGED (${analysis.kind}): ${analysis.message}`,
    };
  }
  const { events } = analysis;
  if (events.length === 0 || events[0].type !== JournalEventType.Opened) return notAJournal(bytes);
  const count = events.length;
  const base = { count, head: analysis.head, events };
  if (analysis.closed) {
    const aborted = events.find((e) => e.type === 'ceremony.aborted');
    const outcome = (events[count - 1].data as { outcome?: unknown } | null)?.outcome;
    if (aborted || outcome === 'aborted') {
      const reason = String((aborted?.data as { reason?: unknown } | null)?.reason ?? 'no reason recorded');
      return { ...base, state: 'aborted', abortReason: reason, summary: `ABORTED and closed: ${count} events, chain intact. Reason: ${reason}` };
    }
    return { ...base, state: 'completed', summary: `COMPLETED and closed: ${count} events, chain intact.` };
  }
  const tornBytes = analysis.tornTail.reduce((n, f) => n + f.length, 0);
  return {
    ...base,
    state: 'open',
    ...(tornBytes > 0 ? { tornBytes } : {}),
    summary:
      `OPEN (not finished): ${count} events, chain intact so far; the ceremony is under way or was stopped, and continues when reopened.` +
      (tornBytes > 0 ? ` After event ${count} are ${tornBytes} bytes of a write that never finished (never acknowledged); reopening records them.` : ''),
  };
}

function notAJournal(bytes: Uint8Array): JournalStateReport {
  const what = bytes.length === 0 ? 'the file is empty' : 'no line of it is a journal event';
  return { state: 'not-a-journal', count: 0, head: '', events: [], summary: `NOT A JOURNAL: ${what}.` };
}

/** A damaged journal still begins with something shaped like its first event; other files do not. */
function startsLikeJournal(bytes: Uint8Array): boolean {
  const start = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, 64));
  return /^\{"seq":/.test(start);
}
