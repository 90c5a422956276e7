import { describe, expect, it } from 'vitest';
import { createPkcs11Handlers, allReturnValues, returnValueInfo, wrongPinSentence, type DeviceLostEvent } from '../../../native/pkcs11';
import { loadModule } from '../../../native/pkcs11/module-loader';
import { decodeTokenFlags } from '../../../native/pkcs11/tokens';
import { comparePolicy, expectedAttributes, POLICIES } from '../../../native/pkcs11/key-policies';
import { CKA, CKF_TOKEN } from '../../../native/pkcs11/constants';
import { toLayerError } from '../../../native/pkcs11/errors';
import { ckError, fakeFactory } from './fake-cryptoki';
import { counterSentence } from '../../../main/ceremony/actions';

// A real ELF shared library for the pre-load file check; the fake replaces pkcs11js itself.
const SOME_LIBRARY = '/usr/lib/softhsm/libsofthsm2.so';

const ctx = (events: Array<[string, unknown]> = []) => ({ signal: new AbortController().signal, emit: (e: string, p: unknown) => events.push([e, p]) });

const bytes = (text: string) => new TextEncoder().encode(text);

describe('module initialisation', () => {
  it('asks for OS locking first and falls back when the library answers CKR_CANT_LOCK', () => {
    const calls: string[] = [];
    const loaded = loadModule(
      SOME_LIBRARY,
      fakeFactory(
        {
          initialize: (o) => {
            if (o?.flags === 2) throw ckError('CKR_CANT_LOCK', 0xa);
          },
        },
        calls,
      ),
    );
    expect(calls.filter((c) => c.startsWith('C_Initialize'))).toEqual(['C_Initialize(2)', 'C_Initialize(0)']);
    expect(loaded.info.locking).toBe('none');
  });

  it('treats CKR_CRYPTOKI_ALREADY_INITIALIZED as success and then leaves C_Finalize to its owner', () => {
    const loaded = loadModule(
      SOME_LIBRARY,
      fakeFactory({
        initialize: () => {
          throw ckError('CKR_CRYPTOKI_ALREADY_INITIALIZED', 0x191);
        },
      }),
    );
    expect(loaded.info.alreadyInitialized).toBe(true);
    expect(loaded.info.locking).toBe('os');
  });

  it('reports C_Initialize refusing with its own code and closes the library', () => {
    const calls: string[] = [];
    expect(() =>
      loadModule(
        SOME_LIBRARY,
        fakeFactory(
          {
            initialize: () => {
              throw ckError('CKR_GENERAL_ERROR', 5);
            },
          },
          calls,
        ),
      ),
    ).toThrow(expect.objectContaining({ code: 'ModuleInitializeRefused' }));
    expect(calls).toContain('close');
  });

  it('serialises calls for a library that cannot lock', async () => {
    const loaded = loadModule(
      SOME_LIBRARY,
      fakeFactory({
        initialize: (o) => {
          if (o?.flags) throw ckError('CKR_CANT_LOCK', 0xa);
        },
      }),
    );
    const order: string[] = [];
    const slow = loaded.run(async () => {
      order.push('a-start');
      await new Promise((r) => setTimeout(r, 20));
      order.push('a-end');
    });
    const fast = loaded.run(async () => {
      order.push('b');
    });
    await Promise.all([slow, fast]);
    expect(order).toEqual(['a-start', 'a-end', 'b']);
  });
});

