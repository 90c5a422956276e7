import { timingSafeEqual } from 'node:crypto';
import type { ActionInputs } from '../registry';
import { PinCeremonyError, PinCeremonyErrorCode } from '../../../errors';

/** The PIN lengths a token accepts, in bytes (CK_TOKEN_INFO ulMinPinLen / ulMaxPinLen). */
export interface PinLimits {
  min: number;
  max: number;
}

/**
 * A typed secret as bytes: the engine hands secret fields over as Uint8Array and zeroes them after the step. A string
 * is never accepted here: it could not be zeroed.
 */
export function secretBytes(inputs: ActionInputs, name: string): Uint8Array | undefined {
  const value = inputs[name];
  if (value instanceof Uint8Array) return value.length > 0 ? value : undefined;
  return undefined;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Checks a new PIN typed twice by its holder, against the token's own length limits, before anything is sent to the
 * token. Returns the PIN's bytes (the engine's, zeroed by it after the step), which travel as bytes to the device
 * host. The sentences say what to do and never echo a PIN.
 */
export function checkNewPin(
  inputs: ActionInputs,
  limits: PinLimits,
  fields: { pin: string; again: string; old?: string } = { pin: 'newPin', again: 'newPinAgain' },
): Uint8Array {
  const first = secretBytes(inputs, fields.pin);
  const second = secretBytes(inputs, fields.again);
  if (!first || !second) {
    throw new PinCeremonyError(PinCeremonyErrorCode.PinMissing, 'Type the new PIN twice on this step (both fields), then run it again.');
  }
  if (!sameBytes(first, second)) {
    throw new PinCeremonyError(
      PinCeremonyErrorCode.PinEntriesDiffer,
      'The two entries of the new PIN differ. Nothing was sent to the token; type the new PIN twice again.',
    );
  }
  if (first.length < limits.min || first.length > limits.max) {
    throw new PinCeremonyError(
      PinCeremonyErrorCode.PinLengthOutsideTokenLimits,
      `This token accepts PINs of ${limits.min} to ${limits.max} characters; the new PIN is ${first.length < limits.min ? 'too short' : 'too long'}. Nothing was sent to the token; choose another PIN.`,
    );
  }
  const old = fields.old ? secretBytes(inputs, fields.old) : undefined;
  if (old && sameBytes(old, first)) {
    throw new PinCeremonyError(
      PinCeremonyErrorCode.PinUnchanged,
      'The new PIN is the same as the old one. Nothing was sent to the token; choose a different PIN.',
    );
  }
  return first;
}

/** The current PIN of a step (checked only for presence; the token judges it). */
export function requiredPin(inputs: ActionInputs, name: string, what: string): Uint8Array {
  const bytes = secretBytes(inputs, name);
  if (!bytes) throw new PinCeremonyError(PinCeremonyErrorCode.PinMissing, `Type ${what} on this step, then run it again.`);
  return bytes;
}
