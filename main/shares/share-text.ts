import { bech32m } from '@scure/base';
import { ChecksumError, MalformedShareError, NotAShareError, ShareErrorCode, UnsupportedVersionError, YubicoShareError } from './errors';
import { formatSetId, setIdToBytes, SET_ID_BYTES } from './set-id';
import { locateTypo } from './typo-locator';
import { looksLikeYubicoShare } from './yubico-format';

// The text form of one share, exactly as FORMAT.md describes it. Anything changed here must keep
// every earlier version readable: cards printed today may be typed back in twenty years.

export const SHARE_HRP = 'cshare';
export const SHARE_PREFIX = `${SHARE_HRP}1`;

/** The first data character of a share is its format version, so a reader can tell versions apart before anything else. */
export enum ShareFormatVersion {
  V1 = 1,
}
export const CURRENT_SHARE_FORMAT = ShareFormatVersion.V1;

/** Printed and shown in groups of this many characters after "cshare1". */
export const SHARE_GROUP_SIZE = 4;

/** Largest secret v1 carries: keeps the text within the length for which FORMAT.md proves typo detection. */
export const MAX_SECRET_BYTES = 64;
export const MAX_SHARES = 255;
export const MIN_THRESHOLD = 2;

/** v1 payload header: set id (8), index (1), N (1), M (1). */
const V1_HEADER_BYTES = SET_ID_BYTES + 3;

/** Total characters of a v1 text for a secret of `secretLength` bytes (prefix, version, payload, checksum). */
export function shareTextLength(secretLength: number): number {
  const payloadBits = (V1_HEADER_BYTES + secretLength + 1) * 8;
  return SHARE_PREFIX.length + 1 + Math.ceil(payloadBits / 5) + 6;
}
export const MAX_SHARE_TEXT_LENGTH = shareTextLength(MAX_SECRET_BYTES);

export interface ShareHeader {
  version: ShareFormatVersion;
  /** Canonical set id, e.g. "3f2a-91c0-77de-0b14". */
  setId: string;
  /** 1..n, the number printed on the card ("share i of N"). */
  index: number;
  n: number;
  m: number;
}

export interface DecodedShare extends ShareHeader {
  /**
   * The share as shamir-secret-sharing made it: one byte per secret byte, then its x coordinate.
   * Secret material: zero it when done.
   */
  bytes: Uint8Array;
}

/** Why a header is impossible, or null when it is fine. Used on both sides so encode and decode agree. */
export function headerProblem(index: number, n: number, m: number, shareLength: number): string | null {
  if (!Number.isInteger(n) || n < MIN_THRESHOLD || n > MAX_SHARES) return `N must be ${MIN_THRESHOLD}..${MAX_SHARES}`;
  if (!Number.isInteger(m) || m < MIN_THRESHOLD || m > n) return `M must be ${MIN_THRESHOLD}..N`;
  if (!Number.isInteger(index) || index < 1 || index > n) return 'the index must be 1..N';
  if (shareLength < 2 || shareLength > MAX_SECRET_BYTES + 1) return `the secret must be 1..${MAX_SECRET_BYTES} bytes`;
  return null;
}

/** Removes what people and printers add — spaces, line breaks, dashes — and folds case. */
export function normalizeShareText(text: string): string {
  return text.replace(/[\s\-\u2010-\u2015\u2212]/g, '').toLowerCase();
}

