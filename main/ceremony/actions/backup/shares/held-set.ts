import type { ShareSet } from '../../../../shares';
import { CeremonyError, CeremonyErrorCode } from '../../../../errors';
import type { ActionContext } from '../../registry';
import { vaultOf } from '../../vault';

/**
 * A share set kept in the vault between the split and the last step that needs the share texts (the share cards,
 * the restore rehearsal). JavaScript strings cannot be zeroed, so destroy() lets go of every reference to them; the
 * raw share bytes were zeroed by makeShareSet already.
 */
export class HeldShareSet {
  constructor(private set: ShareSet | null) {}

  get(): ShareSet {
    if (!this.set) throw new CeremonyError(CeremonyErrorCode.SecretLost, 'The shares are no longer in memory.');
    return this.set;
  }

  /** The share texts, for the journal's value guard while they are held. */
  *secretValues(): Generator<string> {
    for (const share of this.set?.shares ?? []) if (share.text) yield share.text;
  }

  destroy(): void {
    if (this.set) for (const share of this.set.shares) (share as { text: string }).text = '';
    this.set = null;
  }
}

/** Where the split keeps the share set of the secret at `vaultKey`. */
export function shareSetVaultKey(vaultKey: string): string {
  return `${vaultKey}#share-set`;
}

export function heldShareSet(ctx: ActionContext, vaultKey: string): ShareSet {
  const held = vaultOf(ctx.services).getObject<HeldShareSet>(ctx.ceremonyId, shareSetVaultKey(vaultKey));
  if (!held) {
    throw new CeremonyError(
      CeremonyErrorCode.SecretLost,
      'The shares are no longer in memory (the application was restarted after the split). Abort this ceremony and run the backup again.',
    );
  }
  return held.get();
}

/** A secret the vault holds, or a clear error when it is gone (a restart empties the vault). */
export function vaultBytes(ctx: ActionContext, vaultKey: string, what: string): Uint8Array {
  const bytes = vaultOf(ctx.services).getBytes(ctx.ceremonyId, vaultKey);
  if (!bytes) {
    throw new CeremonyError(
      CeremonyErrorCode.SecretLost,
      `The ${what} is no longer in memory (the application was restarted, or an earlier step did not run). Abort this ceremony and start again.`,
    );
  }
  return bytes;
}
