import type { TokenDescription, TokenSelector } from '../../../devices';
import { modulePathOf, pkcs11Services, tokenOf } from '../pkcs11';
import type { ActionContext, JsonObject } from '../registry';
import { PinCeremonyError, PinCeremonyErrorCode } from '../../../errors';
import type { PinLimits } from './pin-rules';

/**
 * Which token a PIN step acts on. Token initialisation may name an uninitialised slot (`token: { uninitialized: true }`,
 * or an empty tokenLabel); every other step names an initialised token by label or serial, as tokenOf() reads it.
 */
export function targetOf(ctx: ActionContext, params: JsonObject): TokenSelector {
  const token = params.token as { uninitialized?: unknown; label?: unknown; serial?: unknown } | undefined;
  if (token && typeof token === 'object' && token.uninitialized === true) return { uninitialized: true };
  if ('tokenLabel' in params && (params.tokenLabel === '' || params.tokenLabel === null)) return { uninitialized: true };
  if (token && typeof token === 'object' && token.label === '' && !token.serial) return { uninitialized: true };
  return tokenOf(ctx, params);
}

export function describeTarget(selector: TokenSelector): string {
  if ('label' in selector) return `the token labelled “${selector.label}”`;
  if ('serial' in selector) return `the token with serial ${selector.serial}`;
  return 'an uninitialised token slot';
}

function matches(token: TokenDescription, selector: TokenSelector): boolean {
  if ('label' in selector) return token.flags.initialized && token.label === selector.label;
  if ('serial' in selector) return token.serial === selector.serial;
  return !token.flags.initialized;
}

/** The connected token the selector names, as the module describes it now (PIN counters and limits included). */
export async function findTarget(ctx: ActionContext, selector: TokenSelector): Promise<{ module: string; token: TokenDescription; all: TokenDescription[] }> {
  const { pkcs11 } = pkcs11Services(ctx);
  const module = modulePathOf(ctx);
  const all = await pkcs11.listTokens(module);
  const token = all.find((t) => matches(t, selector));
  if (!token) {
    throw new PinCeremonyError(
      PinCeremonyErrorCode.TokenAbsent,
      `${capitalise(describeTarget(selector))} is not connected. Insert it (or check the label), then retry this step.`,
    );
  }
  return { module, token, all };
}

export function pinLimitsOf(token: TokenDescription): PinLimits {
  return { min: token.pinLength.min, max: token.pinLength.max };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
