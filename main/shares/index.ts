// Split-knowledge secret shares: Shamir splitting (shamir-secret-sharing), a versioned bech32m text
// form with typo detection, check values, commitments, and the ceremony-side collector.
// The exact text format is in FORMAT.md next to this file.

export {
  ShareErrorCode,
  ShareError,
  ChecksumError,
  NotAShareError,
  MalformedShareError,
  UnsupportedVersionError,
  WrongSetError,
  InconsistentHeaderError,
  DuplicateShareError,
  TooFewSharesError,
  CommitmentMismatchError,
  CheckValueMismatchError,
  LowEntropySecretError,
  YubicoShareError,
  YubicoRebuildError,
  isShareError,
} from './errors';

export { SET_ID_BYTES, formatSetId, setIdToBytes, normalizeSetId, newSetId } from './set-id';

export {
  SHARE_HRP,
  SHARE_PREFIX,
  SHARE_GROUP_SIZE,
  ShareFormatVersion,
  CURRENT_SHARE_FORMAT,
  MAX_SECRET_BYTES,
  MAX_SHARES,
  MIN_THRESHOLD,
  MAX_SHARE_TEXT_LENGTH,
  shareTextLength,
  normalizeShareText,
  encodeShareText,
  decodeShareText,
  groupShareText,
} from './share-text';
export type { ShareHeader, DecodedShare, DecodeShareOptions, GroupedShareText } from './share-text';

export { CheckValueMethod, computeCheckValue, matchesCheckValue, defaultCheckValueMethod, formatCheckValue } from './check-value';
export type { CheckValue, CheckValueOptions } from './check-value';

export { MIN_SECRET_ENTROPY_BITS, assertHighEntropy } from './entropy';

export { computeShareCommitment, verifyShareCommitment, identifyBadShares } from './commitment';
export type { ShareCommitment, CommitmentVerdict, BadShare } from './commitment';

export { makeShareSet, shareSetRecord } from './share-set';
export type { ShareSet, ShareSetEntry, ShareSetOptions, ShareSetRecord } from './share-set';

export { ShareCollector, combineShareTexts } from './collector';
export type { ShareCollectorOptions, ShareAddResult, CombineShareTextsOptions } from './collector';

export { checkShareText } from './check-share-text';
export type { ShareTextCheck } from './check-share-text';

export {
  YubicoShareKind,
  YubicoShareCollector,
  YUBICO_RECORD_HEADER_BYTES,
  decodeYubicoShare,
  looksLikeYubicoShare,
  normalizeYubicoShareText,
  parseYubicoWrapKeyRecord,
} from './yubico-format';
export type { YubicoShare, YubicoShareAddResult, YubicoWrapKeyRecord } from './yubico-format';
export { combineGf256x11d, evaluateGf256x11d } from './yubico-gf256';

export { makeShareCard, shareCardCaption } from './share-card';
export type { ShareCardDetails } from './share-card';
