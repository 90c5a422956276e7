/**
 * The one base of main's errors: a `code` a program branches on and a sentence (`message`) a person in the room can
 * read. Each area names its own codes (CeremonyErrorCode, JournalErrorCode, …) in a plain subclass, all of them here
 * below the base; reasonOf() turns any of them into the journal-safe { code, message }. The device host's protocol errors (native/) cross the RPC as
 * { code, message } and become HostError here.
 */
import { codes, type CodeOf } from '../../native/host';

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
export const CeremonyErrorCode = codes(
  'AlreadyExists',
  'ScriptMismatch',
  'ParameterInvalid',
  'UnknownParticipant',
  'AlreadyCheckedIn',
  'NameMismatch',
  'IdentityCheckMissing',
  'NotCheckedIn',
  'CheckInIncomplete',
  'NotCurrentStep',
  'NotInQuorum',
  'QuorumNotMet',
  'InputNotExpected',
  'WrongParticipant',
  'InputInvalid',
  'InputsMissing',
  'InputAlreadyProvided',
  'Paused',
  'NotPaused',
  'Finished',
  'StepFailed',
  'StepNotRetryable',
  'StepRunning',
  'RevealNotShown',
  'SecretLost',
  'UnknownAction',
  'ActionFailed',
  'EffectAlreadyPresent',
  'EffectUnknown',
  'NeverStarted',
  'UnknownReveal',
  'OutputExists',
  'OutputNameInvalid',
  'ValueUnavailable',
  'AnswersInvalid',
  'SecretsNeedRehearsal',
  'ReasonMissing',
  'ReloginNeeded',
  'NotRetryable',
  /** a real device in a ceremony that must run on rehearsal devices (a rehearsal script, or the ceremony is one) */
  'RealDeviceInRehearsal',
  /** a rehearsal device in a real ceremony */
  'RehearsalDeviceInReal',
  /** rehearsal and real devices in one ceremony */
  'DevicesMixed',
  /** the device a step uses is not the one the ceremony started with */
  'DeviceChanged',
  /** a device the script names cannot be used at all (a library that is not a PKCS#11 module, or does not load) */
  'DeviceUnusable',
  /** secret material (a share card...) to be written to a file outside rehearsal */
  'SecretOutputRefused',
  /** a real ceremony on a machine with a network interface up, and the script does not allow the network */
  'NotAirGapped',
);

/** The public, journal-safe form of any error: code and message only (never a stack, never data). */
export function reasonOf(error: unknown): { code: string; message: string } {
  if (error && typeof error === 'object' && 'code' in error && typeof (error as { code: unknown }).code === 'string') {
    return { code: (error as { code: string }).code, message: (error as unknown as Error).message ?? String(error) };
  }
  return { code: CeremonyErrorCode.ActionFailed, message: error instanceof Error ? error.message : String(error) };
}

// The journal (main/journal/)
/** Every journal failure a program may need to tell apart. */
export const JournalErrorCode = codes(
  'NotCanonical',
  'SecretField',
  /** an event held the value of a secret the ceremony holds (raw, hex, base64, a share's text) */
  'SecretValue',
  'AlreadyExists',
  'NotFound',
  'Corrupt',
  'Closed',
  'WriteFailed',
);

// Transcripts and share cards (main/transcript/)
/** Why a transcript or a share card could not be produced: a code for programs, a sentence for the room. */
export const TranscriptErrorCode = codes(
  /** the journal does not verify; a transcript of it would be worthless, so none is printed */
  'JournalInvalid',
  /** the journal has no events */
  'JournalEmpty',
  /** Chromium is not installed where expected */
  'ChromiumMissing',
  /** Chromium started but printing failed */
  'PrintFailed',
  /** the output file already exists; printed outputs are never overwritten */
  'OutputExists',
  /** the print stylesheet could not be found */
  'StylesheetMissing',
  /** no share cards were given */
  'NoCards',
  /** share cards (secrets in the clear) would be written to disk outside rehearsal */
  'SecretFileRefused',
);

// Backup and restore (main/ceremony/actions/backup/)
/** Why a backup or a restore stopped: a code a program can test, a sentence the room can act on. No secret ever. */
export const BackupErrorCode = codes(
  /** a key chosen for backup is missing, ambiguous, or not "extractable only by wrapping" */
  'KeyNotBackupable',
  /** the keys parameter names no key, or one twice */
  'KeyListInvalid',
  /** the token's generator did not give the key-encryption key's random bytes */
  'KekNotMade',
  /** the key-encryption key is still on the token after destruction */
  'KekNotDestroyed',
  /** the bundle folder or its manifest cannot be read or does not follow the format */
  'BundleUnreadable',
  /** a wrapped blob's SHA-256 is not the one the manifest records */
  'BlobTampered',
  /** the manifest is not the one the backup wrote (journal hash or authentication code differs) */
  'ManifestTampered',
  /** the backup journal given is damaged, or records no such bundle */
  'BackupJournalMismatch',
  /** the target token already has an object with a label from the bundle */
  'LabelTaken',
  /** the bundle's M of N is not what this restore ceremony was prepared for */
  'ThresholdMismatch',
  /** a restored key's public key is not the one the manifest records */
  'FingerprintMismatch',
  /** the module offers no wrap a split-knowledge PKCS#11 backup can use (yubihsm_pkcs11): refused before login */
  'ModuleCannotWrap',
);

