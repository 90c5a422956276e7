import { randomBytes, webcrypto } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CheckValueMethod,
  computeCheckValue,
  defaultCheckValueMethod,
  formatCheckValue,
  LowEntropySecretError,
  makeShareSet,
  matchesCheckValue,
} from '../../../main/shares';

// Independent reference: with a zero IV, the first CBC block of a zero plaintext equals its ECB encryption.
async function referenceKcv(key: Uint8Array): Promise<string> {
  const cryptoKey = await webcrypto.subtle.importKey('raw', key, 'AES-CBC', false, ['encrypt']);
  const out = await webcrypto.subtle.encrypt({ name: 'AES-CBC', iv: new Uint8Array(16) }, cryptoKey, new Uint8Array(16));
  return Buffer.from(out).subarray(0, 3).toString('hex');
}

async function referenceHmacCheck(secret: Uint8Array): Promise<string> {
  const key = await webcrypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = await webcrypto.subtle.sign('HMAC', key, new TextEncoder().encode('custodian check value v1'));
  return Buffer.from(mac).subarray(0, 4).toString('hex');
}

describe('check values', () => {
  it('matches the published AES test vectors for all-zero keys (FIPS-197 style known answers)', () => {
    // AES-128/192/256 of a zero block under a zero key — well-known values, first 3 bytes. A zero key has no
    // randomness, so no check value is ever computed over it to print; matching a recorded one still works.
    const kcv = (value: string) => ({ method: CheckValueMethod.AES_KCV, value });
    expect(matchesCheckValue(new Uint8Array(16), kcv('66e94b'))).toBe(true);
    expect(matchesCheckValue(new Uint8Array(24), kcv('aae069'))).toBe(true);
    expect(matchesCheckValue(new Uint8Array(32), kcv('dc95c0'))).toBe(true);
    expect(matchesCheckValue(new Uint8Array(32), kcv('dc95c1'))).toBe(false);
  });

  it('AES-KCV equals an independent AES computation for random 16/24/32-byte keys', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(16, 24, 32).chain((n) => fc.uint8Array({ minLength: n, maxLength: n })),
        async (key) => {
          const checkValue = computeCheckValue(key, { entropyBits: key.length * 8 });
          expect(checkValue.method).toBe(CheckValueMethod.AES_KCV);
          expect(checkValue.value).toBe(await referenceKcv(key));
        },
      ),
      { numRuns: 30 },
    );
  });

  it('uses the domain-separated HMAC for secrets that are not AES keys (SO-PIN strings)', async () => {
    const soPin = new TextEncoder().encode('7Q4M9XKD2WRT5H3NZ8CVB6PEJA'); // 26 base32 characters: 130 bits
    const checkValue = computeCheckValue(soPin, { entropyBits: 130 });
    expect(checkValue.method).toBe(CheckValueMethod.HMAC_SHA256_V1);
    expect(checkValue.value).toBe(await referenceHmacCheck(soPin));
    expect(checkValue.value).toMatch(/^[0-9a-f]{8}$/);
    expect(defaultCheckValueMethod(20)).toBe(CheckValueMethod.HMAC_SHA256_V1);
    // an AES-sized secret can still be declared opaque
    const key = randomBytes(32);
    expect(computeCheckValue(key, { entropyBits: 256, method: CheckValueMethod.HMAC_SHA256_V1 }).value).toBe(await referenceHmacCheck(key));
  });

  it('matchesCheckValue accepts the right secret and refuses any other', () => {
    const key = randomBytes(32);
    const recorded = computeCheckValue(key, { entropyBits: 256 });
    expect(matchesCheckValue(key, recorded)).toBe(true);
    expect(matchesCheckValue(key, { ...recorded, value: recorded.value.toUpperCase() })).toBe(true);
    const flipped = Buffer.from(key);
    flipped[31] ^= 0x80;
    expect(matchesCheckValue(flipped, recorded)).toBe(false);
    expect(matchesCheckValue(randomBytes(20), recorded)).toBe(false);
    expect(() => computeCheckValue(randomBytes(20), { entropyBits: 160, method: CheckValueMethod.AES_KCV })).toThrow(RangeError);
  });

  it('refuses a check value over a secret below 128 bits: an 8-digit SO-PIN’s would be found from the transcript', () => {
    const eightDigits = new TextEncoder().encode('24681357');
    const refused = (() => {
      try {
        computeCheckValue(eightDigits, { entropyBits: 26 });
      } catch (error) {
        return error;
      }
    })();
    expect(refused).toBeInstanceOf(LowEntropySecretError);
    expect((refused as Error).message).toMatch(/26 bits.*128 bits/);
    expect((refused as Error).message).not.toContain('24681357');
    // 16 random bytes are enough; a claim of more than 8 bits per byte is capped, so 15 bytes never are
    expect(computeCheckValue(randomBytes(16), { entropyBits: 128 }).method).toBe(CheckValueMethod.AES_KCV);
    expect(() => computeCheckValue(randomBytes(15), { entropyBits: 256 })).toThrow(LowEntropySecretError);
    expect(() => computeCheckValue(randomBytes(32), { entropyBits: 127 })).toThrow(LowEntropySecretError);
  });

  it('a share set records the check value of its secret', async () => {
    const key = randomBytes(32);
    const set = await makeShareSet(key, { entropyBits: 128, n: 3, m: 2 });
    expect(set.checkValue).toEqual({ method: CheckValueMethod.AES_KCV, value: await referenceKcv(key) });
    expect(formatCheckValue(set.checkValue)).toBe(`AES-KCV ${set.checkValue.value}`);
  });
});
