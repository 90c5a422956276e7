import { CustodianError } from '../errors';
/** Why the engine refused a command or a step failed: a code for programs, a sentence for the room. */
export enum CeremonyErrorCode {
  AlreadyExists = 'AlreadyExists',
  ScriptMismatch = 'ScriptMismatch',
  ParameterInvalid = 'ParameterInvalid',
  UnknownParticipant = 'UnknownParticipant',
  AlreadyCheckedIn = 'AlreadyCheckedIn',
  NameMismatch = 'NameMismatch',
  IdentityCheckMissing = 'IdentityCheckMissing',
  NotCheckedIn = 'NotCheckedIn',
  CheckInIncomplete = 'CheckInIncomplete',
  NotCurrentStep = 'NotCurrentStep',
  NotInQuorum = 'NotInQuorum',
  QuorumNotMet = 'QuorumNotMet',
  InputNotExpected = 'InputNotExpected',
  WrongParticipant = 'WrongParticipant',
  InputInvalid = 'InputInvalid',
  InputsMissing = 'InputsMissing',
  InputAlreadyProvided = 'InputAlreadyProvided',
  Paused = 'Paused',
  NotPaused = 'NotPaused',
  Finished = 'Finished',
  StepFailed = 'StepFailed',
  StepNotRetryable = 'StepNotRetryable',
  StepRunning = 'StepRunning',
  RevealNotShown = 'RevealNotShown',
  SecretLost = 'SecretLost',
  UnknownAction = 'UnknownAction',
  ActionFailed = 'ActionFailed',
  EffectAlreadyPresent = 'EffectAlreadyPresent',
  EffectUnknown = 'EffectUnknown',
  NeverStarted = 'NeverStarted',
  UnknownReveal = 'UnknownReveal',
  OutputExists = 'OutputExists',
  OutputNameInvalid = 'OutputNameInvalid',
  ValueUnavailable = 'ValueUnavailable',
  AnswersInvalid = 'AnswersInvalid',
  SecretsNeedRehearsal = 'SecretsNeedRehearsal',
  ReasonMissing = 'ReasonMissing',
  ReloginNeeded = 'ReloginNeeded',
  NotRetryable = 'NotRetryable',
  /** a real device in a ceremony that must run on rehearsal devices (a rehearsal script, or the ceremony is one) */
  RealDeviceInRehearsal = 'RealDeviceInRehearsal',
  /** a rehearsal device in a real ceremony */
  RehearsalDeviceInReal = 'RehearsalDeviceInReal',
  /** rehearsal and real devices in one ceremony */
  DevicesMixed = 'DevicesMixed',
  /** the device a step uses is not the one the ceremony started with */
  DeviceChanged = 'DeviceChanged',
  /** secret material (a share card...) to be written to a file outside rehearsal */
  SecretOutputRefused = 'SecretOutputRefused',
  /** a real ceremony on a machine with a network interface up, and the script does not allow the network */
  NotAirGapped = 'NotAirGapped',
}

export class CeremonyError extends CustodianError<CeremonyErrorCode> {
  override name = 'CeremonyError';
}

/** The public, journal-safe form of any error: code and message only (never a stack, never data). */
export function reasonOf(error: unknown): { code: string; message: string } {
  if (error && typeof error === 'object' && 'code' in error && typeof (error as { code: unknown }).code === 'string') {
    return { code: (error as { code: string }).code, message: (error as unknown as Error).message ?? String(error) };
  }
  return { code: CeremonyErrorCode.ActionFailed, message: error instanceof Error ? error.message : String(error) };
}
