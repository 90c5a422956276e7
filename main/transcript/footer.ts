import type { PaperSize } from '../../preload/print';
import { escapeHtml } from './print-html';

/** Page margins, the same as print.css's @page rules; the bottom one holds the footer. */
export const PRINT_MARGINS = { top: '16mm', right: '15mm', bottom: '20mm', left: '15mm' } as const;

/** What the printer must be told, whichever printer it is (playwright's page.pdf or Electron's printToPDF). */
export interface PdfPrintRequest {
  html: string;
  paper: PaperSize;
  /** Chromium's header template; an empty element, since an absent one prints the date and title */
  headerTemplate: string;
  /** Chromium's footer template, with <span class="pageNumber"> and <span class="totalPages"> */
  footerTemplate: string;
  margin: { top: string; right: string; bottom: string; left: string };
}

/**
 * The footer every printed page carries: what the document is, the ceremony id, REHEARSAL when it is one, and
 * "page n of m". Chromium draws it in the bottom margin with its own default font size (tiny), so the size is set
 * here; inline styles are fine in a footer template, which the app window never loads.
 */
export function footerTemplate(options: { document: string; ceremonyId: string; rehearsal: boolean }): string {
  const left = `${escapeHtml(options.document)} · ceremony ${escapeHtml(options.ceremonyId)}`;
  const rehearsal = options.rehearsal ? '<span style="font-weight:700;letter-spacing:0.08em;">REHEARSAL</span>' : '';
  return (
    "<div style=\"font-family:'DejaVu Sans',Arial,sans-serif;font-size:8pt;color:#000;width:100%;" +
    `padding:0 ${PRINT_MARGINS.right} 0 ${PRINT_MARGINS.left};display:flex;justify-content:space-between;gap:12pt;">` +
    `<span>${left}</span>${rehearsal}` +
    '<span>page <span class="pageNumber"></span> of <span class="totalPages"></span></span>' +
    '</div>'
  );
}

export const EMPTY_HEADER_TEMPLATE = '<div></div>';

export function printRequest(html: string, paper: PaperSize, footer: { document: string; ceremonyId: string; rehearsal: boolean }): PdfPrintRequest {
  return { html, paper, headerTemplate: EMPTY_HEADER_TEMPLATE, footerTemplate: footerTemplate(footer), margin: { ...PRINT_MARGINS } };
}
