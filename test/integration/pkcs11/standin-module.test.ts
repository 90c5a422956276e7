import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../../main/ipc/app-context';
import { buildStandin, standinLauncher } from '../../fixtures/pkcs11-standin/build';
import { listObjects, objectBlocks, startContext } from '../keygen/harness';

/**
 * The stand-in module itself (test/fixtures/pkcs11-standin), through the real device host: what it changes in
 * SoftHSM2's behaviour is what yubihsm_pkcs11 does, and OpenSC on SoftHSM2 directly shows how it stores it.
 */
describe('the stand-in for yubihsm_pkcs11', () => {
  let context: AppContext;
  let standin: string;
  let token: { label: string };
  beforeAll(async () => {
    context = await startContext(standinLauncher());
    standin = await buildStandin();
    token = { label: context.rehearsal!.tokenLabel };
  });
  afterAll(async () => {
    await context?.close();
  });
  /** A read-write session on the stand-in with the user logged in, closed afterwards whatever happens. */
  async function loggedIn(body: (sessionKey: string) => Promise<void>): Promise<void> {
    const { sessionKey } = await context.pkcs11.openSession(standin, token, true);
    try {
      await context.pkcs11.login(sessionKey, 'USER', new TextEncoder().encode(context.rehearsal!.pins.user));
      await body(sessionKey);
    } finally {
      await context.pkcs11.closeSession(sessionKey);
    }
  }

  it('refuses random bytes and shows no object before login; after login both work', async () => {
    const made = await context.pkcs11.openSession(standin, token, true);
    try {
      await expect(context.pkcs11.random(made.sessionKey, 4)).rejects.toMatchObject({ code: 'UserNotLoggedIn' });
      await context.pkcs11.login(made.sessionKey, 'USER', new TextEncoder().encode(context.rehearsal!.pins.user));
      expect((await context.pkcs11.random(made.sessionKey, 4)).length).toBe(4);
      await context.pkcs11.generateKey(made.sessionKey, { algorithm: 'EC-P256', policy: 'signing', label: 'visible-after-login' });
      expect(await context.pkcs11.findObjects(made.sessionKey, { label: 'visible-after-login' })).toHaveLength(2);
      await context.pkcs11.logout(made.sessionKey);
      expect(await context.pkcs11.findObjects(made.sessionKey, { label: 'visible-after-login' })).toEqual([]);
    } finally {
      await context.pkcs11.closeSession(made.sessionKey);
    }
  });

  it('keeps an 8-byte CKA_ID in a meta object beside a 2-byte native id, reads it back as given, and removes the meta object with the key', async () => {
    await loggedIn(async (sessionKey) => {
      const key = await context.pkcs11.generateKey(sessionKey, { algorithm: 'EC-P256', policy: 'signing', label: 'long-id', id: '0102030405060708' });
      expect(key.id).toBe('0102030405060708');
      const found = await context.pkcs11.findObjects(sessionKey, { id: '0102030405060708' });
      expect(found.map((o) => o.id)).toEqual(['0102030405060708', '0102030405060708']);
      // SoftHSM2 underneath holds a 2-byte id on both halves and one meta object
      const underneath = await listObjects(context);
      const ids = [...underneath.matchAll(/label:\s+long-id\n(?:.*\n)*?\s+ID:\s+([0-9a-f]+)/g)].map((m) => m[1]);
      expect(ids).toHaveLength(2);
      expect(ids.every((id) => id.length === 4)).toBe(true);
      expect(underneath).toContain(`Meta object for 0x${ids[0]}`);
      // one object on the device: the private key takes the public key and the meta object with it
      await context.pkcs11.destroyObject(sessionKey, { label: 'long-id', class: 'privateKey' });
      expect(await context.pkcs11.findObjects(sessionKey, { label: 'long-id' })).toEqual([]);
      expect(await listObjects(context)).not.toContain('Meta object');
    });
  });

  // yubihsm-shell 2.8.0 pkcs11/yubihsm_pkcs11.c:2122-2125 (public: a no-op returning CKR_OK) and 2141 (private: the
  // one asymmetric-key object is deleted, so the public key goes too)
  it('destroys a key pair as one object: the public key alone stays (CKR_OK), the private key takes both halves', async () => {
    await loggedIn(async (sessionKey) => {
      await context.pkcs11.generateKey(sessionKey, { algorithm: 'EC-P256', policy: 'signing', label: 'one-object' });
      await expect(context.pkcs11.destroyObject(sessionKey, { label: 'one-object', class: 'publicKey' })).resolves.toEqual({ destroyed: true });
      const left = await context.pkcs11.findObjects(sessionKey, { label: 'one-object' });
      expect(left.map((o) => o.class).sort()).toEqual(['privateKey', 'publicKey']);
      await context.pkcs11.destroyObject(sessionKey, { label: 'one-object', class: 'privateKey' });
      expect(await context.pkcs11.findObjects(sessionKey, { label: 'one-object' })).toEqual([]);
      expect(objectBlocks(await listObjects(context), 'one-object')).toEqual([]);
    });
  });

  // yubihsm-shell 2.8.0 pkcs11/util_pkcs11.c:84-152: the device's OBJECT_EXISTS is CKR_ATTRIBUTE_VALUE_INVALID
  it('refuses a second key pair under a 2-byte id a key already has, and makes nothing', async () => {
    await loggedIn(async (sessionKey) => {
      await context.pkcs11.generateKey(sessionKey, { algorithm: 'EC-P256', policy: 'signing', label: 'id-first', id: '0a0b' });
      await expect(context.pkcs11.generateKey(sessionKey, { algorithm: 'EC-P256', policy: 'signing', label: 'id-second', id: '0a0b' })).rejects.toMatchObject({
        code: 'AttributeValueInvalid',
      });
      expect(await context.pkcs11.findObjects(sessionKey, { label: 'id-second' })).toEqual([]);
      expect(await context.pkcs11.findObjects(sessionKey, { id: '0a0b' })).toHaveLength(2);
      await context.pkcs11.destroyObject(sessionKey, { label: 'id-first', class: 'privateKey' });
    });
  });
});
