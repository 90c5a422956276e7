// What the printed documents show, as plain data. Types only: main/transcript builds these from the journal,
// the renderer's preview and the PDF printer lay them out with the same components. Nothing here may import
// at runtime from outside renderer/, so the types are spelt out rather than borrowed from main/.

export type PaperSize = 'A4' | 'Letter';

/** A digest in the three forms people compare: bare hex, hex in groups of four, and 24 BIP-39 words. */
export interface DigestText {
  hex: string;
  grouped: string;
  words: string[];
}

export interface TranscriptParticipant {
  /** the seat: administrator, custodian-2, witness-1, auditor */
  id: string;
  role: string;
  name: string;
  /** what was checked at check-in, in the checker's words */
  identityCheck: string;
  /** the participant id of the one who checked it */
  checkedBy: string;
  time: string;
}

export interface TranscriptDevice {
  /** the id the script gives the device, if the device is named in the script */
  id?: string;
  kind?: string;
  vendor?: string;
  model?: string;
  serial?: string;
  firmware?: string;
  label?: string;
  modulePath?: string;
  description?: string;
}

/** 'rejected': an attempt refused as an expected mistake (wrong PIN, mistyped share); the holder typed again */
export type StepOutcome = 'completed' | 'failed' | 'interrupted' | 'running' | 'pending' | 'rejected';

export interface TranscriptAttempt {
  attempt: number;
  startedAt?: string;
  endedAt?: string;
  outcome: StepOutcome;
  /** "CODE: sentence" for a failure or interruption */
  reason?: string;
}

export interface TranscriptConfirmation {
  participantId: string;
  /** the checked-in name, when known */
  name?: string;
  time: string;
}

/** One public fact a step produced, flattened to a line: "keyLabel: ca-root". */
export interface TranscriptResultLine {
  label: string;
  value: string;
}

export interface TranscriptStep {
  id: string;
  /** 1-based, as read aloud */
  number: number;
  title: string;
  kind?: string;
  outcome: StepOutcome;
  startedAt?: string;
  completedAt?: string;
  attempts: TranscriptAttempt[];
  confirmedBy: TranscriptConfirmation[];
  /** who provided the step's inputs (participant id), if it had any */
  inputBy?: string;
  /** to whom a reveal step showed its secret */
  revealedTo?: string;
  result: TranscriptResultLine[];
  /** what the step did, in one line for the steps table (the full result is in the appendix) */
  line?: string;
  /** tries refused as expected mistakes (a wrong PIN, a mistyped share): counted, not exceptions */
  rejectedTries?: number;
  outputs: { name: string; sha256: string; size: number }[];
}

/** A key the ceremony made or restored, as page 1 lists it. */
export interface TranscriptKeySummary {
  label: string;
  id?: string;
  algorithm?: string;
  policy?: string;
  stepId?: string;
  fingerprint?: DigestText;
}

/** A certificate (or a certificate request) the ceremony signed, as page 1 lists it. */
export interface TranscriptCertificateSummary {
  kind: 'certificate' | 'request';
  subject?: string;
  notBefore?: string;
  notAfter?: string;
  serialNumber?: string;
  file?: string;
  sha256?: string;
}

/** Page 1: what was made, for the witness who signs. */
export interface TranscriptSummary {
  keys: TranscriptKeySummary[];
  certificates: TranscriptCertificateSummary[];
}

export type ExceptionKind = 'failure' | 'interrupted' | 'retry' | 'effect-check' | 'pause' | 'abort' | 'torn-tail' | 'reopened';

export interface TranscriptException {
  seq: number;
  time: string;
  kind: ExceptionKind;
  stepId?: string;
  text: string;
}

export interface TranscriptFingerprint {
  /** where it comes from: "generate-key · fingerprint" */
  label: string;
  stepId?: string;
  digest: DigestText;
}

export interface TranscriptPem {
  label: string;
  stepId?: string;
  /** PUBLIC KEY, CERTIFICATE, CERTIFICATE REQUEST */
  pemType: string;
  pem: string;
}

export interface TranscriptShareSet {
  stepId?: string;
  setId: string;
  n: number;
  m: number;
  /** e.g. "AES-KCV 1a2b3c" */
  checkValueText: string;
  commitments: { index: number; commitment: string }[];
}

export interface TranscriptCheckValue {
  label: string;
  stepId?: string;
  text: string;
}

export interface TranscriptHost {
  hostname?: string;
  platform?: string;
  osRelease?: string;
  arch?: string;
  airGapped?: boolean;
  /** "eth0 10.0.0.2/24" for every non-loopback interface that was up */
  interfacesUp: string[];
}

export interface TranscriptSignatureBlock {
  participantId: string;
  role: string;
  name: string;
}

export interface TranscriptModel {
  ceremonyId: string;
  title: string;
  description?: string;
  rehearsal: boolean;
  /** open, paused, aborted, completed */
  status: string;
  /** when the transcript was produced (ISO) */
  generatedAt: string;
  appVersion?: string;
  script?: { sha256: string; words: string[] };
  host?: TranscriptHost;
  journal: {
    eventCount: number;
    firstTime?: string;
    lastTime?: string;
    /** the journal ends with journal.closed */
    closed: boolean;
    /** printed by the ceremony's print step: the journal records this print, its confirmation and the closing after it */
    printStep?: boolean;
    /** hash of the last event: the chain head witnesses read aloud and sign */
    head: DigestText;
  };
  participants: TranscriptParticipant[];
  devices: TranscriptDevice[];
  steps: TranscriptStep[];
  exceptions: TranscriptException[];
  fingerprints: TranscriptFingerprint[];
  pems: TranscriptPem[];
  shareSets: TranscriptShareSet[];
  checkValues: TranscriptCheckValue[];
  signatures: TranscriptSignatureBlock[];
  /** page 1's list of what was made (absent in models built before it existed) */
  summary?: TranscriptSummary;
}

/**
 * What one custodian's printed share card shows: the one model of it. main/shares makes it (makeShareCard), this
 * layer lays it out; plain data, so the print layer needs nothing from main/.
 */
export interface ShareCardView {
  ceremonyId: string;
  setId: string;
  index: number;
  n: number;
  m: number;
  /** e.g. "Share 2 of 5 — any 3 of the 5 shares restore the secret". */
  caption: string;
  /** "cshare1 " then groups of four, as typed back at restore. */
  groupedText: string;
  /** The groups alone, so the card can number them (typo hints name groups by these numbers, from 1). */
  groups: string[];
  /**
   * The share in one piece, upper case: QR alphanumeric mode stores it more compactly, and the reader folds case,
   * so it is the same share as the printed text.
   */
  qrPayload: string;
  /** the set's check value: its method (AES-KCV, HMAC-SHA256-V1) and lowercase hex */
  checkValue: { method: string; value: string };
  /** e.g. "AES-KCV 1a2b3c". */
  checkValueText: string;
  /** Public hash recorded in the journal for this share. */
  commitment: string;
  /** ISO date (YYYY-MM-DD) of the backup. */
  date: string;
  custodianName: string;
  /** the share text's format version (share-text.ts in main/shares) */
  formatVersion: number;
}
