/**
 * The one base of main's errors: a `code` a program branches on and a sentence (`message`) a person in the room can
 * read. Each area names its own codes (CeremonyErrorCode, JournalErrorCode, …) in a subclass; reasonOf() turns any
 * of them into the journal-safe { code, message }. The device host's protocol errors (native/) cross the RPC as
 * { code, message } and become HostError here.
 */
export class CustodianError<Code extends string = string> extends Error {
  constructor(
    readonly code: Code,
    message: string,
  ) {
    super(message);
    this.name = 'CustodianError';
  }
}
