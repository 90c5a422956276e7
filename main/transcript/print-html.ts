import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { ShareCardDocument, TranscriptDocument, type PaperSize, type ShareCardView, type TranscriptModel } from '../../preload/print';
import { loadPrintStylesheet } from './stylesheet';

export interface PrintHtmlOptions {
  paper: PaperSize;
  /** the stylesheet to inline; defaults to renderer/print/print.css */
  css?: string;
}

const CSS_PAPER: Record<PaperSize, string> = { A4: 'A4', Letter: 'letter' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * A whole HTML page around a document, with the print stylesheet inlined in a <style> element. Only the PDF printer
 * loads this page (never the app window, whose CSP allows no inline style). The last @page rule pins the paper size
 * so a printer that honours CSS page sizes agrees with the one that is told the size.
 */
function page(title: string, body: string, options: PrintHtmlOptions): string {
  const css = options.css ?? loadPrintStylesheet();
  return (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">' +
    `<title>${escapeHtml(title)}</title>` +
    `<style>${css}\n@page { size: ${CSS_PAPER[options.paper]}; }\nhtml, body { margin: 0; padding: 0; background: #fff; }</style>` +
    `</head><body>${body}</body></html>`
  );
}

export function renderTranscriptHtml(model: TranscriptModel, options: PrintHtmlOptions): string {
  const body = renderToStaticMarkup(createElement(TranscriptDocument, { model, paper: options.paper }));
  return page(`Transcript ${model.ceremonyId}${model.rehearsal ? ' (REHEARSAL)' : ''}`, body, options);
}

/** The share cards' page. It holds secrets: keep it in memory, hand it to the printer, drop it. */
export function renderShareCardsHtml(cards: ShareCardView[], options: PrintHtmlOptions & { rehearsal: boolean }): string {
  const body = renderToStaticMarkup(createElement(ShareCardDocument, { cards, rehearsal: options.rehearsal, paper: options.paper }));
  // The title becomes PDF metadata: it names the ceremony, never a share.
  return page(`Share cards ${cards[0]?.ceremonyId ?? ''}${options.rehearsal ? ' (REHEARSAL)' : ''}`, body, options);
}
