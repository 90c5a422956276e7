import { CKF_MECHANISM, CKF_SLOT, CKF_TOKEN, flagNames, mechanismName } from './constants';
import type { CkTokenInfo, Cryptoki, Handle } from './cryptoki';
import { LayerErrorCode, Pkcs11LayerError, type PinCounterState, toLayerError } from './errors';

/**
 * Slots, tokens and mechanisms. Tokens are chosen by label or serial number, never by slot id: slot ids change
 * between runs (SoftHSM2 derives them from the serial, USB readers number them in plug order), so a rehearsed script
 * naming a slot id would pick the wrong token on the day.
 */

export type TokenSelector = { label: string } | { serial: string } | { uninitialized: true };

export interface TokenFlags {
  readonly initialized: boolean;
  readonly loginRequired: boolean;
  readonly userPinInitialized: boolean;
  readonly protectedAuthenticationPath: boolean;
  readonly rng: boolean;
  readonly writeProtected: boolean;
  readonly clockOnToken: boolean;
  readonly userPin: PinCounterState;
  readonly soPin: PinCounterState;
  /** Every CKF_ name set in CK_TOKEN_INFO.flags, for the transcript. */
  readonly names: string[];
}

export interface TokenDescription {
  readonly label: string;
  readonly serial: string;
  readonly model: string;
  readonly manufacturer: string;
  readonly slotDescription: string;
  readonly removableDevice: boolean;
  readonly hardwareSlot: boolean;
  readonly flags: TokenFlags;
  readonly pinLength: { readonly min: number; readonly max: number };
  readonly sessions: { readonly open: number; readonly max: number; readonly readWriteOpen: number; readonly readWriteMax: number };
  readonly hardwareVersion: string;
  readonly firmwareVersion: string;
}

export interface MechanismDescription {
  readonly type: number;
  readonly name: string;
  readonly minKeySize: number;
  readonly maxKeySize: number;
  readonly flags: string[];
}

export function decodeTokenFlags(flags: number): TokenFlags {
  const has = (f: CKF_TOKEN) => (flags & f) === f;
  return {
    initialized: has(CKF_TOKEN.CKF_TOKEN_INITIALIZED),
    loginRequired: has(CKF_TOKEN.CKF_LOGIN_REQUIRED),
    userPinInitialized: has(CKF_TOKEN.CKF_USER_PIN_INITIALIZED),
    protectedAuthenticationPath: has(CKF_TOKEN.CKF_PROTECTED_AUTHENTICATION_PATH),
    rng: has(CKF_TOKEN.CKF_RNG),
    writeProtected: has(CKF_TOKEN.CKF_WRITE_PROTECTED),
    clockOnToken: has(CKF_TOKEN.CKF_CLOCK_ON_TOKEN),
    userPin: {
      countLow: has(CKF_TOKEN.CKF_USER_PIN_COUNT_LOW),
      finalTry: has(CKF_TOKEN.CKF_USER_PIN_FINAL_TRY),
      locked: has(CKF_TOKEN.CKF_USER_PIN_LOCKED),
      toBeChanged: has(CKF_TOKEN.CKF_USER_PIN_TO_BE_CHANGED),
    },
    soPin: {
      countLow: has(CKF_TOKEN.CKF_SO_PIN_COUNT_LOW),
      finalTry: has(CKF_TOKEN.CKF_SO_PIN_FINAL_TRY),
      locked: has(CKF_TOKEN.CKF_SO_PIN_LOCKED),
      toBeChanged: has(CKF_TOKEN.CKF_SO_PIN_TO_BE_CHANGED),
    },
    names: flagNames(CKF_TOKEN, flags),
  };
}

function version(v: { major: number; minor: number }): string {
  return `${v.major}.${v.minor}`;
}

/** PKCS#11 fixed-width strings are blank padded; some modules pad with NULs. */
function unpad(s: string): string {
  return s.replace(/[\s\0]+$/, '');
}

export function describeToken(info: CkTokenInfo, slotDescription: string, slotFlags: number): TokenDescription {
  return {
    label: unpad(info.label),
    serial: unpad(info.serialNumber),
    model: unpad(info.model),
    manufacturer: unpad(info.manufacturerID),
    slotDescription: unpad(slotDescription),
    removableDevice: (slotFlags & CKF_SLOT.CKF_REMOVABLE_DEVICE) !== 0,
    hardwareSlot: (slotFlags & CKF_SLOT.CKF_HW_SLOT) !== 0,
    flags: decodeTokenFlags(info.flags),
    pinLength: { min: info.minPinLen, max: info.maxPinLen },
    sessions: {
      open: info.sessionCount,
      max: info.maxSessionCount,
      readWriteOpen: info.rwSessionCount,
      readWriteMax: info.maxRwSessionCount,
    },
    hardwareVersion: version(info.hardwareVersion),
    firmwareVersion: version(info.firmwareVersion),
  };
}

export interface SlotWithToken {
  readonly slot: Handle;
  readonly token: TokenDescription;
}

export function listTokens(cryptoki: Cryptoki): SlotWithToken[] {
  try {
    return cryptoki.C_GetSlotList(true).map((slot) => {
      const slotInfo = cryptoki.C_GetSlotInfo(slot);
      return { slot, token: describeToken(cryptoki.C_GetTokenInfo(slot), slotInfo.slotDescription, slotInfo.flags) };
    });
  } catch (e) {
    throw toLayerError(e, 'listing the tokens');
  }
}

export function describeSelector(selector: TokenSelector): string {
  if ('label' in selector) return `label '${selector.label}'`;
  if ('serial' in selector) return `serial number '${selector.serial}'`;
  return 'an uninitialised token';
}

/** Find the one token the selector names; two tokens with the same label is an error, not a coin toss. */
export function selectToken(cryptoki: Cryptoki, selector: TokenSelector): SlotWithToken {
  const all = listTokens(cryptoki);
  const matches = all.filter(({ token }) => {
    if ('label' in selector) return token.flags.initialized && token.label === selector.label;
    if ('serial' in selector) return token.serial === selector.serial;
    return !token.flags.initialized;
  });
  if (matches.length === 0) {
    throw new Pkcs11LayerError(LayerErrorCode.TokenNotFound, `No token with ${describeSelector(selector)} is connected.`, {
      available: all.map(({ token }) => ({ label: token.label, serial: token.serial })),
    });
  }
  if (matches.length > 1 && !('uninitialized' in selector)) {
    throw new Pkcs11LayerError(LayerErrorCode.TokenAmbiguous, `${matches.length} tokens have ${describeSelector(selector)}; choose one by serial number.`, {
      serials: matches.map(({ token }) => token.serial),
    });
  }
  return matches[0];
}

export function listMechanisms(cryptoki: Cryptoki, slot: Handle): MechanismDescription[] {
  try {
    return cryptoki.C_GetMechanismList(slot).map((type) => {
      const info = cryptoki.C_GetMechanismInfo(slot, type);
      return {
        type,
        name: mechanismName(type),
        minKeySize: info.minKeySize,
        maxKeySize: info.maxKeySize,
        flags: flagNames(CKF_MECHANISM, info.flags),
      };
    });
  } catch (e) {
    throw toLayerError(e, 'listing the mechanisms');
  }
}
