import { CheckValueMethod, makeShareSet, shareSetRecord } from '../../../../shares';
import { CeremonyError, CeremonyErrorCode } from '../../../../errors';
import type { ActionDefinition, JsonObject } from '../../registry';
import { vaultOf } from '../../vault';
import { HeldShareSet, shareSetVaultKey, vaultBytes } from './held-set';
import { optionalString, requiredInteger, requiredString } from './params';

/** The key of a share in the split step's reveal: a reveal step names it as secret.key. */
export function revealKeyOf(index: number): string {
  return `share-${index}`;
}

/**
 * shares.split — splits the secret the vault holds at params.vaultKey into N shares, any M of which rebuild it.
 * The secret stays in the vault (the caller decides when to forget it); the share set is kept next to it for the
 * card and rehearsal steps; each share goes to the step's reveal as `share-<i>`, in the grouped form the card prints.
 * The public record (set id, M, N, check value, commitments) is the step's result, so the journal carries it.
 */
export const splitSecret: ActionDefinition = {
  description: 'Splits the secret into one share per custodian, any M of which rebuild it.',
  async run(ctx, params) {
    const vaultKey = requiredString(params, 'vaultKey');
    const n = requiredInteger(params, 'n');
    const m = requiredInteger(params, 'm');
    const setId = optionalString(params, 'setId');
    const method = optionalString(params, 'checkValueMethod');
    if (method !== undefined && !Object.values(CheckValueMethod).includes(method as CheckValueMethod)) {
      throw new CeremonyError(
        CeremonyErrorCode.ActionFailed,
        `The ceremony script is wrong: checkValueMethod must be one of ${Object.values(CheckValueMethod).join(', ')}.`,
      );
    }
    if (!(m >= 2 && m <= n && n <= 16)) {
      throw new CeremonyError(
        CeremonyErrorCode.ParameterInvalid,
        `Cannot split into ${n} shares with threshold ${m}: the threshold must be at least 2 and at most the number of custodians (at most 16).`,
      );
    }
    const secret = vaultBytes(ctx, vaultKey, 'secret to split');
    // only a secret Custodian generated carries a strength; makeShareSet refuses one below 128 bits, or none
    const entropyBits = vaultOf(ctx.services).entropyBitsOf(ctx.ceremonyId, vaultKey) ?? Number.NaN;
    const set = await makeShareSet(secret, { n, m, setId, entropyBits, checkValueMethod: method as CheckValueMethod | undefined });
    vaultOf(ctx.services).putObject(ctx.ceremonyId, shareSetVaultKey(vaultKey), new HeldShareSet(set));
    const reveal: Record<string, string> = {};
    for (const share of set.shares) reveal[revealKeyOf(share.index)] = share.grouped;
    const record = shareSetRecord(set);
    return {
      publicResult: {
        setId: record.setId,
        n: record.n,
        m: record.m,
        shareSet: record as unknown as JsonObject,
        checkValue: `${record.checkValue.method} ${record.checkValue.value}`,
      },
      reveal,
    };
  },
};
