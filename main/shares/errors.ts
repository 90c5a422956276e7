// Errors a custodian may meet while typing, checking or combining shares.
// Every error carries a `code` a program can switch on and a sentence a person can act on.
// Rule for every message here: it may name a set id, an index, a count, a format version, a group
// number or a recorded (public) check value — never a share's characters, share bytes or the secret.

import { codes, type CodeOf } from '../../native/host';
import { CustodianError } from '../errors';

export const ShareErrorCode = codes(
  'ChecksumError',
  'NotAShare',
  'MalformedShare',
  'UnsupportedVersion',
  'WrongSet',
  'InconsistentHeader',
  'DuplicateShare',
  'TooFewShares',
  'CommitmentMismatch',
  'CheckValueMismatch',
  'LowEntropySecret',
);
export type ShareErrorCode = CodeOf<typeof ShareErrorCode>;

export abstract class ShareError extends CustodianError<ShareErrorCode> {}

function describeGroups(groups: readonly number[]): string {
  if (groups.length === 0) return '';
  if (groups.length === 1) return ` Group ${groups[0]} looks wrong.`;
  const last = groups[groups.length - 1];
  return ` Groups ${groups.slice(0, -1).join(', ')} and ${last} look wrong.`;
}

/** The text fails its bech32m checksum or holds a character no card ever shows. */
export class ChecksumError extends ShareError {
  /**
   * 1-based numbers of the groups of four after "cshare1" that most likely hold the typo,
   * or empty when the mistake cannot be pinned down. A hint only: nothing is ever auto-corrected.
   */
  readonly suspiciousGroups: readonly number[];
  constructor(suspiciousGroups: readonly number[] = []) {
    super(ShareErrorCode.ChecksumError, `Share text has a typo — check each group against the card.${describeGroups(suspiciousGroups)}`);
    this.name = 'ChecksumError';
    this.suspiciousGroups = [...suspiciousGroups];
  }
}

/** The text does not begin with the share prefix: someone typed something else. */
export class NotAShareError extends ShareError {
  constructor() {
    super(ShareErrorCode.NotAShare, 'This text does not start with "cshare1", so it is not a Custodian share — check the first group on the card.');
    this.name = 'NotAShareError';
  }
}

/** Checksum is right but the contents break the format's rules (a faulty or hostile encoder). */
export class MalformedShareError extends ShareError {
  readonly reason: string;
  constructor(reason: string) {
    super(ShareErrorCode.MalformedShare, `This share text is intact but its contents are not valid (${reason}). It was not made by a working Custodian.`);
    this.name = 'MalformedShareError';
    this.reason = reason;
  }
}

export class UnsupportedVersionError extends ShareError {
  readonly version: number;
  constructor(version: number) {
    super(
      ShareErrorCode.UnsupportedVersion,
      `This share uses format version ${version}, which this version of Custodian cannot read — use a Custodian release that supports it.`,
    );
    this.name = 'UnsupportedVersionError';
    this.version = version;
  }
}

export class WrongSetError extends ShareError {
  readonly index: number;
  readonly actualSetId: string;
  readonly expectedSetId: string;
  constructor(index: number, actualSetId: string, expectedSetId: string) {
    super(
      ShareErrorCode.WrongSet,
      `This share belongs to set ${actualSetId}, but this ceremony needs set ${expectedSetId} — it is a card from a different backup.`,
    );
    this.name = 'WrongSetError';
    this.index = index;
    this.actualSetId = actualSetId;
    this.expectedSetId = expectedSetId;
  }
}

/** The share's own header (M of N, length) disagrees with the set it claims to belong to. */
export class InconsistentHeaderError extends ShareError {
  readonly index: number;
  constructor(index: number, detail: string) {
    super(ShareErrorCode.InconsistentHeader, `Share ${index} does not fit this set: ${detail}. Check that the card belongs to this backup.`);
    this.name = 'InconsistentHeaderError';
    this.index = index;
  }
}

export class DuplicateShareError extends ShareError {
  readonly index: number;
  constructor(index: number) {
    super(ShareErrorCode.DuplicateShare, `Share ${index} has already been entered — each share counts once; the next custodian should enter theirs.`);
    this.name = 'DuplicateShareError';
    this.index = index;
  }
}

