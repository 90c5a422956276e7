import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import type { PaperSize, ShareCardView, TranscriptModel } from '../../preload/print';
import type { PdfPrinter } from './printer';
import { TranscriptError, TranscriptErrorCode } from '../errors';
import { printRequest } from './footer';
import { renderShareCardsHtml, renderTranscriptHtml } from './print-html';

export interface RenderPdfOptions {
  paper: PaperSize;
  /** where to write the PDF; without it the PDF is only returned */
  out?: string;
  /** replace an existing file at `out` (atomically); by default an existing file is never overwritten */
  overwrite?: boolean;
  /** the host's printer (printToPDF under Electron, Chromium elsewhere); the caller closes it */
  printer: PdfPrinter;
}

export interface RenderedPdf {
  pdf: Uint8Array;
  pages: number;
  /** the file written, if `out` was given */
  path?: string;
}

/** Pages of a PDF as Chromium writes it (one "/Type /Page" object per page, never compressed into object streams). */
export function countPdfPages(pdf: Uint8Array): number {
  const text = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).toString('latin1');
  return (text.match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? []).length;
}

async function writeFileSafely(path: string, bytes: Uint8Array, overwrite: boolean): Promise<void> {
  const target = overwrite ? `${path}.${randomBytes(6).toString('hex')}.part` : path;
  let handle;
  try {
    handle = await open(target, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new TranscriptError(TranscriptErrorCode.OutputExists, `${path} already exists; printed outputs are never overwritten.`);
    }
    throw error;
  }
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
  if (overwrite) {
    try {
      await rename(target, path);
    } catch (error) {
      await unlink(target).catch(() => undefined);
      throw error;
    }
  }
}

async function print(render: (printer: PdfPrinter) => Promise<Uint8Array>, options: RenderPdfOptions): Promise<RenderedPdf> {
  const pdf = await render(options.printer);
  if (options.out) await writeFileSafely(options.out, pdf, options.overwrite === true);
  return { pdf, pages: countPdfPages(pdf), path: options.out };
}

/** The transcript as PDF: every page carries the ceremony id, "page n of m" and, in rehearsal, REHEARSAL. */
export async function renderTranscriptPdf(model: TranscriptModel, options: RenderPdfOptions): Promise<RenderedPdf> {
  const html = renderTranscriptHtml(model, { paper: options.paper });
  return print(
    (printer) =>
      printer.printPdf(printRequest(html, options.paper, { document: 'Key ceremony transcript', ceremonyId: model.ceremonyId, rehearsal: model.rehearsal })),
    options,
  );
}

export interface RenderShareCardsOptions extends RenderPdfOptions {
  rehearsal: boolean;
  /**
   * A share card PDF holds every custodian's share in the clear. Outside rehearsal it is written to disk only when
   * this says so explicitly; the normal path is to keep the bytes in memory and send them straight to the printer.
   */
  allowSecretFile?: boolean;
}

/** The share cards as PDF, one page per custodian. */
export async function renderShareCardsPdf(cards: ShareCardView[], options: RenderShareCardsOptions): Promise<RenderedPdf> {
  if (cards.length === 0) throw new TranscriptError(TranscriptErrorCode.NoCards, 'There are no share cards to print.');
  if (options.out && !options.rehearsal && options.allowSecretFile !== true) {
    throw new TranscriptError(
      TranscriptErrorCode.SecretFileRefused,
      'Share cards hold the shares in the clear, so outside rehearsal they are not written to a file; print them directly.',
    );
  }
  const html = renderShareCardsHtml(cards, { paper: options.paper, rehearsal: options.rehearsal });
  return print(
    (printer) => printer.printPdf(printRequest(html, options.paper, { document: 'Share card', ceremonyId: cards[0].ceremonyId, rehearsal: options.rehearsal })),
    options,
  );
}
