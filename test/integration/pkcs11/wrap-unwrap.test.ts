import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSoftHsm, type SoftHsm } from '../../fixtures/softhsm';
import { createPkcs11Handlers, type ExportedPublicKey, type GeneratedKey, type UnwrappedKey, type WrappedKey } from '../../../native/pkcs11';
import { caller, opensslVerifies, rejection } from './tools';

/** PINs cross to the device host as bytes */
const pinBytes = (pin: string) => new TextEncoder().encode(pin);

let hsm: SoftHsm;
const { call } = caller(createPkcs11Handlers({ finalizeOnExit: false }));
const SO = '87654321';
const PIN = '123456';
const open = async (label: string) => (await call<{ sessionKey: string }>('pkcs11.openSession', { module: hsm.module, token: { label } })).sessionKey;

beforeAll(async () => {
  hsm = await makeSoftHsm({ setProcessEnv: true });
  await hsm.initToken('source', SO, PIN);
  await hsm.initToken('target', SO, PIN);
});
afterAll(async () => {
  await call('pkcs11.shutdown', {});
  await hsm.cleanup();
});

describe('backup and restore with CKM_AES_KEY_WRAP_PAD', () => {
  const kek = () => new Uint8Array(Buffer.from('00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff', 'hex'));
  let wrapped: WrappedKey[] = [];
  const originals: Record<string, GeneratedKey> = {};

  it('wraps backupable keys only under a trusted KEK the SO imported, then the user destroys it', async () => {
    const user = await open('source');
    await call('pkcs11.login', { sessionKey: user, user: 'USER', pin: pinBytes(PIN) });
    for (const [algorithm, label] of [
      ['RSA-2048', 'rsa'],
      ['EC-P256', 'ec'],
      ['Ed25519', 'ed'],
      ['AES-256', 'aes'],
    ]) {
      originals[label] = await call<GeneratedKey>('pkcs11.generateKey', { sessionKey: user, algorithm, policy: 'backupable', label });
    }
    // An ordinary (untrusted) wrapping key is refused by the token: CKA_WRAP_WITH_TRUSTED works.
    await call('pkcs11.importSecretKey', { sessionKey: user, label: 'plain-kek', value: kek(), usage: ['wrap'] });
    const untrusted = await rejection(call('pkcs11.wrapKeys', { sessionKey: user, kek: { label: 'plain-kek' }, keys: [{ label: 'ec' }] }));
    expect(untrusted.code).toBe('KeyNotWrappable');
    // A user cannot import a trusted KEK.
    expect((await rejection(call('pkcs11.importKek', { sessionKey: user, label: 'kek', value: kek(), role: 'trustedWrap' }))).code).toBe('UserNotLoggedIn');
    await call('pkcs11.logout', { sessionKey: user });

    await call('pkcs11.login', { sessionKey: user, user: 'SO', pin: pinBytes(SO) });
    await call('pkcs11.importKek', { sessionKey: user, label: 'kek', value: kek(), role: 'trustedWrap' });
    await call('pkcs11.logout', { sessionKey: user });

    await call('pkcs11.login', { sessionKey: user, user: 'USER', pin: pinBytes(PIN) });
    // SoftHSM 2.6.1 cannot wrap EdDSA private keys (it has no PKCS#8 export for them): the token says so, and the
    // whole batch fails rather than producing a backup with a key missing.
    const ed = await rejection(call('pkcs11.wrapKeys', { sessionKey: user, kek: { label: 'kek' }, keys: [{ label: 'rsa' }, { label: 'ed' }] }));
    expect(ed.code).toBe('KeyNotWrappable');
    wrapped = await call<WrappedKey[]>('pkcs11.wrapKeys', {
      sessionKey: user,
      kek: { label: 'kek' },
      keys: [{ label: 'rsa' }, { label: 'ec' }, { label: 'aes' }],
    });
    expect(wrapped.map((w) => [w.label, w.class, w.policy])).toEqual([
      ['rsa', 'privateKey', 'backupable'],
      ['ec', 'privateKey', 'backupable'],
      ['aes', 'secretKey', 'backupable'],
    ]);
    expect(wrapped[1].fingerprint).toBe(originals.ec.publicKey!.sha256);
    await call('pkcs11.destroyObject', { sessionKey: user, key: { label: 'kek', class: 'secretKey' } });
    await call('pkcs11.closeSession', { sessionKey: user });
  });

  it('refuses to unwrap under the wrong KEK', async () => {
    const user = await open('target');
    await call('pkcs11.login', { sessionKey: user, user: 'USER', pin: pinBytes(PIN) });
    await call('pkcs11.importKek', { sessionKey: user, label: 'wrong-kek', value: new Uint8Array(randomBytes(32)), role: 'unwrapOnly' });
    const e = await rejection(call('pkcs11.unwrapKeys', { sessionKey: user, kek: { label: 'wrong-kek' }, items: [wrapped[1]] }));
    expect(e.code).toBe('WrappedKeyInvalid');
    expect(e.message).toMatch(/KEK is wrong or the backup is damaged/);
    expect(await call('pkcs11.findObjects', { sessionKey: user, label: 'ec' })).toEqual([]);
    await call('pkcs11.closeSession', { sessionKey: user });
  });

  it('unwraps into a second token with the original policy, same fingerprints, and the keys sign verifiably', async () => {
    const user = await open('target');
    await call('pkcs11.login', { sessionKey: user, user: 'USER', pin: pinBytes(PIN) });
    const unwrapKek = kek();
    await call('pkcs11.importKek', { sessionKey: user, label: 'restore-kek', value: unwrapKek, role: 'unwrapOnly' });
    expect(unwrapKek.every((b) => b === 0)).toBe(true);
    const restored = await call<UnwrappedKey[]>('pkcs11.unwrapKeys', { sessionKey: user, kek: { label: 'restore-kek' }, items: wrapped });
    expect(restored.map((r) => r.label)).toEqual(['rsa', 'ec', 'aes']);
    for (const label of ['rsa', 'ec']) {
      const r = restored.find((x) => x.label === label)!;
      expect(r.proven).toBe(true);
      expect(r.fingerprint).toBe(originals[label].publicKey!.sha256);
      const exported = await call<ExportedPublicKey>('pkcs11.exportPublicKey', { sessionKey: user, key: { label } });
      expect(exported.sha256).toBe(originals[label].publicKey!.sha256);
    }
    for (const [label, algorithm] of [
      ['rsa', 'RSA-PSS-SHA256'],
      ['ec', 'ECDSA-SHA256'],
    ]) {
      const data = randomBytes(64);
      const signature = await call<Uint8Array>('pkcs11.sign', { sessionKey: user, key: { label }, algorithm, data });
      expect(await opensslVerifies({ pem: originals[label].publicKey!.spkiPem, data, signature, algorithm })).toBe(true);
    }
    const policy = await call<{ ok: boolean }>('pkcs11.checkKeyPolicy', {
      sessionKey: user,
      key: { label: 'aes', class: 'secretKey' },
      policy: 'backupable',
      fromUnwrap: true,
    });
    expect(policy.ok).toBe(true);
    // A label already on the target is refused rather than duplicated.
    expect((await rejection(call('pkcs11.unwrapKeys', { sessionKey: user, kek: { label: 'restore-kek' }, items: [wrapped[0]] }))).code).toBe('LabelExists');
    await call('pkcs11.closeSession', { sessionKey: user });
  });
});
