import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import { GENESIS_PREV, JournalEventType, parseEventLine, type JournalEvent } from './event';

/**
 * The link of the chain: an event's hash, SHA-256 (lowercase hex) over canonicalJson({ seq, time, type, data, prev }),
 * where `prev` is the hash before it. The journal seals each event it appends with it; analyseChain below checks it.
 */
export function hashEventFields(fields: Omit<JournalEvent, 'hash'>): string {
  const { seq, time, type, data, prev } = fields;
  return createHash('sha256').update(canonicalJson({ seq, time, type, data, prev }), 'utf8').digest('hex');
}

/** An event sealed into the chain: its fields with their hash. */
export function sealEvent(fields: Omit<JournalEvent, 'hash'>): JournalEvent {
  return { ...fields, hash: hashEventFields(fields) };
}

/** Bytes after the last good event that do not form an event: what a crash mid-write leaves behind. */
export interface TornFragment {
  offset: number;
  length: number;
  sha256: string;
}

export type ChainFaultKind = 'changed' | 'removed' | 'inserted' | 'reordered' | 'torn' | 'malformed';

export type ChainAnalysis =
  | { ok: true; events: JournalEvent[]; head: string; closed: boolean; tornTail: TornFragment[] }
  | { ok: false; events: JournalEvent[]; firstBadSeq: number; kind: Exclude<ChainFaultKind, 'torn'>; message: string };

interface Line {
  offset: number;
  bytes: Uint8Array;
  terminated: boolean;
  parsed: { event: JournalEvent; exact: boolean } | null;
  selfHashValid: boolean;
}

const NEWLINE = 0x0a;
const utf8 = new TextDecoder('utf-8', { fatal: true });

function splitLines(bytes: Uint8Array): Line[] {
  const lines: Line[] = [];
  let start = 0;
  while (start < bytes.length) {
    const end = bytes.indexOf(NEWLINE, start);
    const terminated = end >= 0;
    const stop = terminated ? end : bytes.length;
    const lineBytes = bytes.subarray(start, stop);
    let parsed: Line['parsed'] = null;
    try {
      parsed = parseEventLine(utf8.decode(lineBytes));
    } catch {
      parsed = null; // not UTF-8
    }
    const selfHashValid = parsed !== null && hashEventFields(parsed.event) === parsed.event.hash;
    lines.push({ offset: start, bytes: lineBytes, terminated, parsed, selfHashValid });
    start = stop + 1;
  }
  return lines;
}

export function fragmentOf(line: { offset: number; bytes: Uint8Array }): TornFragment {
  return { offset: line.offset, length: line.bytes.length, sha256: createHash('sha256').update(line.bytes).digest('hex') };
}

function isGood(line: Line | undefined): line is Line & { parsed: NonNullable<Line['parsed']> } {
  return line !== undefined && line.parsed !== null && line.parsed.exact && line.selfHashValid;
}

/** A run of broken lines is acceptable only when the very next event is a tail-recovered event that names exactly those bytes. */
function recoveryCovers(broken: Line[], next: Line | undefined, seq: number, prev: string): boolean {
  if (!isGood(next)) return false;
  const e = next.parsed.event;
  if (e.type !== JournalEventType.TailRecovered || e.seq !== seq || e.prev !== prev) return false;
  const data = e.data as { fragments?: unknown };
  if (!Array.isArray(data?.fragments) || data.fragments.length !== broken.length) return false;
  return broken.every((line, i) => {
    const want = fragmentOf(line);
    const got = (data.fragments as TornFragment[])[i];
    return got && got.offset === want.offset && got.length === want.length && got.sha256 === want.sha256;
  });
}

/**
 * Walks the whole journal once and either returns its events, head and any torn tail, or names the first
 * place where the chain breaks and what most likely happened there.
 */
export function analyseChain(bytes: Uint8Array): ChainAnalysis {
  const lines = splitLines(bytes);
  // The tail: an unterminated last line (never acknowledged, since append resolves only after the newline
  // is on disk) and any broken lines after the last well-formed one.
  let lastWellFormed = lines.length - 1;
  if (lastWellFormed >= 0 && !lines[lastWellFormed].terminated) lastWellFormed--;
  while (lastWellFormed >= 0 && lines[lastWellFormed].parsed === null) lastWellFormed--;
  const tail = lines.slice(lastWellFormed + 1);

  const events: JournalEvent[] = [];
  let prev = GENESIS_PREV;
  let closed = false;
  const seenHashes = new Set<string>();
  const fail = (kind: Exclude<ChainFaultKind, 'torn'>, message: string): ChainAnalysis => ({
    ok: false,
    events,
    firstBadSeq: events.length + 1,
    kind,
    message,
  });

  for (let i = 0; i <= lastWellFormed; i++) {
    const expected = events.length + 1;
    const line = lines[i];
    if (!isGood(line) && line.parsed === null) {
      let j = i;
      while (j <= lastWellFormed && lines[j].parsed === null) j++;
      if (recoveryCovers(lines.slice(i, j), lines[j], expected, prev)) {
        i = j - 1; // the broken bytes are accounted for; the recovery event is checked next round
        continue;
      }
      return fail('malformed', `Line ${i + 1} (where event ${expected} should be) is not a journal event.`);
    }
    const { event, exact } = line.parsed!;
    if (!exact) return fail('changed', `Event ${expected} was edited: its line is not written the way the journal writes it.`);
    if (!line.selfHashValid) return fail('changed', `Event ${expected} was changed: its content no longer matches its hash.`);
    if (closed) return fail('inserted', `An event was added after the journal was closed (event ${expected - 1}).`);
    if (event.seq === expected && event.prev === prev) {
      events.push(event);
      seenHashes.add(event.hash);
      prev = event.hash;
      closed = event.type === JournalEventType.Closed;
      continue;
    }
    // Something is wrong at this position: work out the most likely story, most specific first.
    if (seenHashes.has(event.hash)) return fail('inserted', `Event ${event.seq} appears a second time where event ${expected} should be.`);
    if (event.seq > expected && looksLikePermutation(lines, i, expected, event.seq)) {
      return fail('reordered', `Events are out of order: event ${event.seq} stands where event ${expected} should be.`);
    }
    const next = lines[i + 1];
    if (isGood(next) && next.parsed.event.seq === expected && next.parsed.event.prev === prev) {
      return fail('inserted', `An extra event was inserted before event ${expected}.`);
    }
    if (event.seq > expected) {
      return fail('removed', `Event ${expected}${event.seq - 1 > expected ? ` to ${event.seq - 1}` : ''} is missing.`);
    }
    if (event.seq < expected) return fail('inserted', `An event numbered ${event.seq} was inserted where event ${expected} should be.`);
    return fail('changed', `Event ${expected} does not follow event ${expected - 1}: one of them was changed.`);
  }
  return { ok: true, events, head: prev, closed, tornTail: tail.map(fragmentOf) };
}

/** The events are all there exactly once, just not in order: the expected one comes later, and nothing is extra. */
function looksLikePermutation(lines: Line[], position: number, expected: number, foundSeq: number): boolean {
  const good = lines.filter(isGood);
  const seqs = good.map((l) => l.parsed.event.seq);
  const laterHasExpected = lines.some((l, k) => k > position && isGood(l) && l.parsed.event.seq === expected);
  const unique = new Set(seqs).size === seqs.length;
  return laterHasExpected && unique && Math.max(...seqs) === seqs.length && seqs.includes(foundSeq);
}
