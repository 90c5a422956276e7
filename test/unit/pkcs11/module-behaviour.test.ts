import { describe, expect, it } from 'vitest';
import { moduleLimitProblems } from '../../../main/ceremony/actions/pkcs11/keygen';
import { describeBehaviour, profileOf } from '../../../native/pkcs11/module-behaviour';

const YUBICO = { manufacturer: 'Yubico (www.yubico.com)', description: 'YubiHSM PKCS#11 Library' };
const SOFTHSM = { manufacturer: 'SoftHSM', description: 'Implementation of PKCS11' };
const HIDDEN = { randomBeforeLogin: 'refused', objectsBeforeLogin: 'hidden' } as const;

describe('what a module is known to hold, by its identity', () => {
  it('knows yubihsm_pkcs11 by what C_GetInfo reports: 2-byte ids, 40-byte labels, ids drawn 2 bytes long', () => {
    const behaviour = describeBehaviour(YUBICO, HIDDEN);
    expect(behaviour).toMatchObject({ profile: 'yubihsm_pkcs11', idSizes: { nativeBytes: 2 }, labelMaxBytes: 40, preferredIdBytes: 2 });
    expect(behaviour.summary).toContain('objects before login: hidden (checks run after login)');
    expect(behaviour.summary).toContain('random bytes before login: refused (drawn after login, or by the host)');
  });

  it('assumes no limit for any other module, and says what could not be probed', () => {
    expect(profileOf(SOFTHSM).name).toBe('generic');
    expect(profileOf({ manufacturer: 'Yubico (www.yubico.com)', description: 'YubiKey PIV' }).name).toBe('generic');
    const behaviour = describeBehaviour(SOFTHSM, undefined);
    expect(behaviour).toMatchObject({ randomBeforeLogin: 'unknown', objectsBeforeLogin: 'unknown', preferredIdBytes: 8 });
    expect(behaviour.labelMaxBytes).toBeUndefined();
    expect(behaviour.summary).toContain('objects before login: not known (checks run after login)');
  });
});

describe('keygen preflight: the label and id must fit the module', () => {
  const yubico = describeBehaviour(YUBICO, HIDDEN);
  const softhsm = describeBehaviour(SOFTHSM, { randomBeforeLogin: 'allowed', objectsBeforeLogin: 'visible' });

  it('refuses a label over the module’s 40 bytes, counting bytes not characters, with the limit in the message', () => {
    expect(moduleLimitProblems({ label: 'x'.repeat(40) }, yubico)).toEqual([]);
    const [problem] = moduleLimitProblems({ label: 'é'.repeat(21) }, yubico);
    expect(problem).toMatchObject({ code: 'LabelInvalid' });
    expect(problem.message).toContain('at most 40 bytes; “' + 'é'.repeat(21) + '” has 42');
    expect(moduleLimitProblems({ label: 'x'.repeat(64) }, softhsm)).toEqual([]);
  });

  it('refuses an id the module would keep apart from the key, and takes one of its own size', () => {
    expect(moduleLimitProblems({ label: 'k', id: '0a1b' }, yubico)).toEqual([]);
    const [problem] = moduleLimitProblems({ label: 'k', id: '0a1b2c' }, yubico);
    expect(problem).toMatchObject({ code: 'IdInvalid' });
    expect(problem.message).toContain('holds key ids of 2 bytes (4 hex digits); an id of 3 bytes');
    expect(moduleLimitProblems({ label: 'k', id: '0a1b2c3d4e5f6071' }, softhsm)).toEqual([]);
  });
});
