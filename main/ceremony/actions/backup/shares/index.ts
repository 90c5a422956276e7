/*
 * Generic split-knowledge share actions, for any secret a ceremony holds in the vault (a backup KEK, an SO-PIN,
 * a YubiHSM wrap key). Secrets live only in ctx.services.vault (SecretVault), by a vault key the script chooses.
 * Param names avoid the journal's secret words ("secret", "kek", "pin", "share"): step params are journaled.
 *
 * shares.split        params { vaultKey, n, m, setId?, checkValueMethod? ('AES-KCV' | 'HMAC-SHA256-V1') }
 *                     Splits vault[vaultKey] (left in place) into N shares, any M rebuild it; keeps the set in the
 *                     vault next to it (vaultKey + '#share-set') for cards and rehearsal.
 *                     result { setId, n, m, checkValue: "AES-KCV 1a2b3c", shareSet: <public record: formatVersion,
 *                     setId, n, m, secretLength, checkValue {method,value}, commitments [{index,commitment}]> }
 *                     reveal { 'share-1' … 'share-N' } (grouped text) — reveal step: secret { step, key: share-<i> }
 * shares.print-card   params { vaultKey, index, custodian? (participant id, default custodian-<index>) }
 *                     Rehearsal: PDF card into outputs (share-card-<setId>-<i>.pdf). Otherwise straight to
 *                     ctx.services.sharePrinter (SharePrinter), never a file. result { index, setId, pages, printedTo, file?, fileSha256? }
 * shares.accept       params { collectorVaultKey, shareSet (public record, e.g. ${steps.split.result.shareSet} or a
 *                     bundle's), expectedFrom? (words for the message, e.g. "the chosen backup bundle"), field? (default
 *                     'share'), rehearsalCopyOf? (split vaultKey) + custodianIndex? (rehearsal read-back when nothing typed) }
 *                     inputs { share: secret text field, `journal: commitment` } — ONE share per step, checked at once
 *                     (checksum, set id, M/N, duplicate, commitment). Errors keep main/shares' codes (ChecksumError,
 *                     WrongSet, DuplicateShare, CommitmentMismatch, …), plus SetMismatch when the FIRST share is of another set.
 *                     result { index, setId, remaining, acceptedIndexes, commitmentChecked, enteredBy }
 * shares.combine      params { collectorVaultKey, into? (vault key for the rebuilt secret) | compareWith? (vault key of
 *                     the original: rehearsal, rebuilt is compared then zeroed), m? (for the "too few" message) }
 *                     Check value compared (CheckValueMismatch); TooFewShares when short; RehearsalMismatch.
 *                     result { shareIndexes, checkValueMatches, checkValue, secretLength, heldInMemoryAs? | sameAsOriginal? }
 * shares.forget       params { vaultKeys: [..] } zeroes those entries and their share sets. result { entriesZeroed, remainingInMemory }
 */
import type { ActionRegistry } from '../../registry';
import { acceptShare } from './accept';
import { combineShares, forgetSecrets } from './combine';
import { printShareCard } from './print-card';
import { splitSecret } from './split';

export { acceptShare, SetMismatchError } from './accept';
export { combineShares, forgetSecrets, RehearsalMismatchError } from './combine';
export { HeldShareSet, heldShareSet, shareSetVaultKey, vaultBytes } from './held-set';
export { expectedShareSet, type ExpectedShareSet } from './params';
export { printShareCard, shareCardFileName, type SharePrinter } from './print-card';
export { revealKeyOf, splitSecret } from './split';

export function registerShareActions(registry: ActionRegistry): void {
  registry
    .register('shares.split', splitSecret)
    .register('shares.print-card', printShareCard)
    .register('shares.accept', acceptShare)
    .register('shares.combine', combineShares)
    .register('shares.forget', forgetSecrets);
}