// The PIN ceremonies (main/ceremony/actions/pin/)
/**
 * Why a PIN ceremony step refused to go on: a code a program can test and a sentence the room can act on.
 * No message ever contains a PIN, a share or a length that would narrow a PIN down.
 */
export const PinCeremonyErrorCode = codes(
  /** the two entries of a new PIN differ */
  'PinEntriesDiffer',
  /** a new PIN is shorter or longer than the token accepts */
  'PinLengthOutsideTokenLimits',
  /** a new PIN is the same as the old one */
  'PinUnchanged',
  /** a PIN field of the step was left empty */
  'PinMissing',
  /** the token chosen for initialisation already holds data and erasing it was not confirmed */
  'TokenNotErasable',
  /** the label for the new token is already used by another token of the module */
  'TokenLabelInUse',
  /** the token named by the step is not connected */
  'TokenAbsent',
  /** the SO-PIN the step needs is not in memory (never made, already zeroed, or the app restarted) */
  'SoPinNotInMemory',
  /** the token refused the rebuilt SO-PIN */
  'SoPinRejected',
  /** the SO-PIN counter is at its final try: a rebuilt PIN is never spent on it */
  'SoPinFinalTry',
  /** the SO-PIN is locked: only the vendor's recovery (or re-initialisation) helps */
  'SoPinLocked',
  /** the user PIN is locked: the SO must reset it (user-pin-reset ceremony) */
  'UserPinLocked',
  /** the token's PIN limits leave no room for a strong generated SO-PIN */
  'TokenPinLimitsUnusable',
  /** the module cannot initialise a token, reset or change a PIN over PKCS#11 (Yubico's YubiHSM module) */
  'ModuleLacksPinAdministration',
  /** a parameter of the step is missing or malformed (a script error) */
  'StepMisconfigured',
);

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
export const YubiHsmCeremonyErrorCode = codes(
  /** the `device` parameter is not "simulator", a loopback connector URL or "usb:<serial>" */
  'DeviceParameterInvalid',
  /** the simulator was named outside a rehearsal */
  'SimulatorOutsideRehearsal',
  /** the device is not in the factory state and the administrator did not confirm going on */
  'NotFactoryState',
  /** the two entries of a new password differ */
  'PasswordEntriesDiffer',
  /** a new password is too short */
  'PasswordTooShort',
  /** a password field of the step was left empty */
  'PasswordMissing',
  /** the new password is the one it replaces */
  'PasswordUnchanged',
  /** the session a step needs was not opened in this ceremony (or the app restarted) */
  'SessionNotOpen',
  /** deleting this key would leave no key that can manage authentication keys */
  'WouldLockOut',
  /** the step would delete the key of the session it runs in */
  'DeletesOpenSessionKey',
  /** an old key is deleted only after its replacement was proven to open a session */
  'ReplacementNotProven',
  /** a key that must no longer open a session still does (or exists) */
  'KeyStillWorks',
  /** a new key or password did not open a session */
  'KeyDoesNotOpenSession',
  /** what the device reports does not match what was asked (capabilities, domains, id) */
  'ReadBackMismatch',
  /** the anchor given is malformed */
  'AnchorInvalid',
  /** the audit log does not continue from the anchor recorded last time */
  'AuditLogDoesNotContinue',
  /** the folder of wrapped backups is missing, empty or holds a file that is not a wrapped object */
  'BackupsUnreadable',
  /** a backup file is not the one the setup recorded (its SHA-256), or the manifest not the one the setup journal holds */
  'BackupTampered',
  /** the setup journal given does not verify, or records no YubiHSM backup */
  'SetupJournalMismatch',
  /** the ceremony was prepared for another threshold or number of custodians than the shares' set */
  'ThresholdMismatch',
  /** the rebuilt wrap key does not open a backup, or a restored object is not the one backed up */
  'RestoredObjectMismatch',
  /** a parameter of the step is missing or malformed (a script error) */
  'StepMisconfigured',
);

// The codes' types, and each area's error: a plain subclass of CustodianError named for its area.
export type CeremonyErrorCode = CodeOf<typeof CeremonyErrorCode>;
export type JournalErrorCode = CodeOf<typeof JournalErrorCode>;
export type TranscriptErrorCode = CodeOf<typeof TranscriptErrorCode>;
export type BackupErrorCode = CodeOf<typeof BackupErrorCode>;
export type PinCeremonyErrorCode = CodeOf<typeof PinCeremonyErrorCode>;
export type YubiHsmCeremonyErrorCode = CodeOf<typeof YubiHsmCeremonyErrorCode>;

/** The base of one area's errors: CustodianError with that area's codes, its instances named `name`. */
function area<Code extends string>(name: string) {
  return class extends CustodianError<Code> {
    override name = name;
  };
}

export class CeremonyError extends area<CeremonyErrorCode>('CeremonyError') {}
export class JournalError extends area<JournalErrorCode>('JournalError') {}
export class TranscriptError extends area<TranscriptErrorCode>('TranscriptError') {}
export class BackupError extends area<BackupErrorCode>('BackupError') {}
export class PinCeremonyError extends area<PinCeremonyErrorCode>('PinCeremonyError') {}
export class YubiHsmCeremonyError extends area<YubiHsmCeremonyErrorCode>('YubiHsmCeremonyError') {}

export function misconfigured(message: string): YubiHsmCeremonyError {
  return new YubiHsmCeremonyError(YubiHsmCeremonyErrorCode.StepMisconfigured, `The ceremony script is wrong: ${message}`);
}
