import { ShareCollector, ShareErrorCode, type ShareError } from '../../../../shares';
import { CeremonyError, CeremonyErrorCode, CustodianError } from '../../../../errors';
import type { ActionContext, ActionDefinition, ActionInputs } from '../../registry';
import { vaultOf } from '../../vault';
import { heldShareSet } from './held-set';
import { expectedShareSet, optionalInteger, optionalString, requiredString, type ExpectedShareSet } from './params';

/**
 * The first share typed belongs to another set than the one the ceremony expects. With nothing accepted yet,
 * either the card or the expected set (a restore's bundle) is the wrong one, so the message names both.
 */
export class SetMismatchError extends CustodianError<'SetMismatch'> {
  constructor(index: number, shareSetId: string, expectedSetId: string, expectedFrom: string) {
    super(
      'SetMismatch',
      `Share ${index} belongs to set ${shareSetId}, but ${expectedFrom} was made for set ${expectedSetId}: either this card is from another backup, or ${expectedFrom} is not the one these shares protect.`,
    );
    this.name = 'SetMismatchError';
  }
}

function collectorFor(ctx: ActionContext, key: string, expected: ExpectedShareSet): ShareCollector {
  const vault = vaultOf(ctx.services);
  const existing = vault.getObject<ShareCollector>(ctx.ceremonyId, key);
  if (existing) return existing;
  return vault.putObject(ctx.ceremonyId, key, new ShareCollector(expected));
}

/** The typed share as text; the engine zeroes the input bytes after the step. */
function typedShare(inputs: ActionInputs, field: string): string | undefined {
  const value = inputs[field];
  if (value instanceof Uint8Array) return value.length ? new TextDecoder().decode(value) : undefined;
  return typeof value === 'string' && value.trim() ? value : undefined;
}

/**
 * shares.accept — takes ONE share typed on this step (input field `share`, or params.field) into the collector kept in
 * the vault at params.collectorVaultKey, checking it at once against params.shareSet (the set's public record:
 * set id, M, N, check value, commitments). A bad share fails the step with its own code and sentence while the
 * custodian is still at the keyboard; a retry asks for it again; shares accepted before stay accepted.
 * Rehearsal only: when nothing was typed and params.rehearsalCopyOf names the split secret's vault key, the share of
 * custodian params.custodianIndex is read back from memory (recorded as such), so `custodian run` can rehearse.
 */
export const acceptShare: ActionDefinition = {
  description: 'Checks one custodian’s share as it is entered and keeps it in memory until enough are in.',
  async run(ctx, params, inputs) {
    const collectorKey = requiredString(params, 'collectorVaultKey');
    const expected = expectedShareSet(params);
    const expectedFrom = optionalString(params, 'expectedFrom') ?? 'this ceremony';
    let text = typedShare(inputs, optionalString(params, 'field') ?? 'share');
    let enteredBy = 'typed';
    if (!text) {
      const copyOf = optionalString(params, 'rehearsalCopyOf');
      const index = optionalInteger(params, 'custodianIndex');
      if (!ctx.rehearsal || !copyOf || index === undefined) {
        throw new CeremonyError(CeremonyErrorCode.InputsMissing, 'Type your share on this step: every group of four, as printed on your card.');
      }
      text = heldShareSet(ctx, copyOf).shares.find((s) => s.index === index)?.text;
      if (!text) throw new CeremonyError(CeremonyErrorCode.ActionFailed, `The ceremony script is wrong: there is no share ${index} to read back.`);
      enteredBy = 'rehearsal read-back from memory';
    }
    const collector = collectorFor(ctx, collectorKey, expected);
    if (collector.remaining === 0) {
      throw new CeremonyError(CeremonyErrorCode.InputNotExpected, `All ${expected.m} shares needed are already in; no more are taken.`);
    }
    const firstShare = collector.acceptedIndices.length === 0;
    const added = collector.add(text);
    if (!added.accepted) throw refusal(added.error, firstShare, expected, expectedFrom);
    return {
      publicResult: {
        index: added.index,
        setId: expected.setId,
        remaining: added.remaining,
        acceptedIndexes: collector.acceptedIndices,
        commitmentChecked: Boolean(expected.commitments),
        enteredBy,
      },
    };
  },
};

function refusal(error: ShareError, firstShare: boolean, expected: ExpectedShareSet, expectedFrom: string): Error {
  if (error.code === ShareErrorCode.WrongSet && firstShare) {
    const wrong = error as ShareError & { index: number; actualSetId: string };
    return new SetMismatchError(wrong.index, wrong.actualSetId, expected.setId, expectedFrom);
  }
  return error;
}
