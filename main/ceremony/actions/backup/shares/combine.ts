import { timingSafeEqual } from 'node:crypto';
import { formatCheckValue, ShareCollector } from '../../../../shares';
import { CeremonyError, CeremonyErrorCode, CustodianError } from '../../../../errors';
import type { ActionDefinition } from '../../registry';
import { vaultOf } from '../../vault';
import { shareSetVaultKey, vaultBytes } from './held-set';
import { optionalString, requiredString, stringList } from './params';

/** The rebuilt secret differs from the one that was split (rehearsal): the shares as printed do not restore it. */
export class RehearsalMismatchError extends CustodianError<'RehearsalMismatch'> {
  constructor() {
    super(
      'RehearsalMismatch',
      'The shares typed back rebuild a different secret from the one that was split. Do not rely on these cards: abort the ceremony and run the backup again.',
    );
    this.name = 'RehearsalMismatchError';
  }
}

/**
 * shares.combine — rebuilds the secret from the shares collected at params.collectorVaultKey and compares its check
 * value with the set's (the collector knows it). Then either keeps it in the vault at params.into (a restore), or
 * compares it byte for byte with the original at params.compareWith and zeroes it (a backup's restore rehearsal).
 */
export const combineShares: ActionDefinition = {
  description: 'Rebuilds the secret from the shares entered and compares its check value with the recorded one.',
  async run(ctx, params) {
    const vault = vaultOf(ctx.services);
    const collectorKey = requiredString(params, 'collectorVaultKey');
    const into = optionalString(params, 'into');
    const compareWith = optionalString(params, 'compareWith');
    if (!into === !compareWith) {
      throw new CeremonyError(CeremonyErrorCode.ActionFailed, 'The ceremony script is wrong: shares.combine needs exactly one of "into" and "compareWith".');
    }
    const collector = vault.getObject<ShareCollector>(ctx.ceremonyId, collectorKey);
    if (!collector) {
      // shares.accept refuses an empty share, so the steps before this one put at least one share in the collector:
      // it is gone because the application was restarted after they were typed. Typing them again would need those
      // steps again, which are done: like any secret lost to a restart, this stops the ceremony (not retryable).
      throw new CeremonyError(
        CeremonyErrorCode.SecretLost,
        'The shares typed on the steps before are no longer in memory (the application was restarted after they were typed). Abort this ceremony and run it again.',
      );
    }
    const indexes = collector.acceptedIndices;
    const secret = await collector.combine(); // TooFewShares / CheckValueMismatch with their own sentences
    vault.drop(ctx.ceremonyId, collectorKey); // already destroyed by combine; forget the entry
    // the rebuilt secret has the set's recorded check value (combine checked it): print that, compute nothing new
    const facts = { shareIndexes: indexes, checkValueMatches: true, checkValue: formatCheckValue(collector.checkValue), secretLength: secret.length };
    if (into) {
      // its strength is the original's, which this step cannot know: it is used, never split again with a new check value
      vault.putBytes(ctx.ceremonyId, into, secret);
      return { publicResult: { ...facts, heldInMemoryAs: into } };
    }
    try {
      const original = vaultBytes(ctx, compareWith!, 'original secret');
      if (original.length !== secret.length || !timingSafeEqual(original, secret)) throw new RehearsalMismatchError();
    } finally {
      secret.fill(0);
    }
    return { publicResult: { ...facts, sameAsOriginal: true } };
  },
};

/**
 * shares.forget — zeroes and drops vault entries: params.vaultKeys, each with the share set a split kept next to it.
 * The last step that needs a secret runs it (a backup's KEK after its rehearsal).
 */
export const forgetSecrets: ActionDefinition = {
  description: 'Zeroes the secrets this ceremony held in memory.',
  async run(ctx, params) {
    const vault = vaultOf(ctx.services);
    const keys = stringList(params, 'vaultKeys');
    let held = 0;
    for (const key of keys) {
      for (const entry of [key, shareSetVaultKey(key)]) {
        if (vault.getBytes(ctx.ceremonyId, entry) || vault.getObject(ctx.ceremonyId, entry)) held++;
        vault.drop(ctx.ceremonyId, entry);
      }
    }
    return { publicResult: { entriesZeroed: held, remainingInMemory: vault.size(ctx.ceremonyId) } };
  },
};
