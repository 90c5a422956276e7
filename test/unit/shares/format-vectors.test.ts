import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  CheckValueMethod,
  computeCheckValue,
  computeShareCommitment,
  decodeShareText,
  encodeShareText,
  groupShareText,
  LowEntropySecretError,
  matchesCheckValue,
} from '../../../main/shares';

// The test vectors of FORMAT.md. They pin version 1 forever: if one of these fails, cards already printed
// would no longer read back. Do not "update" them — add a new version instead.

const V1_TEXT = 'cshare1pqqgjyv6y24n8wqs9qvqsyqcyq5rqwzqfpg9scrgwpugpzysnzs23v9ccrydpk8qarc0jqpcs3549e';
const V1_GROUPED = 'cshare1 pqqg jyv6 y24n 8wqs 9qvq syqc yq5r qwzq fpg9 scrg wpug pzys nzs2 3v9c cryd pk8q arc0 jqpc s354 9e';
const V1_FIELDS = {
  version: 1,
  setId: '0011-2233-4455-6677',
  index: 2,
  n: 5,
  m: 3,
  bytes: Uint8Array.from([...Array.from({ length: 32 }, (_, i) => i + 1), 0x07]),
};

describe('FORMAT.md test vectors (version 1, frozen)', () => {
  it('the printed v1 vector decodes to its documented fields', () => {
    const share = decodeShareText(V1_GROUPED);
    expect({ ...share, bytes: [...share.bytes] }).toEqual({ ...V1_FIELDS, bytes: [...V1_FIELDS.bytes] });
  });

  it('the documented fields encode to exactly the printed vector', () => {
    expect(encodeShareText(V1_FIELDS)).toBe(V1_TEXT);
    expect(groupShareText(V1_TEXT).grouped).toBe(V1_GROUPED);
  });

  it('the commitment of the vector follows §5', () => {
    const expected = createHash('sha256')
      .update('custodian share commitment v1')
      .update(Buffer.of(0, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 2))
      .update(V1_FIELDS.bytes)
      .digest('hex');
    expect(computeShareCommitment(V1_FIELDS)).toBe(expected);
    expect(expected).toBe('cadea7caae3af98e18a4d709ce76823fe18f4b025c11655fffef20bf22bd1cf7');
  });

  it('the check value vectors of §4', () => {
    // the vectors' secrets are not random: they are matched against the published values (as a restore does),
    // never given a check value of their own to print
    expect(
      matchesCheckValue(
        Uint8Array.from({ length: 32 }, (_, i) => i),
        { method: CheckValueMethod.AES_KCV, value: 'f29000' },
      ),
    ).toBe(true);
    expect(matchesCheckValue(new TextEncoder().encode('12345678'), { method: CheckValueMethod.HMAC_SHA256_V1, value: '29a7a798' })).toBe(true);
    expect(matchesCheckValue(new TextEncoder().encode('12345679'), { method: CheckValueMethod.HMAC_SHA256_V1, value: '29a7a798' })).toBe(false);
    expect(() => computeCheckValue(new TextEncoder().encode('12345678'), { entropyBits: 27 })).toThrow(LowEntropySecretError);
  });
});
