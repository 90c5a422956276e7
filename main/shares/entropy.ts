import { LowEntropySecretError } from './errors';

// What is printed about a secret — its check value on every card and in the journal, the commitment to every share —
// is public. Over a secret of 27 bits (an 8-digit PIN) a 32-bit check value lets anyone with the transcript find the
// secret by trying every PIN; share commitments let M−1 colluding custodians test guesses of the missing share's
// secret. So these values are computed only over secrets of at least 128 bits, and the caller must say how strong
// its secret is: the bytes alone cannot tell a random key from a typed word.

/** The least randomness a secret needs before Custodian prints anything derived from it. */
export const MIN_SECRET_ENTROPY_BITS = 128;

/**
 * Throws LowEntropySecretError unless `entropyBits` — the caller's statement of how the secret was made — is at least
 * 128 and is possible for a secret of this length (no more than 8 bits per byte).
 */
export function assertHighEntropy(secret: Uint8Array, entropyBits: number | undefined, what: string): void {
  if (entropyBits === undefined || !Number.isFinite(entropyBits)) throw new LowEntropySecretError(undefined, MIN_SECRET_ENTROPY_BITS, what);
  const possible = Math.min(entropyBits, secret.length * 8);
  if (possible < MIN_SECRET_ENTROPY_BITS) throw new LowEntropySecretError(Math.floor(possible), MIN_SECRET_ENTROPY_BITS, what);
}
