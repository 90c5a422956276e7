import type { TokenSelector } from '../../../devices';
import { modulePathOf, pkcs11Services, tokenStatus } from '../pkcs11';
import type { ActionContext, ActionDefinition } from '../registry';
import { PinCeremonyError, PinCeremonyErrorCode } from '../../../errors';
import { targetOf } from './token-lookup';

/**
 * The PIN ceremonies' preflight on the module: one that cannot initialise a token, reset or change a PIN over
 * PKCS#11 (Yubico's yubihsm_pkcs11: no C_InitToken, C_InitPIN, C_SetPIN, no security-officer login) is refused at
 * the ceremony's first step that reaches the device, before anyone types a share or a PIN, with the module's limit
 * and what to use instead. The PKCS#11 names go into the journal's note, for the details view.
 */

/** What each ceremony would do, in the room's words. */
export type PinAdministration = 'initialise this token' | 'reset the user PIN' | 'change the user PIN' | 'rotate the SO-PIN' | 'make a practice token';

export async function refuseWithoutPinAdministration(ctx: ActionContext, selector: TokenSelector, what: PinAdministration): Promise<void> {
  const { pkcs11 } = pkcs11Services(ctx);
  const module = modulePathOf(ctx);
  const tokens = await pkcs11.listTokens(module);
  // the module's limits come with its identity: any of its tokens tells them (the named one first; an empty slot
  // has no serial to name it by)
  const named = tokens.find((t) => ('serial' in selector ? t.serial === selector.serial : 'label' in selector ? t.label === selector.label : false));
  const any = named ?? tokens.find((t) => t.flags.initialized && t.serial);
  if (!any) return; // no token at all: the step's own lookup says so
  const behaviour = await pkcs11.behaviour(module, { serial: any.serial });
  const limit = behaviour.pinAdministration;
  if (!limit) return;
  await ctx.log('The module offers no token or PIN administration over PKCS#11', {
    profile: behaviour.profile,
    unsupported: [...limit.unsupported],
    wanted: what,
  });
  throw new PinCeremonyError(
    PinCeremonyErrorCode.ModuleLacksPinAdministration,
    `This ceremony cannot ${what} here. ${limit.limit} Nothing was changed and no share or PIN was asked for. ${limit.instead}`,
  );
}

/** pin.token-status: the module's preflight, then the token's identity and PIN counters (as pkcs11.token-status). */
export const pinTokenStatus: ActionDefinition = {
  description: 'Checks that the module can do what this PIN ceremony needs, then reads the token’s identity and PIN counters.',
  async run(ctx, params, inputs) {
    await refuseWithoutPinAdministration(ctx, targetOf(ctx, params), params.purpose === 'change' ? 'change the user PIN' : 'reset the user PIN');
    return tokenStatus.run(ctx, params, inputs);
  },
};
