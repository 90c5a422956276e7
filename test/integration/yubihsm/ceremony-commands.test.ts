import { createHash, createPublicKey, verify, constants } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ALGORITHM,
  ALL_CAPABILITIES,
  ALL_DOMAINS,
  AUDIT,
  CAPABILITY,
  COMMAND,
  OBJECT,
  ORIGIN,
  YubiHsmError,
  capabilitySet,
  decodeWrappedPlaintext,
  domainSet,
  hexToBytes,
  openWrapped,
  type YubiHsmSession,
} from '../../../native/yubihsm';
import { simulatedDevice as makeHarness, type SimulatedDevice as Harness, type TransportName } from '../../fixtures/harness';

const vectors = JSON.parse(readFileSync(new URL('../../fixtures/yubihsm/vectors.json', import.meta.url), 'utf8'));
const caps = capabilitySet;

async function expectCode(p: Promise<unknown>, code: string): Promise<void> {
  await expect(p).rejects.toSatisfy((e: unknown) => e instanceof YubiHsmError && e.code === code);
}

function ecPublicKey(crv: string, xy: Uint8Array) {
  const half = xy.length / 2;
  return createPublicKey({
    key: { kty: 'EC', crv, x: Buffer.from(xy.subarray(0, half)).toString('base64url'), y: Buffer.from(xy.subarray(half)).toString('base64url') },
    format: 'jwk',
  });
}

