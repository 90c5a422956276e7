import { timingSafeEqual } from 'node:crypto';
import type { ActionInputs } from '../registry';
import { secretInput } from './device';
import { YubiHsmCeremonyError, YubiHsmCeremonyErrorCode } from '../../../errors';

/**
 * A new authentication-key password, typed twice by its holder. The client turns it into K-ENC/K-MAC
 * (PBKDF2-SHA256, salt "Yubico", 10 000 rounds) in the device host; here it is only checked. Yubico's tools accept
 * any length; a ceremony asks for at least 12 characters, because whoever holds the password holds the key.
 */
export const MIN_PASSWORD_LENGTH = 12;

export function newPassword(inputs: ActionInputs, field = 'password', again = 'passwordAgain', what = 'new password'): Uint8Array {
  const first = secretInput(inputs, field);
  const second = secretInput(inputs, again);
  if (!first || !second) {
    throw new YubiHsmCeremonyError(YubiHsmCeremonyErrorCode.PasswordMissing, `Type the ${what} in both fields.`);
  }
  if (first.length !== second.length || !timingSafeEqual(first, second)) {
    throw new YubiHsmCeremonyError(
      YubiHsmCeremonyErrorCode.PasswordEntriesDiffer,
      `The two entries of the ${what} differ. Nothing was changed on the YubiHSM; type it again, twice.`,
    );
  }
  if (characterCount(first) < MIN_PASSWORD_LENGTH) {
    throw new YubiHsmCeremonyError(
      YubiHsmCeremonyErrorCode.PasswordTooShort,
      `The ${what} must be at least ${MIN_PASSWORD_LENGTH} characters long. Nothing was changed on the YubiHSM.`,
    );
  }
  return first;
}

/** Characters in UTF-8 bytes, counted without decoding them into a string that could not be zeroed. */
function characterCount(bytes: Uint8Array): number {
  let count = 0;
  for (const byte of bytes) if ((byte & 0xc0) !== 0x80) count++;
  return count;
}

export function typedPassword(inputs: ActionInputs, field: string, what: string): Uint8Array {
  const value = secretInput(inputs, field);
  if (!value) throw new YubiHsmCeremonyError(YubiHsmCeremonyErrorCode.PasswordMissing, `Type the ${what}.`);
  return value;
}

export function samePassword(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
