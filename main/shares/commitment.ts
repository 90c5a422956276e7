import { createHash } from 'node:crypto';
import { decodeShareText, type DecodedShare } from './share-text';
import { setIdToBytes } from './set-id';
import { isShareError } from './errors';

// A commitment is a hash of one share recorded in the journal at backup time. At restore it names the
// bad card among several (a wrong combine alone only says "something is wrong"). It reveals nothing
// useful about a share: the share bytes are as random as the secret (see FORMAT.md, "Commitment").

const COMMITMENT_DOMAIN = 'custodian share commitment v1';

export interface ShareCommitment {
  index: number;
  /** Lowercase hex SHA-256. */
  commitment: string;
}

/** SHA-256( "custodian share commitment v1" || 0x00 || set id (8 bytes) || index (1 byte) || share bytes ). */
export function computeShareCommitment(share: Pick<DecodedShare, 'setId' | 'index' | 'bytes'>): string {
  return createHash('sha256')
    .update(COMMITMENT_DOMAIN, 'utf8')
    .update(Uint8Array.of(0))
    .update(setIdToBytes(share.setId))
    .update(Uint8Array.of(share.index))
    .update(share.bytes)
    .digest('hex');
}

export type CommitmentVerdict = 'match' | 'mismatch' | 'not-recorded';

export function verifyShareCommitment(share: Pick<DecodedShare, 'setId' | 'index' | 'bytes'>, commitments: readonly ShareCommitment[]): CommitmentVerdict {
  const recorded = commitments.find((c) => c.index === share.index);
  if (!recorded) return 'not-recorded';
  return computeShareCommitment(share) === recorded.commitment.toLowerCase() ? 'match' : 'mismatch';
}

export interface BadShare {
  /** Position of the share in the list given (0-based). */
  position: number;
  /** The share's index when it could be read. */
  index: number | null;
  problem: 'unreadable' | 'not-recorded' | 'mismatch';
  /** Plain sentence for unreadable shares (from the decoder). */
  message?: string;
}

/** Names the shares that do not match the journal's commitments. An empty list means every share is as recorded. */
export function identifyBadShares(shares: readonly (string | DecodedShare)[], commitments: readonly ShareCommitment[]): BadShare[] {
  const bad: BadShare[] = [];
  shares.forEach((entry, position) => {
    let share: DecodedShare;
    try {
      share = typeof entry === 'string' ? decodeShareText(entry) : entry;
    } catch (error) {
      if (!isShareError(error)) throw error;
      bad.push({ position, index: null, problem: 'unreadable', message: error.message });
      return;
    }
    const verdict = verifyShareCommitment(share, commitments);
    if (typeof entry === 'string') share.bytes.fill(0);
    if (verdict !== 'match') bad.push({ position, index: share.index, problem: verdict });
  });
  return bad;
}
