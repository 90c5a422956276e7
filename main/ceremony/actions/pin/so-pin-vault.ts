import type { ActionContext, JsonObject } from '../registry';
import { vaultOf } from '../vault';
import { PinCeremonyError, PinCeremonyErrorCode } from '../../../errors';

/**
 * Where the SO-PIN lives between the step that makes or rebuilds it and the step that uses it: the ceremony's secret
 * vault (memory only, zeroed on drop). The names are the ones the share actions are given as `vaultKey`.
 */
export enum SoPinVaultKey {
  /** the token's current SO-PIN: generated at initialisation, or rebuilt from custodian shares */
  Current = 'so-pin',
  /** the next SO-PIN during a rotation, until C_SetPIN has made it current */
  Next = 'so-pin-next',
}

export function vaultKeyParam(params: JsonObject, name = 'vaultKey', fallback: string = SoPinVaultKey.Current): string {
  const value = params[name];
  return typeof value === 'string' && value ? value : fallback;
}

/** The SO-PIN bytes held in the vault (the vault keeps ownership; callers must not zero or keep them). */
export function heldSoPin(ctx: ActionContext, key: string): Uint8Array {
  const bytes = vaultOf(ctx.services).getBytes(ctx.ceremonyId, key);
  if (!bytes || bytes.length === 0) {
    throw new PinCeremonyError(
      PinCeremonyErrorCode.SoPinNotInMemory,
      'The SO-PIN is not in memory: it was already zeroed, or the application restarted since it was rebuilt. Nothing was sent to the token. ' +
        'Abort this ceremony and start it again; the custodians enter their shares again.',
    );
  }
  return bytes;
}

export function hasSoPin(ctx: ActionContext, key: string): boolean {
  return (vaultOf(ctx.services).getBytes(ctx.ceremonyId, key)?.length ?? 0) > 0;
}

/** Zeroes and forgets the SO-PIN; true when there was one. */
export function forgetSoPin(ctx: ActionContext, key: string): boolean {
  const vault = vaultOf(ctx.services);
  const held = vault.getBytes(ctx.ceremonyId, key) !== undefined;
  vault.drop(ctx.ceremonyId, key);
  return held;
}
