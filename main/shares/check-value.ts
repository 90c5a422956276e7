import { createCipheriv, createHmac, timingSafeEqual } from 'node:crypto';
import { assertHighEntropy } from './entropy';

// A check value lets a rebuilt secret be recognised without revealing it, so a rebuild from a wrong
// or corrupted set is stopped before the secret is used (see FORMAT.md, "Check value").

/**
 * How a check value is made. AES_KCV, the AES key check value: the first 3 bytes of AES-ECB(key = secret, 16 zero
 * bytes), the value PKCS#11 v3 reports as CKA_CHECK_VALUE for an AES key, so it can be compared with the HSM's own.
 * HMAC_SHA256_V1, for secrets that are not AES keys (PINs, passwords): the first 4 bytes of HMAC-SHA256(key = secret,
 * "custodian check value v1").
 */
export const CheckValueMethod = { AES_KCV: 'AES-KCV', HMAC_SHA256_V1: 'HMAC-SHA256-V1' } as const;
export type CheckValueMethod = (typeof CheckValueMethod)[keyof typeof CheckValueMethod];

export interface CheckValue {
  method: CheckValueMethod;
  /** Lowercase hex: 6 digits for AES-KCV, 8 for HMAC-SHA256-V1. */
  value: string;
}

const AES_KCV_BYTES = 3;
const HMAC_CHECK_BYTES = 4;
const HMAC_DOMAIN = 'custodian check value v1';
const AES_CIPHER_BY_KEY_LENGTH: Record<number, string> = { 16: 'aes-128-ecb', 24: 'aes-192-ecb', 32: 'aes-256-ecb' };

/** AES-KCV for secrets that can be AES keys (16, 24 or 32 bytes), HMAC otherwise. */
export function defaultCheckValueMethod(secretLength: number): CheckValueMethod {
  return secretLength in AES_CIPHER_BY_KEY_LENGTH ? CheckValueMethod.AES_KCV : CheckValueMethod.HMAC_SHA256_V1;
}

export interface CheckValueOptions {
  /** how many bits of randomness the secret holds, as the code that made it knows (see entropy.ts); below 128 is refused */
  entropyBits: number;
  method?: CheckValueMethod;
}

/**
 * The check value to print and journal for a secret Custodian made. Refused (LowEntropySecretError) for a secret of
 * fewer than 128 bits: its check value would let anyone holding the transcript find it by trying guesses.
 */
export function computeCheckValue(secret: Uint8Array, options: CheckValueOptions): CheckValue {
  assertHighEntropy(secret, options.entropyBits, 'a check value');
  return checkValueOf(secret, options.method ?? defaultCheckValueMethod(secret.length));
}

function checkValueOf(secret: Uint8Array, method: CheckValueMethod): CheckValue {
  if (method === CheckValueMethod.AES_KCV) {
    const cipherName = AES_CIPHER_BY_KEY_LENGTH[secret.length];
    if (!cipherName) throw new RangeError('An AES check value needs a 16, 24 or 32 byte secret');
    const cipher = createCipheriv(cipherName, secret, null).setAutoPadding(false);
    const block = Buffer.concat([cipher.update(new Uint8Array(16)), cipher.final()]);
    const value = block.subarray(0, AES_KCV_BYTES).toString('hex');
    block.fill(0);
    return { method, value };
  }
  if (method === CheckValueMethod.HMAC_SHA256_V1) {
    const mac = createHmac('sha256', secret).update(HMAC_DOMAIN, 'utf8').digest();
    const value = mac.subarray(0, HMAC_CHECK_BYTES).toString('hex');
    mac.fill(0);
    return { method, value };
  }
  throw new RangeError(`Unknown check value method ${String(method)}`);
}

/**
 * Does `secret` have the recorded check value? A method the secret cannot have (AES-KCV on 20 bytes) is a plain no.
 * Comparing against a value already on record reveals nothing new, so no strength is asked for here.
 */
export function matchesCheckValue(secret: Uint8Array, recorded: CheckValue): boolean {
  if (recorded.method === CheckValueMethod.AES_KCV && !(secret.length in AES_CIPHER_BY_KEY_LENGTH)) return false;
  const actual = Buffer.from(checkValueOf(secret, recorded.method).value, 'hex');
  const expected = Buffer.from(recorded.value.toLowerCase(), 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** How the value is printed on cards and transcripts, e.g. "AES-KCV 1a2b3c". */
export function formatCheckValue(checkValue: CheckValue): string {
  return `${checkValue.method} ${checkValue.value}`;
}
