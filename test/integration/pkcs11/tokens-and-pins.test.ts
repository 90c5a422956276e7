import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSoftHsm, type SoftHsm } from '../../fixtures/softhsm';
import { createPkcs11Handlers, type PinCounters, type TokenDescription, type MechanismDescription } from '../../../native/pkcs11';
import { caller, rejection } from './tools';

/** PINs cross to the device host as bytes */
const pinBytes = (pin: string) => new TextEncoder().encode(pin);

let hsm: SoftHsm;
const { call } = caller(createPkcs11Handlers({ finalizeOnExit: false }));
const SO = '87654321';
const PIN = '123456';

beforeAll(async () => {
  hsm = await makeSoftHsm({ setProcessEnv: true });
  await hsm.initToken('alpha', SO, PIN);
  await hsm.initToken('twin', SO, PIN);
  await hsm.initToken('twin', SO, PIN);
});
afterAll(async () => {
  await call('pkcs11.shutdown', {});
  await hsm.cleanup();
});

async function open(label: string, readWrite = true) {
  return (await call<{ sessionKey: string; token: TokenDescription }>('pkcs11.openSession', { module: hsm.module, token: { label }, readWrite })).sessionKey;
}

describe('slots, tokens and mechanisms', () => {
  it('shows the library info and lists tokens with decoded flags and PIN limits', async () => {
    const tokens = await call<TokenDescription[]>('pkcs11.listTokens', { module: hsm.module });
    const alpha = tokens.find((t) => t.label === 'alpha')!;
    expect(alpha.serial).toMatch(/^[0-9a-f]{16}$/);
    expect(alpha.flags).toMatchObject({ initialized: true, loginRequired: true, userPinInitialized: true, rng: true, protectedAuthenticationPath: false });
    expect(alpha.flags.userPin).toEqual({ countLow: false, finalTry: false, locked: false, toBeChanged: false });
    expect(alpha.pinLength.min).toBeGreaterThan(0);
    expect(alpha.pinLength.max).toBeGreaterThanOrEqual(alpha.pinLength.min);
    const free = tokens.find((t) => !t.flags.initialized)!;
    expect(free.flags.names).not.toContain('CKF_TOKEN_INITIALIZED');
  });

  it('lists mechanisms with key-size ranges and flags', async () => {
    const mechs = await call<MechanismDescription[]>('pkcs11.mechanisms', { module: hsm.module, token: { label: 'alpha' } });
    const wrapPad = mechs.find((m) => m.name === 'CKM_AES_KEY_WRAP_PAD')!;
    expect(wrapPad.flags).toEqual(expect.arrayContaining(['CKF_WRAP', 'CKF_UNWRAP']));
    const rsaGen = mechs.find((m) => m.name === 'CKM_RSA_PKCS_KEY_PAIR_GEN')!;
    expect(rsaGen.flags).toContain('CKF_GENERATE_KEY_PAIR');
    expect(rsaGen.maxKeySize).toBeGreaterThanOrEqual(4096);
    expect(rsaGen.minKeySize).toBeLessThanOrEqual(2048);
  });

  it('selects tokens by label or serial, and refuses an unknown or ambiguous one', async () => {
    const tokens = await call<TokenDescription[]>('pkcs11.listTokens', { module: hsm.module });
    const alpha = tokens.find((t) => t.label === 'alpha')!;
    const bySerial = await call<{ sessionKey: string; token: TokenDescription }>('pkcs11.openSession', { module: hsm.module, token: { serial: alpha.serial } });
    expect(bySerial.token.label).toBe('alpha');
    // C_InitToken must not run under open sessions: the token says so, and nothing is erased.
    const busy = await rejection(call('pkcs11.initToken', { module: hsm.module, token: { serial: alpha.serial }, soPin: pinBytes(SO), label: 'erased' }));
    expect(busy.code).toBe('SessionExists');
    await call('pkcs11.closeSession', { sessionKey: bySerial.sessionKey });
    expect((await rejection(open('nobody'))).code).toBe('TokenNotFound');
    const twin = await rejection(open('twin'));
    expect(twin.code).toBe('TokenAmbiguous');
    expect((twin.details?.serials as string[]).length).toBe(2);
  });

  it('refuses a slot id as a token selector', async () => {
    const e = await rejection(call('pkcs11.openSession', { module: hsm.module, token: { slot: 0 } }));
    expect(e.code).toBe('InvalidParams');
  });

  it.runIf(existsSync('/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so'))('keeps several modules loaded at once', async () => {
    await call('pkcs11.loadModule', { path: '/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so' });
    const modules = await call<Array<{ manufacturer: string }>>('pkcs11.listModules', {});
    expect(modules.length).toBe(2);
    expect(modules.map((m) => m.manufacturer)).toEqual(expect.arrayContaining(['SoftHSM']));
    await call('pkcs11.unloadModule', { path: '/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so' });
  });
});

