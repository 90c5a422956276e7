import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeShareCard, makeShareSet } from '../../../main/shares';
import type { ShareCardView } from '../../../main/transcript';
import { createChromiumPrinter } from '../../../main/hosts/browser';
import { renderShareCardsPdf, type PdfPrinter } from '../../../main/transcript';
import { pdfPages, pdfPageSize, pdfPageTexts } from './pdf-text';

const CEREMONY_ID = 'backup-20250314-1030';
const NAMES = ['Carlos Pereira', 'Chiamaka Okafor', 'Chen Wei'];

let dir: string;
let printer: PdfPrinter;
let cards: ShareCardView[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'share-cards-'));
  const secret = new Uint8Array(randomBytes(32));
  const set = await makeShareSet(secret, { entropyBits: 128, n: 3, m: 2 });
  secret.fill(0);
  cards = set.shares.map((s, i) => makeShareCard(set, s.index, { ceremonyId: CEREMONY_ID, custodianName: NAMES[i], date: '2025-03-14' }));
  printer = createChromiumPrinter();
});

afterAll(async () => {
  await printer?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The card's numbered groups in order, as printed: "1 qpzr ... 2 y9x8 ...". */
const groupSequence = (card: ShareCardView) => new RegExp(card.groups.map((g, i) => `\\b${i + 1}\\s+${g}\\b`).join('[\\s\\S]*?'));

function expectOneCardPerPage(pages: string[]): void {
  expect(pages).toHaveLength(cards.length);
  pages.forEach((text, i) => {
    const card = cards[i];
    expect(text).toContain(`Share ${card.index} of ${card.n}, any ${card.m} restore`);
    expect(text).toContain(card.custodianName);
    expect(text).toContain(card.setId);
    expect(text).toContain(card.checkValueText);
    expect(text).toContain(card.date);
    expect(text).toMatch(groupSequence(card));
    for (const other of cards.filter((c) => c !== card)) {
      expect(text).not.toContain(other.custodianName);
      expect(text).not.toMatch(groupSequence(other));
    }
    expect(text).toContain(CEREMONY_ID);
    expect(text).toContain(`page ${i + 1} of ${cards.length}`);
  });
}

describe('printed share cards', () => {
  it('prints one rehearsal card per page, each with only its own share and REHEARSAL on it', async () => {
    const out = join(dir, 'cards-a4.pdf');
    const printed = await renderShareCardsPdf(cards, { paper: 'A4', rehearsal: true, out, printer });
    expect(printed.pages).toBe(cards.length);
    expect(pdfPages(out)).toBe(cards.length);
    expect(pdfPageSize(out)).toContain('(A4)');
    const pages = pdfPageTexts(out);
    expectOneCardPerPage(pages);
    pages.forEach((text) => expect(text).toContain('REHEARSAL'));
  });

  it('prints real cards on Letter from memory, without a REHEARSAL mark', async () => {
    const printed = await renderShareCardsPdf(cards, { paper: 'Letter', rehearsal: false, printer });
    expect(printed.path).toBeUndefined();
    const inspect = join(dir, 'cards-letter.pdf'); // the test's own copy, to read it back with poppler
    await writeFile(inspect, printed.pdf);
    expect(pdfPages(inspect)).toBe(cards.length);
    expect(pdfPageSize(inspect)).toContain('(letter)');
    const pages = pdfPageTexts(inspect);
    expectOneCardPerPage(pages);
    expect(pages.join('\n')).not.toMatch(/REHEARSAL/i);
  });
});
