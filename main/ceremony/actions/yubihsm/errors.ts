import { CustodianError } from '../../../errors';
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
