import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALGORITHM, CAPABILITY, OBJECT, capabilitySet, decodeWrappedPlaintext, openWrapped, passwordToKeys, verifyLogChain } from '../../../native/yubihsm';
import { combineShareTexts } from '../../../main/shares';
import { ROLES, capabilityMask } from '../../../main/ceremony/actions/yubihsm';
import { REHEARSAL_PASSWORDS } from '../../fixtures/templates/answers';
import { AUTH, createCeremony, drive, filesContaining, journalOf, objectsSeenBy, opens, resultOf, runSetup, useContextAndDevice } from './helpers';

// yubihsm-setup through the real engine and device host, against a fresh simulated YubiHSM per test (served over the
// connector protocol); every claim is checked with a YubiHSM client of the test's own, not through Custodian.

describe('yubihsm-setup', () => {
  const world = useContextAndDevice('yubihsm-setup');

  it('sets a factory YubiHSM up: role keys, wrapped backups, the factory key gone, the audit log anchored', async () => {
    const { context, dataDir, device } = world;
    const done = await runSetup(context, dataDir, { device: device.url, custodians: 3, threshold: 2 });
    expect(done.view.current?.failure ?? null).toBeNull();
    expect(done.view.status).toBe('completed');
    const { client } = device;

    // the factory key no longer opens a session; each new key does, with its holder's password
    expect(await opens(client, 1, 'password')).toBe('OBJECT_NOT_FOUND');
    expect(await opens(client, 2, REHEARSAL_PASSWORDS.admin)).toBe('ok');
    expect(await opens(client, 3, REHEARSAL_PASSWORDS.operator)).toBe('ok');
    expect(await opens(client, 4, REHEARSAL_PASSWORDS.auditor)).toBe('ok');
    expect(await opens(client, 3, REHEARSAL_PASSWORDS.admin)).toBe('AUTHENTICATION_FAILED');

    // least privilege as the design states it, in domain 1
    const objects = await objectsSeenBy(client, 2, REHEARSAL_PASSWORDS.admin);
    const byId = (id: number, type: OBJECT) => objects.find((o) => o.id === id && o.type === type)!;
    expect(objects.map((o) => `${o.type}:${o.id}`).sort()).toEqual([`${AUTH}:2`, `${AUTH}:3`, `${AUTH}:4`, `${OBJECT.WRAP_KEY}:100`]);
    for (const [id, role] of [
      [2, 'admin'],
      [3, 'operator'],
      [4, 'auditor'],
    ] as const) {
      expect(byId(id, AUTH).capabilities).toBe(capabilityMask(...ROLES[role].capabilities));
      expect(byId(id, AUTH).delegatedCapabilities).toBe(capabilityMask(...ROLES[role].delegated));
      expect(byId(id, AUTH).domains).toBe(1);
    }
    expect(byId(2, AUTH).capabilities & capabilitySet(CAPABILITY.SIGN_ECDSA, CAPABILITY.RESET_DEVICE, CAPABILITY.PUT_WRAP_KEY)).toBe(0n);
    const wrap = byId(100, OBJECT.WRAP_KEY);
    expect(wrap.algorithm).toBe(ALGORITHM.AES256_CCM_WRAP);
    expect(wrap.capabilities).toBe(capabilitySet(CAPABILITY.EXPORT_WRAPPED, CAPABILITY.IMPORT_WRAPPED));

    // the backups: files whose hashes the journal holds, that the wrap key rebuilt from two shares opens, each
    // holding the key made from its holder's password
    const exported = resultOf(done.view, 'export-backups') as { files: Array<{ file: string; sha256: string; objectId: number }> };
    expect(exported.files.map((f) => f.objectId)).toEqual([2, 3, 4]);
    const shareSet = (resultOf(done.view, 'split') as { shareSet: { checkValue: { method: string; value: string } } }).shareSet;
    const kek = await combineShareTexts([done.revealed['reveal-1'], done.revealed['reveal-3']], { checkValue: shareSet.checkValue as never });
    for (const f of exported.files) {
      const blob = readFileSync(join(done.ceremony.dir, 'outputs', f.file));
      expect(createHash('sha256').update(blob).digest('hex')).toBe(f.sha256);
      const plain = decodeWrappedPlaintext(openWrapped(kek, new Uint8Array(blob))!);
      expect(plain).toMatchObject({ id: f.objectId, type: AUTH });
      const password = f.objectId === 2 ? REHEARSAL_PASSWORDS.admin : f.objectId === 3 ? REHEARSAL_PASSWORDS.operator : REHEARSAL_PASSWORDS.auditor;
      expect(Buffer.from(plain.body.subarray(8, 24)).equals(Buffer.from(passwordToKeys(password).encKey))).toBe(true);
    }
    kek.fill(0);

    // the anchor is a real entry of the device's log, and the chain continues from it
    const anchor = resultOf(done.view, 'verify-audit-log') as { newAnchorNumber: number; newAnchorDigest: string; newAnchor: string };
    expect(anchor.newAnchor).toBe(`${anchor.newAnchorNumber}:${anchor.newAnchorDigest}`);
    const s = await client.openSession(4, REHEARSAL_PASSWORDS.auditor, { keepAliveMs: 0 });
    const log = await s.getLogEntries();
    await s.close();
    const next = log.entries[0];
    expect(next.number).toBe(anchor.newAnchorNumber + 1); // entries up to the anchor were marked read
    expect(() =>
      verifyLogChain(log.entries, { ...next, number: anchor.newAnchorNumber, digest: new Uint8Array(Buffer.from(anchor.newAnchorDigest, 'hex')) }),
    ).not.toThrow();
    expect(resultOf(done.view, 'enable-audit')).toMatchObject({ forceAudit: 'off', notAudited: ['ECHO', 'SESSION_MESSAGE', 'DEVICE_INFO'] });
    expect(resultOf(done.view, 'prove-factory-key-gone')).toMatchObject({ keyId: 1, opensSession: false, deviceSaid: 'OBJECT_NOT_FOUND' });

    // no password and no share anywhere on disk but the rehearsal share cards
    const secrets = [...Object.values(REHEARSAL_PASSWORDS), ...Object.values(done.revealed).map((v) => v.replace(/\s+/g, ''))];
    const leaks = filesContaining(done.ceremony.dir, secrets).filter((h) => !/share-card-.*\.pdf$/.test(h.file));
    expect(leaks).toEqual([]);
  }, 120_000);

  it('refuses a device that is not in its factory state until the administrator confirms, and changes nothing before', async () => {
    const { context, dataDir, device } = world;
    const s = await device.client.openSession(1, 'password', { keepAliveMs: 0 });
    await s.putAuthenticationKey({ id: 9, label: 'left over', domains: 1, capabilities: 0n, delegatedCapabilities: 0n }, 'some old password');
    await s.close();
    const { ceremony, answers } = await createCeremony(context, dataDir, 'yubihsm-setup', { device: device.url, custodians: 2, threshold: 2 });
    let r = await drive(ceremony, answers);
    expect(r.view.current?.id).toBe('inspect-device');
    expect(r.view.current?.failure?.code).toBe('NotFactoryState');
    expect(r.view.current?.failure?.message).toMatch(/authentication-key 9 "left over"/);
    expect(await device.server.simulator.serial).toBeGreaterThan(0);
    expect((await objectsSeenBy(device.client, 1, 'password')).length).toBe(2);

    await ceremony.abort('the device is not new');
    const again = await createCeremony(context, dataDir, 'yubihsm-setup', { device: device.url, custodians: 2, threshold: 2, allowNonFactory: true });
    r = await drive(again.ceremony, again.answers, { stopBefore: 'make-wrap-key' });
    expect(r.view.current?.failure ?? null).toBeNull();
    expect(r.view.current?.id).toBe('make-wrap-key');
    expect(resultOf(r.view, 'inspect-device')).toMatchObject({ factoryState: false, goingOnDespiteNonFactoryState: true });
    await again.ceremony.abort('test over');
  }, 60_000);

  it('refuses a new password whose two entries differ, and creates nothing until they match', async () => {
    const { context, dataDir, device } = world;
    const { ceremony, answers } = await createCeremony(context, dataDir, 'yubihsm-setup', { device: device.url, custodians: 2, threshold: 2 });
    const wrong = { password: 'correct horse battery', passwordAgain: 'correct horse batterz' };
    let r = await drive(ceremony, answers, { inputs: { 'create-admin-key': { values: wrong } } });
    expect(r.view.current?.id).toBe('create-admin-key');
    expect(r.view.current?.failure?.code).toBe('PasswordEntriesDiffer');
    expect(r.view.current?.failure?.message).not.toContain('horse');
    expect(await opens(device.client, 2, 'correct horse battery')).toBe('OBJECT_NOT_FOUND');
    await ceremony.retry('create-admin-key', 'mistyped');
    await expect(drive(ceremony, answers, { inputs: { 'create-admin-key': { values: { password: 'short', passwordAgain: 'short' } } } })).rejects.toMatchObject(
      { code: 'InputInvalid' },
    );
    r = await drive(ceremony, answers, {
      inputs: { 'create-admin-key': { values: { password: 'correct horse battery', passwordAgain: 'correct horse battery' } } },
      stopBefore: 'create-operator-key',
    });
    expect(r.view.current?.id).toBe('create-operator-key');
    expect(await opens(device.client, 2, 'correct horse battery')).toBe('ok');
    expect(journalOf(ceremony.dir)).not.toContain('horse');
    await ceremony.abort('test over');
  }, 60_000);
});
