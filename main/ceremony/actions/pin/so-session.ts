import type { PinCounters, TokenDescription, TokenSelector } from '../../../devices';
import { counterSentence, pinFlags, pkcs11Services, sessionSlot, tokenOf } from '../pkcs11';
import type { ActionContext, JsonObject } from '../registry';
import { errorCodeOf, PinCeremonyError, PinCeremonyErrorCode } from '../../../errors';
import { heldSoPin } from './so-pin-vault';
import { findTarget } from './token-lookup';

/**
 * The Security Officer's session, opened with an SO-PIN that nobody typed: it comes from the vault (generated at
 * initialisation or rebuilt from M shares). Because nobody can "try again more carefully" with a rebuilt PIN, the
 * last try is never spent: at the final try the step stops, and a refusal says what it means.
 */

/** Errors after which the host session is gone (token removed, device host restarted): log in again. */
const LOST_SESSION_CODES = new Set([
  'SessionUnknown',
  'HostLost',
  'DeviceLost',
  'DeviceRemoved',
  'TokenNotPresent',
  'SessionHandleInvalid',
  'SessionClosed',
  'DeviceError',
]);

export function isLostSession(error: unknown): boolean {
  const code = errorCodeOf(error);
  return code !== undefined && LOST_SESSION_CODES.has(code);
}

export interface SoSession {
  sessionKey: string;
  module: string;
  selector: TokenSelector;
  token: TokenDescription;
  counters: PinCounters;
}

function whatRejectionMeans(after: PinCounters['after'] | undefined): string {
  const counter = after ? ` SO-PIN counter now: ${counterSentence('SO', after)}` : '';
  const last = after?.finalTry || after?.locked ? ' One more wrong SO-PIN would lock the token, so Custodian will not try again with these shares.' : '';
  return (
    'The token refused the rebuilt SO-PIN. Its check value matched the share set, so the shares were combined correctly: ' +
    'they are shares of another set than this token’s current SO-PIN (the wrong token, or an older set), or the token was re-initialised ' +
    `or its SO-PIN changed since these shares were made.${counter}${last} Do not retry with the same shares; find the right set of shares or the right token.`
  );
}

/** Logs in as SO with the vault's SO-PIN and keeps the session for the ceremony's next steps. */
export async function soLogin(ctx: ActionContext, params: JsonObject, vaultKey: string): Promise<SoSession> {
  const { pkcs11, pkcs11Sessions } = pkcs11Services(ctx);
  const selector = tokenOf(ctx, params);
  const pin = heldSoPin(ctx, vaultKey); // refuse before touching the token when there is no SO-PIN
  const { module, token } = await findTarget(ctx, selector);
  const so = token.flags.soPin;
  if (so.locked) {
    throw new PinCeremonyError(
      PinCeremonyErrorCode.SoPinLocked,
      `The SO-PIN of token “${token.label}” is locked. No PIN can be reset on it; only the vendor’s recovery or re-initialising the token (which erases it) helps.`,
    );
  }
  if (so.finalTry) {
    throw new PinCeremonyError(
      PinCeremonyErrorCode.SoPinFinalTry,
      `Token “${token.label}” is at its final SO-PIN try: one more wrong SO-PIN locks it for good. Custodian does not spend the last try with a rebuilt PIN. Stop and find out why earlier tries failed (wrong set of shares, or the token was re-initialised since).`,
    );
  }
  const slot = sessionSlot(ctx, selector, 'SO');
  const existing = pkcs11Sessions.get(slot);
  if (existing) {
    pkcs11Sessions.delete(slot);
    await pkcs11.closeSession(existing.sessionKey).catch(() => undefined);
  }
  const opened = await pkcs11.openSession(module, selector, true);
  await ctx.log(`C_Login as Security Officer on token “${token.label}” (serial ${token.serial})`, { soCountersBefore: pinFlags(so) });
  let counters: PinCounters;
  try {
    counters = await pkcs11.login(opened.sessionKey, 'SO', pin, false);
  } catch (error) {
    await pkcs11.closeSession(opened.sessionKey).catch(() => undefined);
    const code = errorCodeOf(error);
    const after = (error as { details?: { after?: PinCounters['after'] } }).details?.after;
    await ctx.log('C_Login as Security Officer refused', { reasonCode: code ?? 'unknown', ...(after ? { soCountersAfter: pinFlags(after) } : {}) });
    if (code === 'PinIncorrect') throw new PinCeremonyError(PinCeremonyErrorCode.SoPinRejected, whatRejectionMeans(after));
    if (code === 'PinLocked') throw new PinCeremonyError(PinCeremonyErrorCode.SoPinLocked, `The SO-PIN of token “${token.label}” is locked.`);
    if (code === 'PinFinalTryNeedsConfirmation')
      throw new PinCeremonyError(
        PinCeremonyErrorCode.SoPinFinalTry,
        `Token “${token.label}” is at its final SO-PIN try; Custodian does not spend it with a rebuilt PIN.`,
      );
    throw error;
  }
  pkcs11Sessions.set(slot, { sessionKey: opened.sessionKey, module, token: selector });
  await ctx.log('C_Login as Security Officer accepted');
  return { sessionKey: opened.sessionKey, module, selector, token, counters };
}

/**
 * Runs `fn` in the ceremony's SO session for the token, logging in with the vault's SO-PIN when there is none (or
 * when it was lost to a token removal or a device-host restart, if `relogin` allows: only for calls that may be
 * repeated, like C_InitPIN).
 */
export async function withSoSession<T>(
  ctx: ActionContext,
  params: JsonObject,
  vaultKey: string,
  fn: (sessionKey: string, module: string) => Promise<T>,
  options: { relogin: boolean } = { relogin: true },
): Promise<T> {
  const { pkcs11Sessions } = pkcs11Services(ctx);
  const slot = sessionSlot(ctx, tokenOf(ctx, params), 'SO');
  const session = pkcs11Sessions.get(slot);
  if (session) {
    try {
      return await fn(session.sessionKey, session.module);
    } catch (error) {
      if (!isLostSession(error)) throw error;
      pkcs11Sessions.delete(slot);
      await ctx.log('The Security Officer session was lost (token removed or device host restarted)', { reasonCode: errorCodeOf(error) ?? 'unknown' });
      if (!options.relogin) throw error;
    }
  }
  const fresh = await soLogin(ctx, params, vaultKey);
  return fn(fresh.sessionKey, fresh.module);
}

/** Logs the SO out and closes the session (nothing to do when there is none). */
export async function soLogout(ctx: ActionContext, params: JsonObject): Promise<boolean> {
  const { pkcs11, pkcs11Sessions } = pkcs11Services(ctx);
  const slot = sessionSlot(ctx, tokenOf(ctx, params), 'SO');
  const session = pkcs11Sessions.get(slot);
  pkcs11Sessions.delete(slot);
  if (!session) return false;
  await pkcs11.logout(session.sessionKey).catch(() => undefined);
  await pkcs11.closeSession(session.sessionKey).catch(() => undefined);
  return true;
}
