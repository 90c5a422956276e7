import { codes, HostError, type CodeOf } from '../host';
import { DEVICE_LOST_RETURN_VALUES, returnValueInfo } from './return-values';

/**
 * Errors of the PKCS#11 layer. Every error is a HostError (so the device-host RPC carries `code`, `message` and
 * `details` to main unchanged); `details.ckr` names the PKCS#11 return value when the token produced one.
 * Messages never contain a PIN or key material.
 */
export class Pkcs11LayerError extends HostError {
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(code, message, details);
    this.name = 'Pkcs11LayerError';
  }
}

/** Our own failure codes (the CKR-derived ones come from return-values.ts). */
export const LayerErrorCode = codes(
  'ModuleNotFound',
  'ModuleNotSharedLibrary',
  'ModuleWrongArchitecture',
  'ModuleNotPkcs11',
  'ModuleLoadFailed',
  'ModuleInitializeRefused',
  'ModuleNotLoaded',
  'TokenNotFound',
  'TokenAmbiguous',
  'SessionUnknown',
  'ObjectNotFound',
  'ObjectAmbiguous',
  'LabelExists',
  'PolicyMismatch',
  'MechanismUnsupported',
  'PinFinalTryNeedsConfirmation',
  'InvalidParams',
  'Aborted',
);
export type LayerErrorCode = CodeOf<typeof LayerErrorCode>;

/** What the token's flags say about a PIN, read around every login. */
export interface PinCounterState {
  readonly countLow: boolean;
  readonly finalTry: boolean;
  readonly locked: boolean;
  readonly toBeChanged: boolean;
  /** Only a few vendor modules tell the exact number; standard PKCS#11 does not. */
  readonly triesLeft?: number;
}

/**
 * The sentence for a wrong PIN, as precise as the token lets us be: a count only when the module gives one, "final
 * try" only when the token's flag says so. COUNT_LOW alone says nothing about how many are left (SoftHSM2 sets it
 * after the first wrong PIN and keeps it there), so its sentence claims no more than that a wrong try was counted.
 */
export function wrongPinSentence(who: 'user' | 'SO', after: PinCounterState | undefined): string {
  const pin = who === 'SO' ? 'Security Officer PIN' : 'PIN';
  if (!after) return `Wrong ${pin}.`;
  if (after.locked) return `Wrong ${pin} — the token has now locked it.`;
  if (after.triesLeft !== undefined) return `Wrong ${pin} — ${after.triesLeft === 1 ? '1 try' : `${after.triesLeft} tries`} left.`;
  if (after.finalTry) return `Wrong ${pin} — final try: the next wrong ${pin} locks it.`;
  if (after.countLow) return `Wrong ${pin}. The token has counted a wrong try (it does not say how many are left).`;
  return `Wrong ${pin}.`;
}

interface Pkcs11LikeError {
  message: string;
  code?: number;
  method?: string;
}

function isPkcs11LikeError(e: unknown): e is Pkcs11LikeError {
  return e instanceof Error && /^CKR_[A-Z0-9_]+$/.test(e.message);
}

/** The CKR_ name of a pkcs11js error, or undefined when the failure did not come from the token. */
export function ckrOf(e: unknown): string | undefined {
  if (e instanceof Pkcs11LayerError) return typeof e.details?.ckr === 'string' ? e.details.ckr : undefined;
  return isPkcs11LikeError(e) ? e.message : undefined;
}

export function isDeviceLost(e: unknown): boolean {
  const ckr = ckrOf(e);
  return ckr !== undefined && DEVICE_LOST_RETURN_VALUES.has(ckr);
}

/**
 * Turn anything a pkcs11js call threw into a Pkcs11LayerError. `doing` says what we were doing, in words
 * ("signing with key 'ca-root'"), and is prefixed to the token's sentence.
 */
export function toLayerError(e: unknown, doing?: string, extra?: Record<string, unknown>): Pkcs11LayerError {
  if (e instanceof Pkcs11LayerError) return e;
  if (isPkcs11LikeError(e)) {
    const value = typeof e.code === 'number' ? e.code : undefined;
    const info = value !== undefined ? returnValueInfo(value) : undefined;
    const ckr = info && info.ckr === e.message ? info.ckr : e.message;
    const code = info && info.ckr === e.message ? info.code : 'Pkcs11Error';
    const sentence = info && info.ckr === e.message ? info.sentence : `The token reported ${e.message}.`;
    return new Pkcs11LayerError(code, doing ? `${capitalise(doing)} failed: ${sentence}` : sentence, {
      ckr,
      ckrValue: value,
      method: e.method,
      ...extra,
    });
  }
  const message = e instanceof Error ? e.message : String(e);
  return new Pkcs11LayerError('InternalError', doing ? `${capitalise(doing)} failed: ${message}` : message, extra);
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
