// The printed documents: pure React components (no Node, no I/O) used by the renderer's preview and by
// main/transcript, which renders them to HTML and prints that to PDF. The stylesheet is print.css next to this file
// (the renderer gets it through PrintPreview; main inlines it).
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
export { SHARE_QR_OPTIONS, qrDataUri, qrSvg, svgDataUri } from './qr';
