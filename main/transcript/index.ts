// The printed outputs of a ceremony: the journal → a transcript model → print HTML (the renderer's own
// components, rendered on the server side) → PDF; and the share cards the same way.
export { buildTranscriptModel, CeremonyEvents } from './build-model';
export type { TranscriptModelOptions } from './build-model';
export { transcriptModelFromJournal } from './from-journal';
export { outlineScript } from './script-outline';
export type { ScriptOutline, ScriptDeviceOutline } from './script-outline';
export { digestText } from './evidence';
export { escapeHtml, renderShareCardsHtml, renderTranscriptHtml } from './print-html';
export type { PrintHtmlOptions } from './print-html';
export { loadPrintStylesheet } from './stylesheet';
export { EMPTY_HEADER_TEMPLATE, footerTemplate, printRequest, PRINT_MARGINS } from './footer';
export type { PdfPrintRequest } from './footer';
export type { PdfPrinter } from './printer';
export { countPdfPages, renderShareCardsPdf, renderTranscriptPdf } from './render-pdf';
export type { RenderedPdf, RenderPdfOptions, RenderShareCardsOptions } from './render-pdf';
export { TranscriptError, TranscriptErrorCode } from '../errors';
export type { PaperSize, ShareCardView, TranscriptModel } from '../../preload/print';
