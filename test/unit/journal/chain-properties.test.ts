import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { verifyJournalBytes } from '../../../main/journal';
import { buildEvents, forgeEvent, linesOf, textOf, type DraftEvent } from './build-journal';

const draftArb: fc.Arbitrary<DraftEvent> = fc.record({
  type: fc.constantFrom('ceremony.created', 'participant.checked-in', 'step.started', 'step.completed', 'step.failed'),
  data: fc.dictionary(
    fc.string({ unit: 'grapheme', maxLength: 8 }),
    fc.oneof(fc.string({ unit: 'grapheme', maxLength: 12 }), fc.integer(), fc.boolean(), fc.constant(null)),
    {
      maxKeys: 4,
    },
  ),
});
const journalArb = fc.array(draftArb, { minLength: 2, maxLength: 8 }).map((drafts) => linesOf(buildEvents(drafts)));
const strict = { requireClosed: true };
const RUNS = 300;

describe('journal verification (property tests)', () => {
  it('accepts every journal as written', () => {
    fc.assert(
      fc.property(journalArb, (lines) => {
        const result = verifyJournalBytes(textOf(lines), strict);
        expect(result.ok).toBe(true);
        if (result.ok) expect(result.count).toBe(lines.length);
      }),
      { numRuns: 100 },
    );
  });

  it('catches every single-byte change', () => {
    fc.assert(
      fc.property(journalArb, fc.nat(), fc.integer({ min: 1, max: 255 }), (lines, rawPosition, delta) => {
        const bytes = new TextEncoder().encode(textOf(lines));
        const position = rawPosition % bytes.length;
        const changed = bytes.slice();
        changed[position] = (changed[position] + delta) % 256;
        expect(verifyJournalBytes(changed, strict).ok).toBe(false);
      }),
      { numRuns: RUNS * 3 },
    );
  });

  it('catches every deleted event, naming it', () => {
    fc.assert(
      fc.property(journalArb, fc.nat(), (lines, raw) => {
        const index = raw % lines.length;
        const result = verifyJournalBytes(textOf(lines.filter((_, i) => i !== index)), strict);
        expect(result).toMatchObject({ ok: false, kind: 'removed', firstBadSeq: index + 1 });
      }),
      { numRuns: RUNS },
    );
  });

  it('catches every duplicated event', () => {
    fc.assert(
      fc.property(journalArb, fc.nat(), fc.nat(), (lines, rawFrom, rawTo) => {
        const from = rawFrom % lines.length;
        const to = rawTo % (lines.length + 1);
        const copy = [...lines];
        copy.splice(to, 0, lines[from]);
        const result = verifyJournalBytes(textOf(copy), strict);
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.kind).toBe('inserted');
      }),
      { numRuns: RUNS },
    );
  });

  it('catches every inserted forged event, even one that copies its neighbour’s number and link', () => {
    fc.assert(
      fc.property(journalArb, fc.nat(), fc.boolean(), fc.nat({ max: 20 }), (lines, rawAt, mimic, rawSeq) => {
        const at = rawAt % (lines.length + 1);
        const previous = at > 0 ? (JSON.parse(lines[at - 1]).hash as string) : '0'.repeat(64);
        const forged = mimic ? forgeEvent(at + 1, previous) : forgeEvent(rawSeq + 1, previous.replace(/^./, 'f'));
        const copy = [...lines];
        copy.splice(at, 0, forged);
        const result = verifyJournalBytes(textOf(copy), strict);
        expect(result.ok).toBe(false);
        if (!result.ok) expect(['inserted', 'reordered']).toContain(result.kind);
      }),
      { numRuns: RUNS },
    );
  });

  it('catches every swap of two events, as reordered', () => {
    fc.assert(
      fc.property(journalArb, fc.nat(), fc.nat(), (lines, rawA, rawB) => {
        const a = rawA % lines.length;
        const b = rawB % lines.length;
        fc.pre(a !== b);
        const copy = [...lines];
        [copy[a], copy[b]] = [copy[b], copy[a]];
        const result = verifyJournalBytes(textOf(copy), strict);
        expect(result).toMatchObject({ ok: false, kind: 'reordered', firstBadSeq: Math.min(a, b) + 1 });
      }),
      { numRuns: RUNS },
    );
  });

  it('reports a cut-off last line as a torn tail, with the valid prefix’s head', () => {
    fc.assert(
      fc.property(journalArb, fc.nat(), (lines, rawCut) => {
        const text = textOf(lines);
        const lastStart = text.length - lines[lines.length - 1].length - 1;
        const cut = lastStart + 1 + (rawCut % lines[lines.length - 1].length); // keeps 1..len chars, never the newline
        const result = verifyJournalBytes(text.slice(0, cut));
        expect(result).toMatchObject({ ok: false, kind: 'torn', tornTail: true, count: lines.length - 1 });
        if (!result.ok) expect(result.head).toBe(JSON.parse(lines[lines.length - 2]).hash);
      }),
      { numRuns: 100 },
    );
  });
});
