import { isShareError, type ShareError } from './errors';

/** A typed share refused: why, and how many are still needed. */
export interface Rejected {
  accepted: false;
  index: number | null;
  remaining: number;
  error: ShareError;
}

/**
 * The first half of every collector's add(), whatever the share format: decode the typed text and check the share;
 * a share that does not decode, or fails the check (its bytes zeroed), comes back as the rejection to return.
 */
export function screenShare<S extends { index: number; bytes: Uint8Array }>(
  text: string,
  decode: (text: string) => S,
  problemWith: (share: S) => ShareError | null,
  remaining: number,
): { share: S } | { rejected: Rejected } {
  let share: S;
  try {
    share = decode(text);
  } catch (error) {
    if (!isShareError(error)) throw error;
    return { rejected: { accepted: false, index: null, remaining, error } };
  }
  const problem = problemWith(share);
  if (problem) {
    share.bytes.fill(0);
    return { rejected: { accepted: false, index: share.index, remaining, error: problem } };
  }
  return { share };
}
