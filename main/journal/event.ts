import { canonicalJson, type JsonValue } from './canonical-json';

/**
 * One line of the journal. `hash` is SHA-256 (lowercase hex) over the UTF-8 bytes of
 * canonicalJson({ seq, time, type, data, prev }) — i.e. the sorted-key form
 * `{"data":…,"prev":"…","seq":N,"time":"…","type":"…"}` — and `prev` is the previous event's `hash`
 * (64 zeros for the first event): the chain, made and checked in chain.ts. On disk each event is one line, written by `serialiseEvent`:
 * `{"seq":N,"time":"…","type":"…","data":<canonical>,"prev":"…","hash":"…"}` followed by "\n".
 * The verifier insists on exactly this text, so no byte of a line can change unnoticed.
 */
export interface JournalEvent<D extends JsonValue = JsonValue> {
  /** 1 for the first event, then +1 each */
  seq: number;
  /** ISO 8601 UTC with milliseconds, e.g. 2025-01-31T09:15:02.123Z */
  time: string;
  type: string;
  data: D;
  prev: string;
  hash: string;
}

export const GENESIS_PREV = '0'.repeat(64);

/** Event types the journal itself writes (the engine adds its own: ceremony.*, step.*, participant.*). */
export enum JournalEventType {
  Opened = 'journal.opened',
  Reopened = 'journal.reopened',
  TailRecovered = 'journal.tail-recovered',
  Closed = 'journal.closed',
}

export function serialiseEvent(event: JournalEvent): string {
  return (
    `{"seq":${event.seq},"time":${JSON.stringify(event.time)},"type":${JSON.stringify(event.type)},` +
    `"data":${canonicalJson(event.data)},"prev":${JSON.stringify(event.prev)},"hash":${JSON.stringify(event.hash)}}`
  );
}

const HEX64 = /^[0-9a-f]{64}$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * Reads one line back into an event if it has the right shape and is written exactly as serialiseEvent
 * writes it; returns null otherwise (the caller decides whether that is a torn tail or tampering).
 * `exact` is false when the line is a well-shaped event but not in canonical form (edited by hand).
 */
export function parseEventLine(line: string): { event: JournalEvent; exact: boolean } | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return null;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
  const e = parsed as Record<string, unknown>;
  const keys = Object.keys(e);
  if (keys.length !== 6) return null;
  if (!Number.isSafeInteger(e.seq) || (e.seq as number) < 1) return null;
  if (typeof e.time !== 'string' || !ISO_TIME.test(e.time)) return null;
  if (typeof e.type !== 'string' || e.type.length === 0) return null;
  if (!('data' in e)) return null;
  if (typeof e.prev !== 'string' || !HEX64.test(e.prev)) return null;
  if (typeof e.hash !== 'string' || !HEX64.test(e.hash)) return null;
  const event = e as unknown as JournalEvent;
  let exact: boolean;
  try {
    exact = serialiseEvent(event) === line;
  } catch {
    return null;
  }
  return { event, exact };
}
