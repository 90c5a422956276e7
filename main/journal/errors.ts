/** Every journal failure a program may need to tell apart. */
export enum JournalErrorCode {
  NotCanonical = 'NotCanonical',
  SecretField = 'SecretField',
  AlreadyExists = 'AlreadyExists',
  NotFound = 'NotFound',
  Corrupt = 'Corrupt',
  Closed = 'Closed',
  WriteFailed = 'WriteFailed',
}

export class JournalError extends Error {
  constructor(
    readonly code: JournalErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'JournalError';
  }
}
