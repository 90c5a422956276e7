import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { renderTranscriptPdf, transcriptModelFromJournal, type PaperSize, type PdfPrinter } from '../../../transcript';
import { CeremonyError, CeremonyErrorCode } from '../../../errors';
import type { ActionDefinition, JsonObject } from '../registry';

const refuse = (message: string) => new CeremonyError(CeremonyErrorCode.ActionFailed, message);

function paperOf(params: JsonObject): PaperSize {
  const paper = params.paper ?? 'A4';
  if (paper !== 'A4' && paper !== 'Letter') throw refuse(`The ceremony script is wrong: paper “${String(paper)}” is neither A4 nor Letter.`);
  return paper;
}

/** The name of the PDF a print step makes: the event it was printed at, so a retry never meets an earlier attempt's file. */
export function printedTranscriptName(eventCount: number): string {
  return `transcript-at-event-${eventCount}.pdf`;
}

/**
 * outputs.print-transcript: prints the transcript of the journal as it stands (every step before this one), saved as
 * <ceremony>/transcript-at-event-<n>.pdf, never overwriting. The result (journaled) names the file, its SHA-256, its
 * pages and the chain head printed on it, for the next step, where the administrator confirms it came out and the
 * witness compares the head with the paper. Until then the ceremony stays open.
 */
export const printTranscript: ActionDefinition = {
  description: 'Prints the transcript so far (saved as a PDF) for the room to sign.',
  async run(ctx, params) {
    const paper = paperOf(params);
    const printer = ctx.services.pdfPrinter as PdfPrinter | undefined;
    if (!printer || typeof printer.printPdf !== 'function') throw refuse('This workstation cannot print documents, so the transcript cannot be made.');
    const ceremonyDir = dirname(ctx.outputs.dir);
    const model = await transcriptModelFromJournal(join(ceremonyDir, 'journal.jsonl'), { rehearsal: ctx.rehearsal, printStep: true });
    const file = printedTranscriptName(model.journal.eventCount);
    const rendered = await renderTranscriptPdf(model, { paper, out: join(ceremonyDir, file), printer });
    const sha256 = createHash('sha256').update(rendered.pdf).digest('hex');
    const head = model.journal.head;
    await ctx.log(`Printed the transcript to ${file} (${rendered.pages} pages).`, { file, sha256 });
    const summary = [
      `The transcript is saved as ${file}: ${rendered.pages} pages, SHA-256 ${sha256}.`,
      `Chain head printed on it (event ${model.journal.eventCount}): ${head.grouped}`,
      head.words.map((w, i) => `${i + 1}. ${w}`).join('  '),
    ].join('\n');
    return {
      publicResult: { file, sha256, pages: rendered.pages, paper, eventCount: model.journal.eventCount, chainHead: head.hex, summary },
    };
  },
};
