import { CustodianError } from '../../../errors';
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