describe('sessions and login', () => {
  it('logs the user in and out, reading the PIN counters before and after', async () => {
    const s = await open('alpha');
    const counters = await call<PinCounters>('pkcs11.login', { sessionKey: s, user: 'USER', pin: pinBytes(PIN) });
    expect(counters.before.locked).toBe(false);
    expect(counters.after.countLow).toBe(false);
    await call('pkcs11.logout', { sessionKey: s });
    await call('pkcs11.closeSession', { sessionKey: s });
    expect((await rejection(call('pkcs11.logout', { sessionKey: s }))).code).toBe('SessionUnknown');
  });

  it('opens read-only sessions that cannot create objects', async () => {
    const s = await open('alpha', false);
    await call('pkcs11.login', { sessionKey: s, user: 'USER', pin: pinBytes(PIN) });
    const e = await rejection(call('pkcs11.generateKey', { sessionKey: s, algorithm: 'AES-128', policy: 'signing', label: 'ro-key' }));
    expect(e.code).toBe('SessionReadOnly');
    await call('pkcs11.logout', { sessionKey: s });
    await call('pkcs11.closeSession', { sessionKey: s });
  });

  it('wrong user PIN: SoftHSM2 sets count-low and never locks (what it really does), and the right PIN still works', async () => {
    const s = await open('alpha');
    const first = await rejection(call('pkcs11.login', { sessionKey: s, user: 'USER', pin: pinBytes('000000') }));
    expect(first.code).toBe('PinIncorrect');
    expect((first.details?.after as { countLow: boolean }).countLow).toBe(true);
    expect(first.message).toBe('Wrong PIN. The token has counted a wrong try (it does not say how many are left).');
    for (let i = 0; i < 12; i++) {
      const e = await rejection(call('pkcs11.login', { sessionKey: s, user: 'USER', pin: pinBytes('000000') }));
      expect(e.code).toBe('PinIncorrect');
      expect(e.details?.after as { locked: boolean; finalTry: boolean }).toMatchObject({ locked: false, finalTry: false });
    }
    const ok = await call<PinCounters>('pkcs11.login', { sessionKey: s, user: 'USER', pin: pinBytes(PIN) });
    expect(ok.before.countLow).toBe(true);
    expect(ok.after.countLow).toBe(false);
    await call('pkcs11.logout', { sessionKey: s });
    await call('pkcs11.closeSession', { sessionKey: s });
  });

  it('wrong SO-PIN is reported with the SO counters', async () => {
    const s = await open('alpha');
    const e = await rejection(call('pkcs11.login', { sessionKey: s, user: 'SO', pin: pinBytes('11111111') }));
    expect(e.code).toBe('PinIncorrect');
    expect(e.message).toMatch(/Security Officer PIN/);
    const status = await call<{ so: { countLow: boolean }; user: { countLow: boolean } }>('pkcs11.pinStatus', { sessionKey: s });
    expect(status.so.countLow).toBe(true);
    await call('pkcs11.login', { sessionKey: s, user: 'SO', pin: pinBytes(SO) });
    await call('pkcs11.logout', { sessionKey: s });
    await call('pkcs11.closeSession', { sessionKey: s });
  });
});

describe('PIN operations', () => {
  it('initialises a free token (C_InitToken), sets the user PIN as SO (C_InitPIN), changes it (C_SetPIN)', async () => {
    const made = await call<{ label: string; serial: string }>('pkcs11.initToken', {
      module: hsm.module,
      token: { uninitialized: true },
      soPin: pinBytes(SO),
      label: 'fresh',
    });
    expect(made.label).toBe('fresh');
    const so = await open('fresh');
    await call('pkcs11.login', { sessionKey: so, user: 'SO', pin: pinBytes(SO) });
    await call('pkcs11.initPin', { sessionKey: so, pin: pinBytes('2468') });
    await call('pkcs11.logout', { sessionKey: so });
    await call('pkcs11.closeSession', { sessionKey: so });

    const user = await open('fresh');
    await call('pkcs11.login', { sessionKey: user, user: 'USER', pin: pinBytes('2468') });
    const wrongOld = await rejection(call('pkcs11.setPin', { sessionKey: user, oldPin: pinBytes('9999'), newPin: pinBytes('13579') }));
    expect(wrongOld.code).toBe('PinIncorrect');
    await call('pkcs11.setPin', { sessionKey: user, oldPin: pinBytes('2468'), newPin: pinBytes('13579') });
    await call('pkcs11.logout', { sessionKey: user });
    expect((await rejection(call('pkcs11.login', { sessionKey: user, user: 'USER', pin: pinBytes('2468') }))).code).toBe('PinIncorrect');
    await call('pkcs11.login', { sessionKey: user, user: 'USER', pin: pinBytes('13579') });
    await call('pkcs11.logout', { sessionKey: user });
    await call('pkcs11.closeSession', { sessionKey: user });
  });

  it('refuses C_InitToken with a wrong SO-PIN and leaves the token as it was', async () => {
    const e = await rejection(call('pkcs11.initToken', { module: hsm.module, token: { label: 'alpha' }, soPin: pinBytes('00000000'), label: 'hijacked' }));
    expect(e.code).toBe('PinIncorrect');
    const tokens = await call<TokenDescription[]>('pkcs11.listTokens', { module: hsm.module });
    expect(tokens.map((t) => t.label)).toContain('alpha');
    expect(tokens.map((t) => t.label)).not.toContain('hijacked');
  });
});