export function encodeShareText(share: DecodedShare): string {
  const problem = headerProblem(share.index, share.n, share.m, share.bytes.length);
  if (problem) throw new RangeError(`Cannot encode share: ${problem}`);
  if (share.version !== ShareFormatVersion.V1) throw new RangeError(`Cannot encode format version ${share.version}`);
  if (share.bytes[share.bytes.length - 1] === 0) throw new RangeError('Cannot encode share: x coordinate 0');

  const payload = new Uint8Array(V1_HEADER_BYTES + share.bytes.length);
  payload.set(setIdToBytes(share.setId), 0);
  payload[SET_ID_BYTES] = share.index;
  payload[SET_ID_BYTES + 1] = share.n;
  payload[SET_ID_BYTES + 2] = share.m;
  payload.set(share.bytes, V1_HEADER_BYTES);
  const words = [share.version, ...bech32m.toWords(payload)];
  try {
    return bech32m.encode(SHARE_HRP, words, MAX_SHARE_TEXT_LENGTH);
  } finally {
    payload.fill(0);
    words.fill(0);
  }
}

export interface DecodeShareOptions {
  /**
   * Search for the group holding a typo when the checksum fails (default true). Costs a few thousand
   * checksum evaluations, tens of milliseconds; bulk checks such as the exhaustive typo test turn it off.
   */
  locateTypo?: boolean;
}

/** Reads a share typed in any grouping or case. Throws a ShareError that says what is wrong. */
export function decodeShareText(text: string, options: DecodeShareOptions = {}): DecodedShare {
  const normalized = normalizeShareText(text);
  if (!normalized.startsWith(SHARE_PREFIX)) {
    if (looksLikeYubicoShare(text)) {
      throw new YubicoShareError(
        ShareErrorCode.NotAShare,
        'This is a share in Yubico’s format (from yubihsm-setup or yubihsm-manager), not a Custodian share: this ceremony expects cards that start with "cshare1". A YubiHSM set up with Yubico’s tools is restored with the share format "yubico".',
      );
    }
    throw new NotAShareError();
  }

  const decoded = bech32m.decodeUnsafe(normalized, MAX_SHARE_TEXT_LENGTH);
  if (!decoded || decoded.prefix !== SHARE_HRP || decoded.words.length === 0) {
    const locate = options.locateTypo ?? true;
    throw new ChecksumError(locate ? locateTypo(normalized.slice(SHARE_PREFIX.length)) : []);
  }
  const [version, ...payloadWords] = decoded.words;
  if (version !== ShareFormatVersion.V1) throw new UnsupportedVersionError(version);

  const payload = bech32m.fromWordsUnsafe(payloadWords);
  payloadWords.fill(0);
  decoded.words.fill(0);
  if (!payload) throw new MalformedShareError('bad padding');
  try {
    return readV1Payload(payload);
  } finally {
    payload.fill(0);
  }
}

function readV1Payload(payload: Uint8Array): DecodedShare {
  if (payload.length < V1_HEADER_BYTES + 2) throw new MalformedShareError('too short');
  const index = payload[SET_ID_BYTES];
  const n = payload[SET_ID_BYTES + 1];
  const m = payload[SET_ID_BYTES + 2];
  const problem = headerProblem(index, n, m, payload.length - V1_HEADER_BYTES);
  if (problem) throw new MalformedShareError(problem);
  if (payload[payload.length - 1] === 0) throw new MalformedShareError('x coordinate 0');
  return {
    version: ShareFormatVersion.V1,
    setId: formatSetId(payload.subarray(0, SET_ID_BYTES)),
    index,
    n,
    m,
    bytes: payload.slice(V1_HEADER_BYTES),
  };
}

export interface GroupedShareText {
  /** The data characters after "cshare1", in groups of four (the last may be shorter). */
  groups: string[];
  /** "cshare1 " followed by the groups separated by single spaces — the text printed on the card. */
  grouped: string;
}

export function groupShareText(text: string): GroupedShareText {
  const normalized = normalizeShareText(text);
  const data = normalized.startsWith(SHARE_PREFIX) ? normalized.slice(SHARE_PREFIX.length) : normalized;
  const groups: string[] = [];
  for (let at = 0; at < data.length; at += SHARE_GROUP_SIZE) groups.push(data.slice(at, at + SHARE_GROUP_SIZE));
  return { groups, grouped: [SHARE_PREFIX, ...groups].join(' ') };
}