export class TooFewSharesError extends ShareError {
  readonly needed: number;
  readonly have: number;
  constructor(needed: number, have: number) {
    super(ShareErrorCode.TooFewShares, `Need ${needed} shares to rebuild the secret, have ${have}.`);
    this.name = 'TooFewSharesError';
    this.needed = needed;
    this.have = have;
  }
}

export class CommitmentMismatchError extends ShareError {
  readonly index: number;
  /** true when the journal holds no commitment at all for this index. */
  readonly notRecorded: boolean;
  constructor(index: number, notRecorded = false) {
    super(
      ShareErrorCode.CommitmentMismatch,
      notRecorded
        ? `No commitment was recorded for share ${index} at backup time, so it cannot be trusted — do not use it.`
        : `Share ${index} does not match what was recorded at backup time — the card may be damaged or altered; do not use it.`,
    );
    this.name = 'CommitmentMismatchError';
    this.index = index;
    this.notRecorded = notRecorded;
  }
}

export class CheckValueMismatchError extends ShareError {
  readonly expected: string;
  constructor(expected: string) {
    // The check value of the wrong result is deliberately left out: it describes garbage built from shares.
    super(
      ShareErrorCode.CheckValueMismatch,
      `The rebuilt secret does not have the recorded check value ${expected} — these shares do not rebuild this set's secret, so it will not be used.`,
    );
    this.name = 'CheckValueMismatchError';
    this.expected = expected;
  }
}

/**
 * A check value or a set of share commitments was asked for over a secret weaker than 128 bits (or one whose strength
 * nobody stated). Either is printed and journaled, and over a weak secret it lets anyone holding the transcript — or
 * M−1 custodians together — test guesses offline. The message gives the numbers, never the secret.
 */
export class LowEntropySecretError extends ShareError {
  constructor(
    readonly entropyBits: number | undefined,
    readonly requiredBits: number,
    what: string,
  ) {
    super(
      ShareErrorCode.LowEntropySecret,
      entropyBits === undefined
        ? `Refused to compute ${what}: the secret's strength was not stated, and ${what} is only made over secrets of at least ${requiredBits} bits.`
        : `Refused to compute ${what}: the secret has ${entropyBits} bits of randomness, and ${what} is only made over secrets of at least ${requiredBits} bits (a weaker one could be guessed from what is printed).`,
    );
    this.name = 'LowEntropySecretError';
  }
}

export function isShareError(value: unknown): value is ShareError {
  return value instanceof ShareError;
}

/**
 * A share in Yubico's format (yubihsm-setup, yubihsm-manager) that cannot be read as typed. Those formats carry no
 * checksum, so only what the text's own form rules out is caught here (a wrong count of characters, a character the
 * format never uses, an impossible ending): the code says which kind of mistake (NotAShare, MalformedShare,
 * ChecksumError for a typo the form reveals). The message names positions and counts, never the share's characters.
 */
export type YubicoShareErrorCode = Extract<ShareErrorCode, 'NotAShare' | 'MalformedShare' | 'ChecksumError'>;

export class YubicoShareError extends ShareError {
  declare readonly code: YubicoShareErrorCode;
  constructor(code: YubicoShareErrorCode, message: string) {
    super(code, message);
    this.name = 'YubicoShareError';
  }
}

/**
 * M shares in Yubico's format rebuilt a wrap key that does not open the wrapped backups (or not a wrap-key record at
 * all). Without a checksum the share at fault cannot be named: one of them was mistyped, or they are not all from
 * one set. Nothing was put on a device.
 */
export class YubicoRebuildError extends ShareError {
  constructor(
    readonly indexes: readonly number[],
    detail: string,
  ) {
    super(
      ShareErrorCode.CheckValueMismatch,
      `Shares ${indexes.join(', ')} together do not rebuild the wrap key of these backups (${detail}). Yubico's share format has no checksum, so the share at fault cannot be named: one was mistyped, or they are from different sets. Nothing was put on the YubiHSM; each custodian re-reads their share.`,
    );
    this.name = 'YubicoRebuildError';
  }
}
