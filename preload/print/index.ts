// The print contract: the print view models and the printed documents, pure React components (no Node, no I/O, no
// CSS imports) used by the renderer's preview and by main/transcript, which renders them to HTML and prints that to
// PDF. Both import it, as they import preload's IPC types; it imports nothing of ours outside this folder. The
// stylesheet stays renderer/print/print.css (the renderer's page links it, renderer/index.html; main inlines it).
export type {
  DigestText,
  ExceptionKind,
  PaperSize,
  ShareCardView,
  StepOutcome,
  TranscriptAttempt,
  TranscriptCheckValue,
  TranscriptConfirmation,
  TranscriptDevice,
  TranscriptException,
  TranscriptFingerprint,
  TranscriptHost,
  TranscriptModel,
  TranscriptParticipant,
  TranscriptPem,
  TranscriptResultLine,
  TranscriptShareSet,
  TranscriptSignatureBlock,
  TranscriptStep,
  TranscriptSummary,
  TranscriptKeySummary,
  TranscriptCertificateSummary,
} from './model';
export { TranscriptDocument, paperClass } from './TranscriptDocument';
export type { TranscriptDocumentProps } from './TranscriptDocument';
export { ShareCardDocument } from './ShareCardDocument';
export type { ShareCardDocumentProps } from './ShareCardDocument';
export { PrintPreview } from './PrintPreview';
export { DigestWords } from './DigestBlock';
export { SHARE_QR_OPTIONS, qrDataUri, qrSvg, svgDataUri } from './qr';