describe.each<TransportName>(['in-memory', 'http'])('ceremony commands (%s)', (kind) => {
  let h: Harness;
  let admin: YubiHsmSession;

  beforeEach(async () => {
    h = await makeHarness(kind);
    admin = await h.client.openSession(1, 'password');
  });
  afterEach(async () => {
    if (admin.isOpen) await admin.close().catch(() => undefined);
    await h.close();
  });

  it('backs up a key under a wrap key and restores it with the same public key', async () => {
    const wrapId = await admin.putWrapKey(
      {
        id: 0x10,
        label: 'backup',
        domains: ALL_DOMAINS,
        capabilities: caps(CAPABILITY.EXPORT_WRAPPED, CAPABILITY.IMPORT_WRAPPED),
        algorithm: ALGORITHM.AES128_CCM_WRAP,
      },
      caps(CAPABILITY.EXPORTABLE_UNDER_WRAP, CAPABILITY.SIGN_ECDSA),
      hexToBytes('000102030405060708090a0b0c0d0e0f'),
    );
    const keyId = await admin.generateAsymmetricKey({
      id: 0x20,
      label: 'ca',
      domains: domainSet(1),
      capabilities: caps(CAPABILITY.SIGN_ECDSA, CAPABILITY.EXPORTABLE_UNDER_WRAP),
      algorithm: ALGORITHM.EC_P256,
    });
    const before = await admin.getPublicKey(keyId);
    const blob = await admin.exportWrapped(wrapId, OBJECT.ASYMMETRIC_KEY, keyId);
    const plain = decodeWrappedPlaintext(openWrapped(hexToBytes('000102030405060708090a0b0c0d0e0f'), blob)!);
    expect(plain).toMatchObject({ wrapKeyAlgorithm: ALGORITHM.AES128_CCM_WRAP, id: keyId, type: OBJECT.ASYMMETRIC_KEY, label: 'ca', origin: ORIGIN.GENERATED });
    await expectCode(admin.importWrapped(wrapId, blob), 'OBJECT_EXISTS');
    await admin.deleteObject(keyId, OBJECT.ASYMMETRIC_KEY);
    expect(await admin.importWrapped(wrapId, blob)).toEqual({ type: OBJECT.ASYMMETRIC_KEY, id: keyId });
    expect(Buffer.from((await admin.getPublicKey(keyId)).key).equals(Buffer.from(before.key))).toBe(true);
    expect((await admin.getObjectInfo(keyId, OBJECT.ASYMMETRIC_KEY)).origin).toBe(ORIGIN.GENERATED | ORIGIN.IMPORTED_WRAPPED);
    const tampered = blob.slice();
    tampered[30] ^= 1;
    await admin.deleteObject(keyId, OBJECT.ASYMMETRIC_KEY);
    await expectCode(admin.importWrapped(wrapId, tampered), 'INVALID_DATA');
  });

  it('refuses to export what is not exportable or outside the wrap key’s delegated set', async () => {
    const wrapId = await admin.generateWrapKey(
      { id: 0, label: 'w', domains: ALL_DOMAINS, capabilities: caps(CAPABILITY.EXPORT_WRAPPED), algorithm: ALGORITHM.AES256_CCM_WRAP },
      caps(CAPABILITY.EXPORTABLE_UNDER_WRAP),
    );
    const locked = await admin.generateAsymmetricKey({
      id: 0,
      label: 'locked',
      domains: 1,
      capabilities: caps(CAPABILITY.SIGN_ECDSA),
      algorithm: ALGORITHM.EC_P256,
    });
    await expectCode(admin.exportWrapped(wrapId, OBJECT.ASYMMETRIC_KEY, locked), 'INSUFFICIENT_PERMISSIONS');
    const wide = await admin.generateAsymmetricKey({
      id: 0,
      label: 'wide',
      domains: 1,
      capabilities: caps(CAPABILITY.SIGN_ECDSA, CAPABILITY.EXPORTABLE_UNDER_WRAP),
      algorithm: ALGORITHM.EC_P256,
    });
    await expectCode(admin.exportWrapped(wrapId, OBJECT.ASYMMETRIC_KEY, wide), 'INSUFFICIENT_PERMISSIONS');
  });

  it('imports the auth key wrapped by Yubico’s yubihsm-wrap, which then opens a session', async () => {
    const v = vectors.wrapped_object;
    const wrapId = await admin.putWrapKey(
      { id: 0x30, label: 'yubihsm-wrap', domains: ALL_DOMAINS, capabilities: caps(CAPABILITY.IMPORT_WRAPPED), algorithm: ALGORITHM.AES128_CCM_WRAP },
      ALL_CAPABILITIES,
      hexToBytes(v.wrap_key),
    );
    const imported = await admin.importWrapped(wrapId, new Uint8Array(Buffer.from(v.blob_base64, 'base64')));
    expect(imported).toEqual({ type: OBJECT.AUTHENTICATION_KEY, id: 2 });
    const info = await admin.getObjectInfo(2, OBJECT.AUTHENTICATION_KEY);
    expect(info).toMatchObject({ label: 'ops-key', domains: domainSet(1, 2), size: 40 });
    const s = await h.client.openSession(2, v.object.password);
    expect((await s.getLogEntries()).entries.length).toBeGreaterThan(0);
    await s.close();
  });

  it('generates keys and signs with ECDSA, PKCS#1, PSS and EdDSA', async () => {
    const all = caps(CAPABILITY.SIGN_ECDSA, CAPABILITY.SIGN_PKCS, CAPABILITY.SIGN_PSS, CAPABILITY.SIGN_EDDSA);
    const msg = Buffer.from('ceremony transcript');
    for (const [algorithm, crv, hash] of [
      [ALGORITHM.EC_P256, 'P-256', 'sha256'],
      [ALGORITHM.EC_P384, 'P-384', 'sha384'],
      [ALGORITHM.EC_P521, 'P-521', 'sha512'],
    ] as const) {
      const id = await admin.generateAsymmetricKey({ id: 0, label: crv, domains: 1, capabilities: all, algorithm });
      const pub = await admin.getPublicKey(id);
      expect(pub.algorithm).toBe(algorithm);
      const sig = await admin.signEcdsa(id, createHash(hash).update(msg).digest());
      expect(verify(hash, msg, ecPublicKey(crv, pub.key), sig)).toBe(true);
    }
    const ed = await admin.generateAsymmetricKey({ id: 0, label: 'ed', domains: 1, capabilities: all, algorithm: ALGORITHM.EC_ED25519 });
    const edPub = createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from((await admin.getPublicKey(ed)).key).toString('base64url') },
      format: 'jwk',
    });
    expect(verify(null, msg, edPub, await admin.signEddsa(ed, msg))).toBe(true);
    const rsa = await admin.generateAsymmetricKey({ id: 0, label: 'rsa', domains: 1, capabilities: all, algorithm: ALGORITHM.RSA_2048 });
    const n = (await admin.getPublicKey(rsa)).key;
    expect(n.length).toBe(256);
    const rsaPub = createPublicKey({ key: { kty: 'RSA', n: Buffer.from(n).toString('base64url'), e: 'AQAB' }, format: 'jwk' });
    const digest = createHash('sha256').update(msg).digest();
    expect(verify('sha256', msg, rsaPub, await admin.signPkcs1(rsa, digest))).toBe(true);
    const pss = await admin.signPss(rsa, digest, ALGORITHM.RSA_MGF1_SHA256, 32);
    expect(verify('sha256', msg, { key: rsaPub, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, pss)).toBe(true);
    await expectCode(admin.signEddsa(rsa, msg), 'INVALID_DATA');
    const noSign = await admin.generateAsymmetricKey({ id: 0, label: 'nosign', domains: 1, capabilities: 0n, algorithm: ALGORITHM.EC_P256 });
    await expectCode(admin.signEcdsa(noSign, digest), 'INSUFFICIENT_PERMISSIONS');
  });

  it('logs audited commands in a digest chain that verifies from an anchor', async () => {
    await admin.setCommandAudit(
      new Map([
        [COMMAND.ECHO, AUDIT.ON],
        [COMMAND.PUT_AUTHENTICATION_KEY, AUDIT.ON],
        [COMMAND.CREATE_SESSION, AUDIT.ON],
        [COMMAND.AUTHENTICATE_SESSION, AUDIT.ON],
      ]),
    );
    const first = await admin.getVerifiedLogEntries();
    expect(first.entries.slice(0, 2).map((e) => e.command)).toEqual([0xff, 0x00]);
    const anchor = first.lastVerified;
    await admin.echo(Uint8Array.of(1));
    await admin.putAuthenticationKey({ id: 8, label: 'a', domains: 1, capabilities: 0n, delegatedCapabilities: 0n }, 'p');
    const s = await h.client.openSession(8, 'p');
    await s.close();
    const second = await admin.getVerifiedLogEntries(anchor);
    expect(second.newEntries.map((e) => e.command)).toEqual([
      COMMAND.ECHO,
      COMMAND.PUT_AUTHENTICATION_KEY,
      COMMAND.CREATE_SESSION,
      COMMAND.AUTHENTICATE_SESSION,
    ]);
    expect(second.newEntries[1]).toMatchObject({ sessionKey: 1, targetKey: 8, result: COMMAND.PUT_AUTHENTICATION_KEY | 0x80, length: 93 });
    expect(second.newEntries[2]).toMatchObject({ sessionKey: 0xffff, targetKey: 8, length: 10 });
    const forged = { ...anchor, digest: new Uint8Array(16) };
    await expectCode(admin.getVerifiedLogEntries(forged), 'LOG_CHAIN_BROKEN');
  });

  it('refuses audited commands with LOG_FULL under force audit until SET_LOG_INDEX frees the log', async () => {
    await admin.setCommandAudit(new Map([[COMMAND.ECHO, AUDIT.ON]]));
    const start = await admin.getLogEntries();
    await admin.setLogIndex(start.entries[start.entries.length - 1].number);
    await admin.setForceAudit(AUDIT.ON);
    expect(await admin.getForceAudit()).toBe(AUDIT.ON);
    let error = '';
    for (let i = 0; i < 70 && !error; i++) {
      try {
        await admin.echo(Uint8Array.of(i));
      } catch (e) {
        error = (e as YubiHsmError).code;
      }
    }
    expect(error).toBe('LOG_FULL');
    const info = await h.client.deviceInfo();
    expect(info.logUsed).toBe(info.logTotal);
    // Sessions can still be created; the device counts what it could not log.
    await admin.setCommandAudit(new Map([[COMMAND.AUTHENTICATE_SESSION, AUDIT.ON]])).catch(() => undefined);
    const log = await admin.getVerifiedLogEntries();
    await admin.setLogIndex(log.lastVerified.number);
    expect(Array.from(await admin.echo(Uint8Array.of(7)))).toEqual([7]);
    await admin.setForceAudit(AUDIT.OFF);
  });

  it('RESET_DEVICE returns the device to the factory state', async () => {
    await admin.putAuthenticationKey({ id: 2, label: 'gone', domains: 1, capabilities: 0n, delegatedCapabilities: 0n }, 'p');
    await admin.generateWrapKey({ id: 3, label: 'gone', domains: 1, capabilities: 0n, algorithm: ALGORITHM.AES128_CCM_WRAP }, 0n);
    const other = await h.client.openSession(1, 'password', { reopenOnExpiry: false });
    await admin.resetDevice();
    expect(admin.isOpen).toBe(false);
    await expectCode(other.echo(Uint8Array.of(1)), 'INVALID_SESSION');
    const fresh = await h.client.openSession(1, 'password');
    expect(await fresh.listObjects()).toEqual([{ id: 1, type: OBJECT.AUTHENTICATION_KEY, sequence: 0 }]);
    const log = await fresh.getLogEntries();
    expect(log.entries.map((e) => [e.number, e.command, e.systick])).toEqual([
      [1, 0xff, 0xffffffff],
      [2, 0, 0],
    ]);
    await fresh.close();
  });

  it('refuses reset without the reset-device capability', async () => {
    await admin.putAuthenticationKey({ id: 2, label: 'weak', domains: 1, capabilities: 0n, delegatedCapabilities: 0n }, 'p');
    const weak = await h.client.openSession(2, 'p');
    await expectCode(weak.resetDevice(), 'INSUFFICIENT_PERMISSIONS');
    await weak.close();
  });
});
