// Builds journal bytes in memory with the journal's own encoding functions, for property tests
// that need thousands of journals without touching the disk.
import { GENESIS_PREV, hashEventFields, JournalEventType, serialiseEvent, type JournalEvent, type JsonValue } from '../../../main/journal';

export interface DraftEvent {
  type: string;
  data: JsonValue;
}

export function buildEvents(drafts: DraftEvent[], closed = true): JournalEvent[] {
  const events: JournalEvent[] = [];
  let prev = GENESIS_PREV;
  const all = closed ? [...drafts, { type: JournalEventType.Closed, data: { eventCount: drafts.length + 1 } }] : drafts;
  all.forEach((draft, i) => {
    const fields = { seq: i + 1, time: new Date(Date.UTC(2025, 0, 1, 9, 0, i)).toISOString(), type: draft.type, data: draft.data, prev };
    const event = { ...fields, hash: hashEventFields(fields) };
    events.push(event);
    prev = event.hash;
  });
  return events;
}

export function linesOf(events: JournalEvent[]): string[] {
  return events.map(serialiseEvent);
}

export function textOf(lines: string[]): string {
  return lines.map((l) => l + '\n').join('');
}

/** A self-consistent event (its own hash is right) that was never part of the chain. */
export function forgeEvent(seq: number, prev: string, type = 'forged.event'): string {
  const fields = { seq, time: '2025-01-01T10:00:00.000Z', type, data: { forged: true }, prev };
  return serialiseEvent({ ...fields, hash: hashEventFields(fields) });
}
