import { split } from 'shamir-secret-sharing';
import { computeCheckValue, type CheckValue, type CheckValueMethod } from './check-value';
import { computeShareCommitment, type ShareCommitment } from './commitment';
import { assertHighEntropy } from './entropy';
import { newSetId, normalizeSetId } from './set-id';
import { CURRENT_SHARE_FORMAT, encodeShareText, groupShareText, headerProblem, type ShareFormatVersion } from './share-text';

export interface ShareSetOptions {
  /** Number of shares (custodians), 2..255. */
  n: number;
  /** Threshold: any M of the N rebuild the secret, 2..N. */
  m: number;
  /** Fixed set id (any accepted spelling); a fresh random one when absent. */
  setId?: string;
  /**
   * Bits of randomness in the secret, as the code that made it knows (a 256-bit KEK: 256; an SO-PIN of 26 base32
   * characters: 130). The check value and the commitments are public, so a secret below 128 bits is refused.
   */
  entropyBits: number;
  /** Defaults to AES-KCV for 16/24/32-byte secrets, HMAC-SHA256-V1 otherwise. */
  checkValueMethod?: CheckValueMethod;
}

export interface ShareSetEntry extends ShareCommitment {
  index: number;
  /** The share in one piece, lowercase, as the QR code and the journal's rehearsal check use it. */
  text: string;
  /** "cshare1 " and groups of four separated by spaces — what the card prints. */
  grouped: string;
  groups: string[];
  /** Hex SHA-256 commitment to record in the journal (public). */
  commitment: string;
}

export interface ShareSet {
  formatVersion: ShareFormatVersion;
  setId: string;
  n: number;
  m: number;
  secretLength: number;
  /** Public: goes into the journal and on every card. */
  checkValue: CheckValue;
  shares: ShareSetEntry[];
}

/**
 * Splits `secret` into N shares, any M of which rebuild it. Refused (LowEntropySecretError) unless options.entropyBits
 * says the secret has at least 128 bits: the check value and the commitments made here are printed and journaled. The caller keeps ownership of `secret`
 * (and zeroes it); nothing here holds on to it or to the raw share bytes once the texts exist.
 * The texts themselves are secret: show each only to its custodian.
 */
export async function makeShareSet(secret: Uint8Array, options: ShareSetOptions): Promise<ShareSet> {
  const { n, m } = options;
  const problem = headerProblem(1, n, m, secret.length + 1);
  if (problem) throw new RangeError(`Cannot split: ${problem}`);
  const setId = options.setId === undefined ? newSetId() : normalizeSetId(options.setId);
  assertHighEntropy(secret, options.entropyBits, 'share commitments');
  const checkValue = computeCheckValue(secret, { entropyBits: options.entropyBits, method: options.checkValueMethod });

  // shamir-secret-sharing accepts only a plain Uint8Array (a Node Buffer, as pkcs11js returns, is refused),
  // so a Buffer is copied — and the copy zeroed below.
  const plainSecret = secret.constructor === Uint8Array ? secret : Uint8Array.from(secret);
  let rawShares: Uint8Array[];
  try {
    rawShares = await split(plainSecret, n, m);
  } finally {
    if (plainSecret !== secret) plainSecret.fill(0);
  }
  try {
    const shares = rawShares.map((bytes, position): ShareSetEntry => {
      const share = { version: CURRENT_SHARE_FORMAT, setId, index: position + 1, n, m, bytes };
      const text = encodeShareText(share);
      const { grouped, groups } = groupShareText(text);
      return { index: share.index, text, grouped, groups, commitment: computeShareCommitment(share) };
    });
    return { formatVersion: CURRENT_SHARE_FORMAT, setId, n, m, secretLength: secret.length, checkValue, shares };
  } finally {
    for (const bytes of rawShares) bytes.fill(0);
  }
}

/** The public record of a set for the journal: everything except the share texts. */
export interface ShareSetRecord extends Omit<ShareSet, 'shares'> {
  commitments: ShareCommitment[];
}

export function shareSetRecord(set: ShareSet): ShareSetRecord {
  const { formatVersion, setId, n, m, secretLength, checkValue } = set;
  const commitments = set.shares.map(({ index, commitment }) => ({ index, commitment }));
  return { formatVersion, setId, n, m, secretLength, checkValue, commitments };
}
