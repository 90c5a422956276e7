import { describe, expect, it } from 'vitest';
import { canonicalJson, isSecretKeyName, JournalErrorCode } from '../../../main/journal';

describe('secret guard', () => {
  it.each(['pin', 'PIN', 'soPin', 'user_pin', 'so-pin', 'password', 'Password2', 'share', 'shares', 'kek', 'secret', 'secretKey', 'passphrase', 'mnemonic'])(
    'refuses the key %s',
    (key) => expect(isSecretKeyName(key)).toBe(true),
  );
  it.each(['shareCommitment', 'shareCommitments', 'kekCheckValue', 'pinCounters', 'shareIndex', 'sharesThreshold', 'spinner', 'opinion', 'note', 'label'])(
    'lets %s through',
    (key) => expect(isSecretKeyName(key)).toBe(false),
  );
});

describe('canonical JSON', () => {
  it('sorts keys at every depth and drops whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 0, y: 'é' }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"y":"é","z":0}]},"b":1}');
  });
  it.each([[{ a: undefined }], [{ a: Number.NaN }], [{ a: new Uint8Array(2) }], [{ a: 10n }], [{ a: new Date(0) }]])('refuses %o', (value) => {
    expect(() => canonicalJson(value)).toThrow(expect.objectContaining({ code: JournalErrorCode.NotCanonical }));
  });
});
