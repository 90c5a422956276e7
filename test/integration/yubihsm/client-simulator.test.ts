import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ALGORITHM,
  ALL_CAPABILITIES,
  ALL_DOMAINS,
  CAPABILITY,
  COMMAND,
  OBJECT,
  ORIGIN,
  YubiHsmError,
  capabilitySet,
  domainSet,
  encodeChangeAuthKey,
  passwordToKeys,
  type YubiHsmSession,
} from '../../../native/yubihsm';
import { simulatedDevice as makeHarness, type SimulatedDevice as Harness, type TransportName } from '../../fixtures/harness';

async function expectCode(p: Promise<unknown>, code: string): Promise<void> {
  await expect(p).rejects.toSatisfy((e: unknown) => e instanceof YubiHsmError && e.code === code && e.message.length > 20);
}

const caps = capabilitySet;
const u16be = (n: number) => [n >> 8, n & 0xff];
const u64be = (n: bigint) => Array.from({ length: 8 }, (_, i) => Number((n >> BigInt(8 * (7 - i))) & 0xffn));

describe.each<TransportName>(['in-memory', 'http'])('client ↔ simulator (%s)', (kind) => {
  let h: Harness;
  let admin: YubiHsmSession;

  beforeEach(async () => {
    h = await makeHarness(kind, { serial: 12345678 });
    admin = await h.client.openSession(1, 'password');
  });
  afterEach(async () => {
    if (admin.isOpen) await admin.close().catch(() => undefined);
    await h.close();
  });

  it('reports device info on both pages and answers a plain ECHO', async () => {
    const info = await h.client.deviceInfo();
    expect(info.serial).toBe(12345678);
    expect(info.version).toEqual([2, 4, 0]);
    expect(info.logTotal).toBe(62);
    expect(info.logUsed).toBe(2);
    expect(await h.client.partNumber()).toBe('SIMULATOR');
    expect(Array.from(await h.client.echo(Uint8Array.of(1, 2, 3)))).toEqual([1, 2, 3]);
    expect((await admin.deviceInfo()).serial).toBe(12345678);
  });

  it('starts in the factory state: exactly the default authentication key', async () => {
    expect(await admin.listObjects()).toEqual([{ id: 1, type: OBJECT.AUTHENTICATION_KEY, sequence: 0 }]);
    const info = await admin.getObjectInfo(1, OBJECT.AUTHENTICATION_KEY);
    expect(info).toMatchObject({
      label: 'DEFAULT AUTHKEY CHANGE THIS ASAP',
      domains: ALL_DOMAINS,
      size: 40,
      sequence: 0,
      origin: ORIGIN.IMPORTED,
      algorithm: ALGORITHM.AES128_YUBICO_AUTHENTICATION,
    });
    expect(info.capabilities & ALL_CAPABILITIES).toBe(ALL_CAPABILITIES);
    expect(info.delegatedCapabilities).toBe(info.capabilities);
  });

  it('runs ECHO, GET_PSEUDO_RANDOM, GET_STORAGE_INFO and BLINK_DEVICE in a session', async () => {
    expect(Array.from(await admin.echo(new TextEncoder().encode('hello')))).toEqual(Array.from(new TextEncoder().encode('hello')));
    const r1 = await admin.getPseudoRandom(32);
    const r2 = await admin.getPseudoRandom(32);
    expect(r1.length).toBe(32);
    expect(Buffer.compare(r1, r2)).not.toBe(0);
    const storage = await admin.getStorageInfo();
    expect(storage.totalRecords - storage.freeRecords).toBe(1);
    await admin.blinkDevice(1);
  });

  it('refuses a wrong password and an unknown key, and says whether a session opens', async () => {
    await expectCode(h.client.openSession(1, 'wrong'), 'AUTHENTICATION_FAILED');
    await expectCode(h.client.openSession(77, 'password'), 'OBJECT_NOT_FOUND');
    expect(await h.client.canOpenSession(1, 'password')).toEqual({ ok: true });
    expect(await h.client.canOpenSession(1, 'nope')).toMatchObject({ ok: false, code: 'AUTHENTICATION_FAILED' });
  });

  it('creates least-privilege auth keys and enforces capabilities, delegation and domains', async () => {
    const id = await admin.putAuthenticationKey(
      {
        id: 0,
        label: 'operator',
        domains: domainSet(1),
        capabilities: caps(CAPABILITY.PUT_AUTHENTICATION_KEY, CAPABILITY.GENERATE_WRAP_KEY),
        delegatedCapabilities: caps(CAPABILITY.GET_PSEUDO_RANDOM),
      },
      'operator-pass',
    );
    expect(id).toBe(2);
    await admin.putAuthenticationKey({ id: 9, label: 'other-domain', domains: domainSet(2), capabilities: 0n, delegatedCapabilities: 0n }, 'x');
    const op = await h.client.openSession(id, 'operator-pass');
    // Missing capability on the session's key.
    await expectCode(op.getPseudoRandom(8), 'INSUFFICIENT_PERMISSIONS');
    // Capabilities outside the delegated set.
    await expectCode(
      op.putAuthenticationKey({ id: 0, label: 'x', domains: domainSet(1), capabilities: caps(CAPABILITY.SIGN_ECDSA), delegatedCapabilities: 0n }, 'p'),
      'INSUFFICIENT_PERMISSIONS',
    );
    await expectCode(
      op.putAuthenticationKey({ id: 0, label: 'x', domains: domainSet(1), capabilities: 0n, delegatedCapabilities: caps(CAPABILITY.SIGN_ECDSA) }, 'p'),
      'INSUFFICIENT_PERMISSIONS',
    );
    // Domains outside the session's.
    await expectCode(
      op.putAuthenticationKey(
        { id: 0, label: 'x', domains: domainSet(1, 2), capabilities: caps(CAPABILITY.GET_PSEUDO_RANDOM), delegatedCapabilities: 0n },
        'p',
      ),
      'INSUFFICIENT_PERMISSIONS',
    );
    await expectCode(op.getObjectInfo(9, OBJECT.AUTHENTICATION_KEY), 'OBJECT_NOT_FOUND');
    expect((await op.listObjects()).map((o) => o.id)).toEqual([1, 2]);
    // Within the delegated set and domains it works.
    const child = await op.putAuthenticationKey(
      { id: 0, label: 'child', domains: domainSet(1), capabilities: caps(CAPABILITY.GET_PSEUDO_RANDOM), delegatedCapabilities: 0n },
      'child',
    );
    const cs = await h.client.openSession(child, 'child');
    expect((await cs.getPseudoRandom(4)).length).toBe(4);
    await cs.close();
    // OBJECT_EXISTS for an (ID, type) already taken.
    await expectCode(admin.putAuthenticationKey({ id: 2, label: 'dup', domains: 1, capabilities: 0n, delegatedCapabilities: 0n }, 'p'), 'OBJECT_EXISTS');
    await op.close();
  });

  it('lists objects with each of the six filters', async () => {
    await admin.putAuthenticationKey({ id: 5, label: 'five', domains: domainSet(3), capabilities: caps(CAPABILITY.SIGN_HMAC), delegatedCapabilities: 0n }, 'p');
    await admin.generateWrapKey(
      { id: 6, label: 'wrap', domains: domainSet(3), capabilities: caps(CAPABILITY.EXPORT_WRAPPED), algorithm: ALGORITHM.AES256_CCM_WRAP },
      0n,
    );
    const ids = async (f: Parameters<YubiHsmSession['listObjects']>[0]) => (await admin.listObjects(f)).map((o) => `${o.type}:${o.id}`).sort();
    expect(await ids({ id: 5 })).toEqual(['2:5']);
    expect(await ids({ type: OBJECT.WRAP_KEY })).toEqual(['4:6']);
    expect(await ids({ domains: domainSet(3) })).toEqual(['2:1', '2:5', '4:6']);
    expect(await ids({ capabilities: caps(CAPABILITY.SIGN_HMAC) })).toEqual(['2:1', '2:5']);
    expect(await ids({ algorithm: ALGORITHM.AES256_CCM_WRAP })).toEqual(['4:6']);
    expect(await ids({ label: 'five' })).toEqual(['2:5']);
    expect(await ids({ type: OBJECT.AUTHENTICATION_KEY, domains: domainSet(3), label: 'five' })).toEqual(['2:5']);
  });

  it('changes its own auth key and keeps the session; another key’s is INVALID_ID', async () => {
    await admin.putAuthenticationKey(
      { id: 3, label: 'rot', domains: 1, capabilities: caps(CAPABILITY.CHANGE_AUTHENTICATION_KEY), delegatedCapabilities: 0n },
      'old',
    );
    const s = await h.client.openSession(3, 'old');
    await s.changeAuthenticationKey('new-password');
    expect(Array.from(await s.echo(Uint8Array.of(9)))).toEqual([9]);
    const k = passwordToKeys('z');
    await expectCode(s.send(COMMAND.CHANGE_AUTHENTICATION_KEY, encodeChangeAuthKey(1, k.encKey, k.macKey)), 'INVALID_ID');
    await s.close();
    await expectCode(h.client.openSession(3, 'old'), 'AUTHENTICATION_FAILED');
    const again = await h.client.openSession(3, 'new-password');
    await again.close();
    const info = await admin.getObjectInfo(3, OBJECT.AUTHENTICATION_KEY);
    expect(info).toMatchObject({ label: 'rot', capabilities: caps(CAPABILITY.CHANGE_AUTHENTICATION_KEY) });
  });

  it('deletes the default key after setup, and raises the sequence when an ID is re-created', async () => {
    await admin.putAuthenticationKey(
      { id: 4, label: 'admin', domains: ALL_DOMAINS, capabilities: ALL_CAPABILITIES, delegatedCapabilities: ALL_CAPABILITIES },
      'admin-pass',
    );
    const s = await h.client.openSession(4, 'admin-pass');
    await s.deleteObject(1, OBJECT.AUTHENTICATION_KEY);
    expect(await h.client.canOpenSession(1, 'password')).toMatchObject({ ok: false, code: 'OBJECT_NOT_FOUND' });
    await s.putAuthenticationKey({ id: 1, label: 'again', domains: 1, capabilities: 0n, delegatedCapabilities: 0n }, 'p');
    expect((await s.getObjectInfo(1, OBJECT.AUTHENTICATION_KEY)).sequence).toBe(1);
    await expectCode(s.deleteObject(99, OBJECT.WRAP_KEY), 'OBJECT_NOT_FOUND');
    await s.close();
    await admin.close().catch(() => undefined);
  });

  it('needs the delete capability matching the object type', async () => {
    await admin.putAuthenticationKey({ id: 7, label: 'deleter', domains: 1, capabilities: caps(CAPABILITY.DELETE_WRAP_KEY), delegatedCapabilities: 0n }, 'd');
    const s = await h.client.openSession(7, 'd');
    await expectCode(s.deleteObject(1, OBJECT.AUTHENTICATION_KEY), 'INSUFFICIENT_PERMISSIONS');
    await s.close();
  });

  it('refuses a 17th session with SESSIONS_FULL', async () => {
    const extra: YubiHsmSession[] = [];
    for (let i = 0; i < 15; i++) extra.push(await h.client.openSession(1, 'password'));
    await expectCode(h.client.openSession(1, 'password'), 'SESSIONS_FULL');
    await extra.pop()!.close();
    extra.push(await h.client.openSession(1, 'password'));
    for (const s of extra) await s.close();
  });

  it('expires an idle session after 30 s and the client reopens it when allowed', async () => {
    const strict = await h.client.openSession(1, 'password', { reopenOnExpiry: false });
    const lenient = await h.client.openSession(1, 'password');
    h.advance(29_000);
    await strict.echo(Uint8Array.of(1));
    h.advance(31_000);
    await expectCode(strict.echo(Uint8Array.of(1)), 'INVALID_SESSION');
    expect(Array.from(await lenient.echo(Uint8Array.of(2)))).toEqual([2]);
    expect(lenient.reopenCount).toBe(1);
    await lenient.close();
  });

  it('refuses messages larger than the firmware allows', async () => {
    await expectCode(admin.echo(new Uint8Array(3200)), 'MESSAGE_TOO_LARGE');
    expect((await admin.echo(new Uint8Array(3000))).length).toBe(3000);
  });

  // What Yubico's yubihsm_pkcs11 sends for a CKA_LABEL over 40 bytes: its first 40 bytes as the object's label
  // (yubihsm-shell 2.8.0 pkcs11/util_pkcs11.c:4716-4721), which can end inside a multi-byte UTF-8 character. The
  // device keeps the 40 bytes as they came: GET_OBJECT_INFO gives them back and LIST_OBJECTS finds the key by them.
  it('keeps the 40 raw bytes of a label that ends inside a character, and finds the key by them', async () => {
    const whole = Buffer.from('Custodian root signing key Zertifikatprüfung 2026', 'utf8');
    const cut = whole.subarray(0, 40);
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(cut)).toThrow(); // it does end inside "ü"
    const capabilities = capabilitySet(CAPABILITY.SIGN_ECDSA);
    const generate = Uint8Array.from([...u16be(0x0a02), ...cut, ...u16be(0xffff), ...u64be(capabilities), ALGORITHM.EC_P256]);
    expect(Array.from(await admin.send(COMMAND.GENERATE_ASYMMETRIC_KEY, generate))).toEqual(u16be(0x0a02));

    const info = await admin.send(COMMAND.GET_OBJECT_INFO, Uint8Array.from([...u16be(0x0a02), OBJECT.ASYMMETRIC_KEY]));
    // capabilities(8) id(2) size(2) domains(2) type algorithm sequence origin, then the label's 40 bytes
    expect(Buffer.from(info.subarray(18, 58)).equals(cut)).toBe(true);

    const list = await admin.send(COMMAND.LIST_OBJECTS, Uint8Array.from([0x06 /* LIST_FILTER.LABEL */, ...cut]));
    expect(Array.from(list.subarray(0, 3))).toEqual([...u16be(0x0a02), OBJECT.ASYMMETRIC_KEY]);

    // and Custodian's own client reads the same bytes back through its label codec
    const seen = await admin.getObjectInfo(0x0a02, OBJECT.ASYMMETRIC_KEY);
    expect((await admin.listObjects({ label: seen.label })).map((o) => o.id)).toEqual([0x0a02]);
  });
});
