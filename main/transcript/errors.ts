import { CustodianError } from '../errors';
/** Why a transcript or a share card could not be produced: a code for programs, a sentence for the room. */
export enum TranscriptErrorCode {
  /** the journal does not verify; a transcript of it would be worthless, so none is printed */
  JournalInvalid = 'JournalInvalid',
  /** the journal has no events */
  JournalEmpty = 'JournalEmpty',
  /** Chromium is not installed where expected */
  ChromiumMissing = 'ChromiumMissing',
  /** Chromium started but printing failed */
  PrintFailed = 'PrintFailed',
  /** the output file already exists; printed outputs are never overwritten */
  OutputExists = 'OutputExists',
  /** the print stylesheet could not be found */
  StylesheetMissing = 'StylesheetMissing',
  /** no share cards were given */
  NoCards = 'NoCards',
  /** share cards (secrets in the clear) would be written to disk outside rehearsal */
  SecretFileRefused = 'SecretFileRefused',
}

export class TranscriptError extends CustodianError<TranscriptErrorCode> {
  override name = 'TranscriptError';
}
