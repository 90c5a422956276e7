import { CustodianError } from '../../../errors';
/**
 * Why a PIN ceremony step refused to go on: a code a program can test and a sentence the room can act on.
 * No message ever contains a PIN, a share or a length that would narrow a PIN down.
 */
export enum PinCeremonyErrorCode {
  /** the two entries of a new PIN differ */
  PinEntriesDiffer = 'PinEntriesDiffer',
  /** a new PIN is shorter or longer than the token accepts */
  PinLengthOutsideTokenLimits = 'PinLengthOutsideTokenLimits',
  /** a new PIN is the same as the old one */
  PinUnchanged = 'PinUnchanged',
  /** a PIN field of the step was left empty */
  PinMissing = 'PinMissing',
  /** the token chosen for initialisation already holds data and erasing it was not confirmed */
  TokenNotErasable = 'TokenNotErasable',
  /** the label for the new token is already used by another token of the module */
  TokenLabelInUse = 'TokenLabelInUse',
  /** the token named by the step is not connected */
  TokenAbsent = 'TokenAbsent',
  /** the SO-PIN the step needs is not in memory (never made, already zeroed, or the app restarted) */
  SoPinNotInMemory = 'SoPinNotInMemory',
  /** the token refused the rebuilt SO-PIN */
  SoPinRejected = 'SoPinRejected',
  /** the SO-PIN counter is at its final try: a rebuilt PIN is never spent on it */
  SoPinFinalTry = 'SoPinFinalTry',
  /** the SO-PIN is locked: only the vendor's recovery (or re-initialisation) helps */
  SoPinLocked = 'SoPinLocked',
  /** the user PIN is locked: the SO must reset it (user-pin-reset ceremony) */
  UserPinLocked = 'UserPinLocked',
  /** the token's PIN limits leave no room for a strong generated SO-PIN */
  TokenPinLimitsUnusable = 'TokenPinLimitsUnusable',
  /** a parameter of the step is missing or malformed (a script error) */
  StepMisconfigured = 'StepMisconfigured',
}

export class PinCeremonyError extends CustodianError<PinCeremonyErrorCode> {
  override name = 'PinCeremonyError';
}

/** The code of an error that crossed the device-host RPC (HostError, Pkcs11LayerError) or came from here. */
export function errorCodeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
