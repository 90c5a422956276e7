import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { makeShareCard } from '../../../../shares';
import { renderShareCardsPdf, type PdfPrinter } from '../../../../transcript';
import { CeremonyError, CeremonyErrorCode } from '../../../../errors';
import type { ActionContext, ActionDefinition } from '../../registry';
import { heldShareSet } from './held-set';
import { optionalString, requiredInteger, requiredString } from './params';

/**
 * How a host sends a share card straight to paper outside rehearsal (a card holds a share in the clear, so it is
 * never written to a file there). Hosts put one in ctx.services.sharePrinter.
 */
export interface SharePrinter {
  printPdf(pdf: Uint8Array, about: { document: 'share-card'; ceremonyId: string; index: number }): Promise<void>;
}

/** The name the rehearsal card gets in the ceremony's outputs. */
export function shareCardFileName(setId: string, index: number): string {
  return `share-card-${setId}-${index}.pdf`;
}

/** The custodian's name as they checked in (the journal is the source of truth), or their seat id. */
async function checkedInName(ctx: ActionContext, participantId: string): Promise<string> {
  // ctx.outputs.dir is <ceremony>/outputs; the engine's journal (JOURNAL_FILE) sits next to it.
  const text = await readFile(join(dirname(ctx.outputs.dir), 'journal.jsonl'), 'utf8').catch(() => '');
  for (const line of text.split('\n')) {
    if (!line.includes('participant.checked-in')) continue;
    try {
      const event = JSON.parse(line) as { type?: string; data?: { participantId?: string; name?: string } };
      if (event.type === 'participant.checked-in' && event.data?.participantId === participantId && event.data.name) return event.data.name;
    } catch {
      // a torn last line is the journal's business, not the card's
    }
  }
  return participantId;
}

function printerOf(ctx: ActionContext): PdfPrinter {
  const printer = ctx.services.pdfPrinter as PdfPrinter | undefined;
  if (printer && typeof printer.printPdf === 'function') return printer;
  throw new CeremonyError(CeremonyErrorCode.ActionFailed, 'This workstation cannot print documents, so the share card cannot be made.');
}

/**
 * shares.print-card — prints custodian i's share card (params.vaultKey: the split secret's vault key;
 * params.index: i; params.custodian: whose name goes on the card, default custodian-<i>). In rehearsal the card is a
 * PDF in the ceremony's outputs; otherwise it goes straight to the host's share printer and nowhere else.
 */
export const printShareCard: ActionDefinition = {
  description: 'Prints one custodian’s share card.',
  async run(ctx, params) {
    const vaultKey = requiredString(params, 'vaultKey');
    const index = requiredInteger(params, 'index');
    const participant = optionalString(params, 'custodian') ?? `custodian-${index}`;
    const set = heldShareSet(ctx, vaultKey);
    if (!set.shares.some((s) => s.index === index)) {
      throw new CeremonyError(CeremonyErrorCode.ActionFailed, `The ceremony script is wrong: set ${set.setId} has no share ${index}.`);
    }
    const card = makeShareCard(set, index, { ceremonyId: ctx.ceremonyId, custodianName: await checkedInName(ctx, participant), date: new Date() });
    const sharePrinter = ctx.services.sharePrinter as SharePrinter | undefined;
    if (!ctx.rehearsal && !sharePrinter) {
      throw new CeremonyError(
        CeremonyErrorCode.ActionFailed,
        'This workstation has no printer set up for share cards, and a share card is never saved to a file outside rehearsal. Connect the printer and retry the step.',
      );
    }
    // allowSecretFile only in rehearsal: the one case where a share may sit in a file (marked REHEARSAL).
    const rendered = await renderShareCardsPdf([card], { paper: 'A4', rehearsal: ctx.rehearsal, allowSecretFile: ctx.rehearsal, printer: printerOf(ctx) });
    const about = { index, setId: set.setId, pages: rendered.pages, custodian: participant };
    if (ctx.rehearsal) {
      const file = await ctx.outputs.write(shareCardFileName(set.setId, index), rendered.pdf, { secret: true });
      rendered.pdf.fill(0);
      return { publicResult: { ...about, printedTo: 'file', file: file.name, fileSha256: file.sha256 } };
    }
    try {
      await sharePrinter!.printPdf(rendered.pdf, { document: 'share-card', ceremonyId: ctx.ceremonyId, index });
    } finally {
      rendered.pdf.fill(0);
    }
    return { publicResult: { ...about, printedTo: 'printer' } };
  },
};
