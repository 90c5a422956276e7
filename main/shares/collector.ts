import { combine } from 'shamir-secret-sharing';
import { matchesCheckValue, type CheckValue } from './check-value';
import { verifyShareCommitment, type ShareCommitment } from './commitment';
import {
  CheckValueMismatchError,
  CommitmentMismatchError,
  DuplicateShareError,
  InconsistentHeaderError,
  ShareError,
  TooFewSharesError,
  WrongSetError,
} from './errors';
import { normalizeSetId } from './set-id';
import { screenShare } from './screen-share';
import { decodeShareText, headerProblem, type DecodedShare } from './share-text';

// The restore side of a ceremony: custodians type their shares one at a time and each is checked the
// moment it is entered, so a typo or a card from another backup is caught while its holder is still
// at the keyboard — not after M people have queued up and the rebuild fails.

export interface ShareCollectorOptions {
  setId: string;
  m: number;
  n: number;
  /** Commitments recorded at backup time; when given, every share must match its own. */
  commitments?: readonly ShareCommitment[];
  checkValue: CheckValue;
  /** Secret length recorded at backup time, if known; shares of another length are refused. */
  secretLength?: number;
}

export type ShareAddResult =
  { accepted: true; index: number; remaining: number } | { accepted: false; index: number | null; remaining: number; error: ShareError };

export class ShareCollector {
  private readonly setId: string;
  private readonly m: number;
  private readonly n: number;
  private readonly commitments?: readonly ShareCommitment[];
  /** the set's recorded (public) check value, which the rebuilt secret must have */
  readonly checkValue: CheckValue;
  private readonly expectedShareLength?: number;
  private readonly held = new Map<number, Uint8Array>();
  private destroyed = false;

  constructor(options: ShareCollectorOptions) {
    const problem = headerProblem(1, options.n, options.m, (options.secretLength ?? 1) + 1);
    if (problem) throw new RangeError(`Cannot collect shares: ${problem}`);
    this.setId = normalizeSetId(options.setId);
    this.m = options.m;
    this.n = options.n;
    this.commitments = options.commitments;
    this.checkValue = options.checkValue;
    this.expectedShareLength = options.secretLength === undefined ? undefined : options.secretLength + 1;
  }

  /** Shares still needed before `combine()` can run. */
  get remaining(): number {
    return Math.max(0, this.m - this.held.size);
  }

  /** Indices accepted so far, ascending. */
  get acceptedIndices(): number[] {
    return [...this.held.keys()].sort((a, b) => a - b);
  }

  /** The share bytes held so far, for the journal's value guard. */
  *secretValues(): Generator<Uint8Array> {
    for (const bytes of this.held.values()) yield bytes;
  }

  /** Checks one typed share and keeps it if it passes. Never throws for a bad share: the result says why. */
  add(text: string): ShareAddResult {
    this.assertUsable();
    const screened = screenShare(text, decodeShareText, (share: DecodedShare) => this.problemWith(share), this.remaining);
    if ('rejected' in screened) return screened.rejected;
    const { share } = screened;
    this.held.set(share.index, share.bytes);
    return { accepted: true, index: share.index, remaining: this.remaining };
  }

  /** Drops an accepted share (say, a custodian entered the wrong card) and zeroes it. */
  remove(index: number): boolean {
    const bytes = this.held.get(index);
    if (!bytes) return false;
    bytes.fill(0);
    return this.held.delete(index);
  }

  /**
   * Rebuilds the secret from every accepted share and checks it against the recorded check value.
   * On success the collector destroys itself and the caller owns (and must zero) the returned secret.
   */
  async combine(): Promise<Uint8Array> {
    this.assertUsable();
    if (this.held.size < this.m) throw new TooFewSharesError(this.m, this.held.size);
    const secret = await combine([...this.held.values()]);
    if (!matchesCheckValue(secret, this.checkValue)) {
      secret.fill(0);
      throw new CheckValueMismatchError(this.checkValue.value);
    }
    this.destroy();
    return secret;
  }

  /** Zeroes every held share. The collector cannot be used afterwards. */
  destroy(): void {
    for (const bytes of this.held.values()) bytes.fill(0);
    this.held.clear();
    this.destroyed = true;
  }

  private problemWith(share: DecodedShare): ShareError | null {
    if (share.setId !== this.setId) return new WrongSetError(share.index, share.setId, this.setId);
    if (share.n !== this.n || share.m !== this.m) {
      return new InconsistentHeaderError(share.index, `it says any ${share.m} of ${share.n} restore, but this set is any ${this.m} of ${this.n}`);
    }
    if (this.held.has(share.index)) return new DuplicateShareError(share.index);
    const lengthToMatch = this.expectedShareLength ?? this.held.values().next().value?.length;
    if (lengthToMatch !== undefined && share.bytes.length !== lengthToMatch) {
      return new InconsistentHeaderError(share.index, 'it is longer or shorter than the other shares of this set');
    }
    const x = share.bytes[share.bytes.length - 1];
    for (const [index, bytes] of this.held) {
      if (bytes[bytes.length - 1] === x) {
        return new InconsistentHeaderError(share.index, `it repeats the secret-sharing position of share ${index}`);
      }
    }
    if (this.commitments) {
      const verdict = verifyShareCommitment(share, this.commitments);
      if (verdict !== 'match') return new CommitmentMismatchError(share.index, verdict === 'not-recorded');
    }
    return null;
  }

  private assertUsable(): void {
    if (this.destroyed) throw new Error('This share collector has been destroyed; start a new one.');
  }
}

export interface CombineShareTextsOptions {
  checkValue: CheckValue;
  commitments?: readonly ShareCommitment[];
  secretLength?: number;
}

/**
 * One-shot rebuild from a list of share texts (CLI, rehearsal answers files). Set id, M and N come from
 * the first readable share; the first problem found is thrown as a ShareError.
 */
export async function combineShareTexts(texts: readonly string[], options: CombineShareTextsOptions): Promise<Uint8Array> {
  // Nothing is known about the set before the first share, so its M cannot be named yet.
  if (texts.length === 0) throw new TooFewSharesError(2, 0);
  const header = decodeShareText(texts[0]); // an unreadable first share is the first thing to fix
  header.bytes.fill(0);
  const collector = new ShareCollector({ setId: header.setId, m: header.m, n: header.n, ...options });
  try {
    for (const text of texts) {
      const result = collector.add(text);
      if (!result.accepted) throw result.error;
    }
    return await collector.combine();
  } finally {
    collector.destroy();
  }
}