describe('errors and PIN counters', () => {
  it('maps every CKR_ value to a code and a sentence', () => {
    for (const value of allReturnValues()) {
      const info = returnValueInfo(value);
      expect(info.ckr).toMatch(/^CKR_/);
      expect(info.code).toMatch(/^[A-Z][A-Za-z]+$/);
      expect(info.sentence).toMatch(/^[A-Z].*\.$/);
    }
    expect(returnValueInfo(0x80000001).code).toBe('VendorDefined');
    const e = toLayerError(ckError('CKR_PIN_LOCKED', 0xa4), 'logging in');
    expect(e.code).toBe('PinLocked');
    expect(e.message).toMatch(/^Logging in failed: The PIN is locked/);
  });

  it('says what the token says about the tries left, and no more', () => {
    const state = { countLow: false, finalTry: false, locked: false, toBeChanged: false };
    expect(wrongPinSentence('user', { ...state, triesLeft: 2 })).toBe('Wrong PIN — 2 tries left.');
    expect(wrongPinSentence('user', { ...state, countLow: true, triesLeft: 1 })).toBe('Wrong PIN — 1 try left.');
    expect(wrongPinSentence('user', { ...state, countLow: true, finalTry: true })).toBe('Wrong PIN — final try: the next wrong PIN locks it.');
    expect(wrongPinSentence('SO', { ...state, locked: true })).toBe('Wrong Security Officer PIN — the token has now locked it.');
    // COUNT_LOW alone (SoftHSM2 after one wrong PIN): no count, no "final", no "before it locks".
    const countLow = wrongPinSentence('user', { ...state, countLow: true });
    expect(countLow).toBe('Wrong PIN. The token has counted a wrong try (it does not say how many are left).');
    expect(countLow).not.toMatch(/few|lock|final/i);
    expect(wrongPinSentence('user', state)).toBe('Wrong PIN.');
  });

  it('says the same about the counters before a login as after a wrong try', () => {
    const state = { countLow: false, finalTry: false, locked: false };
    expect(counterSentence('user', state)).toBe('The user PIN counter is clean.');
    expect(counterSentence('user', { ...state, countLow: true })).toBe('The token has counted a wrong user PIN (it does not say how many tries are left).');
    expect(counterSentence('user', { ...state, countLow: true })).not.toMatch(/few|lock|final/i);
    expect(counterSentence('user', { ...state, countLow: true, finalTry: true })).toBe('FINAL TRY: one more wrong user PIN locks it.');
    expect(counterSentence('SO', { ...state, countLow: true, triesLeft: 3 })).toBe('The SO PIN has 3 tries left.');
    expect(counterSentence('user', { ...state, locked: true })).toBe('The user PIN is locked.');
  });

  it('decodes every token flag', () => {
    const all = Object.values(CKF_TOKEN)
      .filter((v): v is number => typeof v === 'number')
      .reduce((a, b) => a | b, 0);
    const f = decodeTokenFlags(all);
    expect(f.userPin).toEqual({ countLow: true, finalTry: true, locked: true, toBeChanged: true });
    expect(f.soPin).toEqual({ countLow: true, finalTry: true, locked: true, toBeChanged: true });
    expect(f).toMatchObject({ initialized: true, loginRequired: true, protectedAuthenticationPath: true, rng: true });
    expect(decodeTokenFlags(CKF_TOKEN.CKF_USER_PIN_FINAL_TRY).userPin.finalTry).toBe(true);
    expect(decodeTokenFlags(CKF_TOKEN.CKF_USER_PIN_FINAL_TRY).soPin.finalTry).toBe(false);
  });

  it('refuses to spend the last PIN try without confirmation, and spends it with one', async () => {
    const calls: string[] = [];
    let flags = CKF_TOKEN.CKF_USER_PIN_FINAL_TRY;
    const table = createPkcs11Handlers({
      finalizeOnExit: false,
      cryptokiFactory: fakeFactory(
        {
          tokenFlags: () => flags,
          login: () => {
            flags = CKF_TOKEN.CKF_USER_PIN_LOCKED;
            throw ckError('CKR_PIN_INCORRECT', 0xa0);
          },
        },
        calls,
      ),
    });
    const { sessionKey } = (await table['pkcs11.openSession']({ module: SOME_LIBRARY, token: { label: 'fake' } }, ctx())) as { sessionKey: string };
    await expect(table['pkcs11.login']({ sessionKey, user: 'USER', pin: bytes('1234') }, ctx())).rejects.toMatchObject({
      code: 'PinFinalTryNeedsConfirmation',
    });
    expect(calls).not.toContain('C_Login');
    await expect(table['pkcs11.login']({ sessionKey, user: 'USER', pin: bytes('1234'), confirmFinalTry: true }, ctx())).rejects.toMatchObject({
      code: 'PinIncorrect',
      message: 'Wrong PIN — the token has now locked it.',
    });
    await expect(table['pkcs11.login']({ sessionKey, user: 'USER', pin: bytes('1234'), confirmFinalTry: true }, ctx())).rejects.toMatchObject({
      code: 'PinLocked',
    });
  });

  it('takes the PIN as bytes, gives the module a string only for the call, and zeroes the bytes it received', async () => {
    const seen: unknown[] = [];
    const table = createPkcs11Handlers({ finalizeOnExit: false, cryptokiFactory: fakeFactory({ login: (pin) => void seen.push(pin) }) });
    const { sessionKey } = (await table['pkcs11.openSession']({ module: SOME_LIBRARY, token: { label: 'fake' } }, ctx())) as { sessionKey: string };
    const pin = bytes('24681357');
    await table['pkcs11.login']({ sessionKey, user: 'USER', pin }, ctx());
    expect(seen).toEqual(['24681357']);
    expect([...pin].every((b) => b === 0)).toBe(true);
    // a PIN as a JS string (which nobody can zero) is refused before the module is called
    await expect((async () => table['pkcs11.login']({ sessionKey, user: 'USER', pin: '24681357' }, ctx()))()).rejects.toMatchObject({
      code: 'InvalidParams',
    });
    expect(seen).toHaveLength(1);
  });

  it('never puts the PIN into an error message', async () => {
    const table = createPkcs11Handlers({
      finalizeOnExit: false,
      cryptokiFactory: fakeFactory({
        login: () => {
          throw ckError('CKR_PIN_INCORRECT', 0xa0);
        },
      }),
    });
    const { sessionKey } = (await table['pkcs11.openSession']({ module: SOME_LIBRARY, token: { label: 'fake' } }, ctx())) as { sessionKey: string };
    const error = (await Promise.resolve(table['pkcs11.login']({ sessionKey, user: 'USER', pin: bytes('98765432') }, ctx())).catch((e: unknown) => e)) as {
      message: string;
      details: unknown;
    };
    expect(JSON.stringify({ m: error.message, d: error.details })).not.toContain('98765432');
  });
});

