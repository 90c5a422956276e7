/**
 * The one base of main's errors: a `code` a program branches on and a sentence (`message`) a person in the room can
 * read. Each area names its own codes (CeremonyErrorCode, JournalErrorCode, …) in a plain subclass, all of them here
 * below the base; reasonOf() turns any of them into the journal-safe { code, message }. The device host's protocol errors (native/) cross the RPC as
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

// The ceremony engine (main/ceremony/)
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

// The journal (main/journal/)
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

// Transcripts and share cards (main/transcript/)
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

// Backup and restore (main/ceremony/actions/backup/)
/** Why a backup or a restore stopped: a code a program can test, a sentence the room can act on. No secret ever. */
export enum BackupErrorCode {
  /** a key chosen for backup is missing, ambiguous, or not "extractable only by wrapping" */
  KeyNotBackupable = 'KeyNotBackupable',
  /** the keys parameter names no key, or one twice */
  KeyListInvalid = 'KeyListInvalid',
  /** the token's generator did not give the key-encryption key's random bytes */
  KekNotMade = 'KekNotMade',
  /** the key-encryption key is still on the token after destruction */
  KekNotDestroyed = 'KekNotDestroyed',
  /** the bundle folder or its manifest cannot be read or does not follow the format */
  BundleUnreadable = 'BundleUnreadable',
  /** a wrapped blob's SHA-256 is not the one the manifest records */
  BlobTampered = 'BlobTampered',
  /** the manifest is not the one the backup wrote (journal hash or authentication code differs) */
  ManifestTampered = 'ManifestTampered',
  /** the backup journal given is damaged, or records no such bundle */
  BackupJournalMismatch = 'BackupJournalMismatch',
  /** the target token already has an object with a label from the bundle */
  LabelTaken = 'LabelTaken',
  /** the bundle's M of N is not what this restore ceremony was prepared for */
  ThresholdMismatch = 'ThresholdMismatch',
  /** a restored key's public key is not the one the manifest records */
  FingerprintMismatch = 'FingerprintMismatch',
}

export class BackupError extends CustodianError<BackupErrorCode> {
  override name = 'BackupError';
}

// The PIN ceremonies (main/ceremony/actions/pin/)
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

// The YubiHSM ceremonies (main/ceremony/actions/yubihsm/)
/**
 * Why a YubiHSM ceremony step refused to go on: a code a program can test and a sentence the room can act on.
 * Device refusals keep the device's own code and sentence (AUTHENTICATION_FAILED, LOG_CHAIN_BROKEN, …); these codes
 * are the ceremony's own checks. No message ever contains a password or a key.
 */
export enum YubiHsmCeremonyErrorCode {
  /** the `device` parameter is not "simulator", a loopback connector URL or "usb:<serial>" */
  DeviceParameterInvalid = 'DeviceParameterInvalid',
  /** the simulator was named outside a rehearsal */
  SimulatorOutsideRehearsal = 'SimulatorOutsideRehearsal',
  /** the device is not in the factory state and the administrator did not confirm going on */
  NotFactoryState = 'NotFactoryState',
  /** the two entries of a new password differ */
  PasswordEntriesDiffer = 'PasswordEntriesDiffer',
  /** a new password is too short */
  PasswordTooShort = 'PasswordTooShort',
  /** a password field of the step was left empty */
  PasswordMissing = 'PasswordMissing',
  /** the new password is the one it replaces */
  PasswordUnchanged = 'PasswordUnchanged',
  /** the session a step needs was not opened in this ceremony (or the app restarted) */
  SessionNotOpen = 'SessionNotOpen',
  /** deleting this key would leave no key that can manage authentication keys */
  WouldLockOut = 'WouldLockOut',
  /** the step would delete the key of the session it runs in */
  DeletesOpenSessionKey = 'DeletesOpenSessionKey',
  /** an old key is deleted only after its replacement was proven to open a session */
  ReplacementNotProven = 'ReplacementNotProven',
  /** a key that must no longer open a session still does (or exists) */
  KeyStillWorks = 'KeyStillWorks',
  /** a new key or password did not open a session */
  KeyDoesNotOpenSession = 'KeyDoesNotOpenSession',
  /** what the device reports does not match what was asked (capabilities, domains, id) */
  ReadBackMismatch = 'ReadBackMismatch',
  /** the anchor given is malformed */
  AnchorInvalid = 'AnchorInvalid',
  /** the audit log does not continue from the anchor recorded last time */
  AuditLogDoesNotContinue = 'AuditLogDoesNotContinue',
  /** the folder of wrapped backups is missing, empty or holds a file that is not a wrapped object */
  BackupsUnreadable = 'BackupsUnreadable',
  /** a backup file is not the one the setup recorded (its SHA-256), or the manifest not the one the setup journal holds */
  BackupTampered = 'BackupTampered',
  /** the setup journal given does not verify, or records no YubiHSM backup */
  SetupJournalMismatch = 'SetupJournalMismatch',
  /** the ceremony was prepared for another threshold or number of custodians than the shares' set */
  ThresholdMismatch = 'ThresholdMismatch',
  /** the rebuilt wrap key does not open a backup, or a restored object is not the one backed up */
  RestoredObjectMismatch = 'RestoredObjectMismatch',
  /** a parameter of the step is missing or malformed (a script error) */
  StepMisconfigured = 'StepMisconfigured',
}

export class YubiHsmCeremonyError extends CustodianError<YubiHsmCeremonyErrorCode> {
  override name = 'YubiHsmCeremonyError';
}

export function misconfigured(message: string): YubiHsmCeremonyError {
  return new YubiHsmCeremonyError(YubiHsmCeremonyErrorCode.StepMisconfigured, `The ceremony script is wrong: ${message}`);
}
