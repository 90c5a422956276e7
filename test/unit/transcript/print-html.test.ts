import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import QRCode from 'qrcode';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { createChromiumPrinter } from '../../../main/hosts/browser';
import { fingerprintOf } from '../../../main/fingerprint';
import type { JsonValue } from '../../../main/journal';
import { serialiseEvent } from '../../../main/journal';
import { makeShareCard, makeShareSet, shareSetRecord } from '../../../main/shares';
import {
  buildTranscriptModel,
  renderShareCardsHtml,
  renderShareCardsPdf,
  renderTranscriptHtml,
  transcriptModelFromJournal,
  TranscriptErrorCode,
} from '../../../main/transcript';
import { ShareCardDocument, TranscriptDocument } from '../../../preload/print';
import { eventsOf, sampleCeremony } from './ceremony-events';

async function fixtures() {
  const secret = new Uint8Array(randomBytes(32));
  const set = await makeShareSet(secret, { entropyBits: 128, n: 3, m: 2 });
  secret.fill(0);
  const cards = set.shares.map((s, i) =>
    makeShareCard(set, s.index, { ceremonyId: 'demo-keygen-20250314-0900', custodianName: ['Carl', 'Cleo', 'Cyd'][i], date: '2025-03-14' }),
  );
  const events = eventsOf(sampleCeremony({ fingerprint: fingerprintOf('k').hex, shareSet: shareSetRecord(set) as unknown as JsonValue }));
  return { cards, events, model: buildTranscriptModel(events) };
}

const dataUris = (html: string) =>
  [...html.matchAll(/class="share-qr" src="data:image\/svg\+xml;base64,([^"]+)"/g)].map((m) => Buffer.from(m[1], 'base64').toString('utf8'));

describe('print HTML', () => {
  it('uses no inline style attributes, so the app preview works under its CSP', async () => {
    const { model, cards } = await fixtures();
    const markup =
      renderToStaticMarkup(createElement(TranscriptDocument, { model: { ...model, rehearsal: true } })) +
      renderToStaticMarkup(createElement(ShareCardDocument, { cards, rehearsal: true }));
    expect(markup).not.toMatch(/\sstyle=/);
    expect(markup).not.toMatch(/<style|<script/i);
  });

  it('inlines the print stylesheet with the page size for the PDF printer', async () => {
    const { model } = await fixtures();
    const css = await readFile(new URL('../../../renderer/print/print.css', import.meta.url), 'utf8');
    const html = renderTranscriptHtml(model, { paper: 'Letter' });
    expect(html).toContain(css);
    expect(html).toContain('@page { size: letter; }');
    expect(html).toContain('paper-letter');
    for (const p of model.participants) expect(html).toContain(p.name);
    for (const s of model.steps) expect(html).toContain(s.title);
  });

  it('draws each card’s QR code from exactly that card’s payload', async () => {
    const { cards } = await fixtures();
    const html = renderShareCardsHtml(cards, { paper: 'A4', rehearsal: false });
    const svgs = dataUris(html);
    expect(svgs).toHaveLength(cards.length);
    for (const [i, card] of cards.entries()) {
      const expected = await QRCode.toString(card.qrPayload, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 });
      expect(svgs[i]).toBe(expected);
    }
    expect(new Set(svgs).size).toBe(cards.length);
    expect(html).not.toContain('data-watermark');
    expect(renderShareCardsHtml(cards, { paper: 'A4', rehearsal: true })).toContain('data-watermark="REHEARSAL"');
  });

  it('refuses to write share cards to a file outside rehearsal', async () => {
    const { cards } = await fixtures();
    const dir = await mkdtemp(join(tmpdir(), 'cards-'));
    await expect(
      renderShareCardsPdf(cards, { paper: 'A4', rehearsal: false, out: join(dir, 'cards.pdf'), printer: createChromiumPrinter() }),
    ).rejects.toMatchObject({
      code: TranscriptErrorCode.SecretFileRefused,
    });
  });
});

describe('transcript model from a journal file', () => {
  it('builds from a journal that verifies and refuses one that was altered', async () => {
    const { events } = await fixtures();
    const dir = await mkdtemp(join(tmpdir(), 'journal-'));
    const good = join(dir, 'good.jsonl');
    await writeFile(good, events.map((e) => serialiseEvent(e) + '\n').join(''));
    const model = await transcriptModelFromJournal(good);
    expect(model.journal.head.hex).toBe(events[events.length - 1].hash);

    const altered = join(dir, 'altered.jsonl');
    await writeFile(altered, (await readFile(good, 'utf8')).replace('Carl Custodian', 'Karl Custodian'));
    await expect(transcriptModelFromJournal(altered)).rejects.toMatchObject({ code: TranscriptErrorCode.JournalInvalid });
  });

  it('prints a journal cut short by a crash up to the crash, saying so', async () => {
    const { events } = await fixtures();
    const text = events.map((e) => serialiseEvent(e) + '\n').join('') + '{"seq":99,"time":"2025-0';
    const model = await transcriptModelFromJournal(new TextEncoder().encode(text));
    expect(model.journal.eventCount).toBe(events.length);
    expect(model.exceptions.at(-1)).toMatchObject({ kind: 'torn-tail' });
  });
});