describe('device lost mid-operation', () => {
  for (const [ckr, value] of [
    ['CKR_DEVICE_REMOVED', 0x32],
    ['CKR_TOKEN_NOT_PRESENT', 0xe0],
    ['CKR_SESSION_HANDLE_INVALID', 0xb3],
    ['CKR_DEVICE_ERROR', 0x30],
  ] as const) {
    it(`${ckr} becomes a pkcs11.deviceLost event and the session refuses further work`, async () => {
      const events: Array<[string, unknown]> = [];
      const table = createPkcs11Handlers({
        finalizeOnExit: false,
        cryptokiFactory: fakeFactory({
          generateRandom: () => {
            throw ckError(ckr, value, 'C_GenerateRandom');
          },
        }),
      });
      const { sessionKey } = (await table['pkcs11.openSession']({ module: SOME_LIBRARY, token: { label: 'fake' } }, ctx(events))) as { sessionKey: string };
      await expect(table['pkcs11.random']({ sessionKey, length: 8 }, ctx(events))).rejects.toMatchObject({ details: expect.objectContaining({ ckr }) });
      expect(events).toHaveLength(1);
      const [name, payload] = events[0] as [string, DeviceLostEvent];
      expect(name).toBe('pkcs11.deviceLost');
      expect(payload).toMatchObject({ sessionKey, ckr, token: { label: 'fake', serial: '0001' } });
      await expect(table['pkcs11.random']({ sessionKey, length: 8 }, ctx(events))).rejects.toMatchObject({ code: 'DeviceLost' });
      expect(events).toHaveLength(1);
    });
  }
});

describe('policies', () => {
  it('state the attributes each policy promises', () => {
    const signing = Object.fromEntries(expectedAttributes(POLICIES.signing, 'EC', false).map(([t, v]) => [CKA[t], v]));
    expect(signing).toMatchObject({ CKA_SENSITIVE: true, CKA_EXTRACTABLE: false, CKA_NEVER_EXTRACTABLE: true, CKA_SIGN: true, CKA_DECRYPT: false });
    const backup = Object.fromEntries(expectedAttributes(POLICIES.backupable, 'RSA', true).map(([t, v]) => [CKA[t], v]));
    expect(backup).toMatchObject({ CKA_SENSITIVE: true, CKA_EXTRACTABLE: true, CKA_WRAP_WITH_TRUSTED: true });
    expect(backup.CKA_LOCAL).toBeUndefined();
  });

  it('report each differing or missing attribute', () => {
    const expected = expectedAttributes(POLICIES.signing, 'AES', true);
    const actual: Record<string, unknown> = Object.fromEntries(expected.map(([t, v]) => [CKA[t], v]));
    actual.CKA_EXTRACTABLE = true;
    delete actual.CKA_SENSITIVE;
    expect(comparePolicy(expected, actual)).toEqual([
      { attribute: 'CKA_SENSITIVE', expected: true, actual: null },
      { attribute: 'CKA_EXTRACTABLE', expected: false, actual: true },
    ]);
  });
});
