import { CKU } from './constants';
import type { Cryptoki, Handle } from './cryptoki';
import { LayerErrorCode, type PinCounterState, Pkcs11LayerError, ckrOf, toLayerError, wrongPinSentence } from './errors';
import type { LoadedModule } from './module-loader';
import type { TokenSession, UserKind } from './sessions';
import { decodeTokenFlags, describeSelector, selectToken, type TokenSelector } from './tokens';

/**
 * Login, logout and the PIN operations. The token's PIN counters (count low, final try, locked) are read before and
 * after every login, so the ceremony can warn before the last try; spending the final try needs an explicit
 * confirmation from the caller. PINs are passed to the token and never kept, logged or put into messages. They arrive
 * as bytes (the caller owns and zeroes them) and become a JS string only for the pkcs11js call, which takes one.
 */

/** The PIN as the pkcs11js call takes it: a string that lives only for that call. */
function pinText(pin: Uint8Array): string {
  return Buffer.from(pin.buffer, pin.byteOffset, pin.byteLength).toString('utf8');
}

export interface PinCounters {
  readonly before: PinCounterState;
  readonly after: PinCounterState;
}

export function readPinCounters(cryptoki: Cryptoki, slot: Handle, who: UserKind): PinCounterState {
  const flags = decodeTokenFlags(cryptoki.C_GetTokenInfo(slot).flags);
  return who === 'SO' ? flags.soPin : flags.userPin;
}

export interface LoginOptions {
  /** The custodian confirmed spending the last try before the token locks. */
  readonly confirmFinalTry?: boolean;
}

export async function login(session: TokenSession, who: UserKind, pin: Uint8Array, options: LoginOptions = {}): Promise<PinCounters> {
  const { cryptoki, slot } = session;
  const label = session.token.label;
  const before = readPinCounters(cryptoki, slot, who);
  const whose = who === 'SO' ? 'Security Officer PIN' : 'user PIN';
  if (before.locked) {
    throw new Pkcs11LayerError('PinLocked', `The ${whose} of token '${label}' is locked.${who === 'USER' ? ' The Security Officer must reset it.' : ''}`, {
      ckr: 'CKR_PIN_LOCKED',
      before,
    });
  }
  if (before.finalTry && !options.confirmFinalTry) {
    throw new Pkcs11LayerError(
      LayerErrorCode.PinFinalTryNeedsConfirmation,
      `Token '${label}' allows one more try of the ${whose}: a wrong PIN now locks it. Confirm before trying.`,
      { before },
    );
  }
  try {
    await session.use(`logging in to token '${label}'`, (handle, c) => c.C_Login(handle, who === 'SO' ? CKU.CKU_SO : CKU.CKU_USER, pinText(pin)));
  } catch (e) {
    const ckr = ckrOf(e);
    // Login belongs to the token: another session key on it may have logged this user in already. Accept that only
    // when the session state shows the same kind of user.
    if (ckr === 'CKR_USER_ALREADY_LOGGED_IN' && (await loggedInAs(session)) === who) {
      session.loggedIn = who;
      return { before, after: readPinCounters(cryptoki, slot, who) };
    }
    const after = readPinCounters(cryptoki, slot, who);
    if (ckr === 'CKR_PIN_INCORRECT') {
      throw new Pkcs11LayerError('PinIncorrect', wrongPinSentence(who === 'SO' ? 'SO' : 'user', after), { ckr, before, after });
    }
    if (ckr === 'CKR_PIN_LOCKED') {
      throw new Pkcs11LayerError('PinLocked', `The ${whose} of token '${label}' is locked.`, { ckr, before, after });
    }
    const error = toLayerError(e);
    throw new Pkcs11LayerError(error.code, error.message, { ...error.details, before, after });
  }
  session.loggedIn = who;
  return { before, after: readPinCounters(cryptoki, slot, who) };
}

/** CK_STATE from C_GetSessionInfo: 1/3 user functions, 4 SO functions. */
async function loggedInAs(session: TokenSession): Promise<UserKind | undefined> {
  const state = await session.use('reading the session state', (handle, c) => c.C_GetSessionInfo(handle).state);
  if (state === 1 || state === 3) return 'USER';
  if (state === 4) return 'SO';
  return undefined;
}

export async function logout(session: TokenSession): Promise<void> {
  try {
    await session.use(`logging out of token '${session.token.label}'`, (handle, c) => c.C_Logout(handle));
  } catch (e) {
    if (ckrOf(e) !== 'CKR_USER_NOT_LOGGED_IN') throw e;
  }
  session.loggedIn = undefined;
}

/**
 * C_InitToken: erases the token and sets its SO-PIN and label. The token must have no open sessions in this process.
 * Returns the new token's serial, because tokens are found by label or serial afterwards.
 */
export function initToken(module: LoadedModule, selector: TokenSelector, soPin: Uint8Array, label: string): { label: string; serial: string } {
  if (label.length === 0 || Buffer.byteLength(label) > 32) {
    throw new Pkcs11LayerError(LayerErrorCode.InvalidParams, 'A token label must be 1 to 32 bytes long.');
  }
  const { slot } = selectToken(module.cryptoki, selector);
  try {
    module.cryptoki.C_InitToken(slot, pinText(soPin), label.padEnd(32, ' '));
  } catch (e) {
    const ckr = ckrOf(e);
    if (ckr === 'CKR_PIN_INCORRECT') {
      throw new Pkcs11LayerError('PinIncorrect', `Wrong Security Officer PIN for ${describeSelector(selector)}; the token was not initialised.`, { ckr });
    }
    throw toLayerError(e, `initialising ${describeSelector(selector)}`);
  }
  // SoftHSM2 moves a freshly initialised token to a new slot; find it again by its new label.
  const found = selectToken(module.cryptoki, { label });
  return { label: found.token.label, serial: found.token.serial };
}

/** C_InitPIN: the Security Officer (logged in on this session) sets or resets the user PIN. */
export async function initUserPin(session: TokenSession, pin: Uint8Array): Promise<void> {
  if (session.loggedIn !== 'SO') {
    throw new Pkcs11LayerError('UserNotLoggedIn', 'Only the Security Officer can set the user PIN; log in as SO first.');
  }
  await session.use(`setting the user PIN of token '${session.token.label}'`, (handle, c) => c.C_InitPIN(handle, pinText(pin)));
}

/** C_SetPIN: change the PIN of whoever is logged in (or the user PIN in a public session). */
export async function changePin(session: TokenSession, oldPin: Uint8Array, newPin: Uint8Array): Promise<PinCounters> {
  const who: UserKind = session.loggedIn ?? 'USER';
  const before = readPinCounters(session.cryptoki, session.slot, who);
  try {
    await session.use(`changing the PIN of token '${session.token.label}'`, (handle, c) => c.C_SetPIN(handle, pinText(oldPin), pinText(newPin)));
  } catch (e) {
    const after = readPinCounters(session.cryptoki, session.slot, who);
    if (ckrOf(e) === 'CKR_PIN_INCORRECT') {
      throw new Pkcs11LayerError('PinIncorrect', `${wrongPinSentence(who === 'SO' ? 'SO' : 'user', after)} The PIN was not changed.`, {
        ckr: 'CKR_PIN_INCORRECT',
        before,
        after,
      });
    }
    throw e;
  }
  return { before, after: readPinCounters(session.cryptoki, session.slot, who) };
}
