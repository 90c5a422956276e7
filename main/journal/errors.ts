import { CustodianError } from '../errors';
/** Every journal failure a program may need to tell apart. */
export enum JournalErrorCode {
  NotCanonical = 'NotCanonical',
  SecretField = 'SecretField',
  /** an event held the value of a secret the ceremony holds (raw, hex, base64, a share's text) */
  SecretValue = 'SecretValue',
  AlreadyExists = 'AlreadyExists',
  NotFound = 'NotFound',
  Corrupt = 'Corrupt',
  Closed = 'Closed',
  WriteFailed = 'WriteFailed',
}

export class JournalError extends CustodianError<JournalErrorCode> {
  override name = 'JournalError';
}
