import { createHash, createPublicKey, verify } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALGORITHM, CAPABILITY, OBJECT, capabilitySet, spkiFromPublicKey, type YubiHsmClient } from '../../../native/yubihsm';
import { capabilityMask, WRAP_KEY_DESIGN } from '../../../main/ceremony/actions/yubihsm';
import { REHEARSAL_PASSWORDS } from '../../fixtures/templates/answers';
import type { AppContext } from '../../../main/ipc/app-context';
import { AUTH, createCeremony, drive, filesContaining, freshDevice, makeContext, objectsSeenBy, opens, resultOf, setUpDirectly, typedBack } from './helpers';

// yubihsm-setup on one simulated YubiHSM, then yubihsm-restore on a second one in its factory state, through the real
// engine and device host over the connector protocol; every claim is checked with the test's own client. Then the
// same recovery from shares in Yubico's yubihsm-setup format (test/fixtures/yubihsm/yubico-shares.json).

const vectors = (await import('../../fixtures/yubihsm/yubico-shares.json', { with: { type: 'json' } })).default as {
  record: { keyHex: string };
  setup: { shares: string[] };
};

const EC_KEY_ID = 0x0200;

/** A public key as SPKI, and a fresh ECDSA signature by the key on `client`, verified with it. */
async function signsOn(client: YubiHsmClient, keyId: number, password: string, spki: Uint8Array): Promise<boolean> {
  const s = await client.openSession(keyId === EC_KEY_ID ? 3 : 1, password, { keepAliveMs: 0 });
  try {
    const message = Buffer.from('restored key, fresh message');
    const sig = await s.signEcdsa(EC_KEY_ID, new Uint8Array(createHash('sha256').update(message).digest()));
    const key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
    return verify('sha256', message, key, sig) || verify('sha256', message, { key, dsaEncoding: 'ieee-p1363' }, sig);
  } finally {
    await s.close();
  }
}

/** The operator (auth key 3) makes an exportable ECDSA signing key EC_KEY_ID; its session is left open for the caller. */
async function operatorSigningKey(client: YubiHsmClient, label: string, algorithm: number) {
  const op = await client.openSession(3, REHEARSAL_PASSWORDS.operator, { keepAliveMs: 0 });
  await op.generateAsymmetricKey({
    id: EC_KEY_ID,
    label,
    domains: 1,
    capabilities: capabilitySet(CAPABILITY.SIGN_ECDSA, CAPABILITY.EXPORTABLE_UNDER_WRAP),
    algorithm,
  });
  return { op, original: await op.getPublicKey(EC_KEY_ID) };
}

function mistype(grouped: string, group: number): string {
  const parts = grouped.split(' ');
  const g = parts[group];
  parts[group] = (g[0] === 'q' ? 'p' : 'q') + g.slice(1);
  return parts.join(' ');
}

describe('yubihsm-restore', () => {
  let context: AppContext;
  let dataDir: string;

  beforeAll(async () => {
    ({ context, dataDir } = await makeContext('yubihsm-restore'));
  });
  afterAll(async () => {
    await context.close();
  });

  it('restores every object of a yubihsm-setup into a second, factory-state YubiHSM, each proven; a mistyped share is refused, then accepted', async () => {
    const a = await freshDevice();
    const b = await freshDevice();
    try {
      // the setup, with an operator's signing key made before the backups are exported
      const setup = await createCeremony(context, dataDir, 'yubihsm-setup', { device: a.url, custodians: 3, threshold: 2 });
      const ids = setup.ceremony.view().steps.map((s) => s.id);
      let r = await drive(setup.ceremony, setup.answers, { stopBefore: 'export-backups' });
      expect(r.view.current?.failure ?? null).toBeNull();
      const { op, original } = await operatorSigningKey(a.client, 'restored signing key', ALGORITHM.EC_P256);
      await op.close();
      const spki = spkiFromPublicKey(original.algorithm, original.key);
      r = await drive(setup.ceremony, setup.answers, { stopBefore: 'rehearsal-intro' }, r.revealed);
      const done = await drive(setup.ceremony, setup.answers, { inputs: typedBack(ids, r.revealed) }, r.revealed);
      expect(done.view.status).toBe('completed');
      const before = await objectsSeenBy(a.client, 2, REHEARSAL_PASSWORDS.admin);

      // bad input first: a backup altered after the setup, a ceremony prepared for another threshold — refused before
      // any share is typed, the device untouched
      const altered = mkdtempSync(join(tmpdir(), 'altered-backups-'));
      cpSync(join(setup.ceremony.dir, 'outputs'), altered, { recursive: true });
      const victim = readdirSync(altered).find((f) => f.endsWith('authentication-key-3.wrapped'))!;
      const bytes = readFileSync(join(altered, victim));
      bytes[20] ^= 1;
      writeFileSync(join(altered, victim), bytes);
      for (const [extra, code, message] of [
        [{ backups: altered }, 'BackupTampered', new RegExp(`${victim} is not the backup the setup wrote`)],
        [{ backups: join(setup.ceremony.dir, 'outputs'), threshold: 3 }, 'ThresholdMismatch', /any 2 of 3 shares, but this ceremony was prepared for 3 of 3/],
      ] as const) {
        const bad = await createCeremony(context, dataDir, 'yubihsm-restore', {
          device: b.url,
          custodians: 3,
          threshold: 2,
          setupJournal: join(setup.ceremony.dir, 'journal.jsonl'),
          ...extra,
        });
        const failed = await drive(bad.ceremony, bad.answers);
        expect(failed.view.current?.id).toBe('read-backups');
        expect(failed.view.current?.failure?.code).toBe(code);
        expect(failed.view.current?.failure?.message).toMatch(message);
        await bad.ceremony.abort('test: refused as it should be');
      }
      expect((await objectsSeenBy(b.client, 1, 'password')).length).toBe(1);

      // the recovery, on the second device
      const restore = await createCeremony(context, dataDir, 'yubihsm-restore', {
        device: b.url,
        custodians: 3,
        threshold: 2,
        backups: join(setup.ceremony.dir, 'outputs'),
        setupJournal: join(setup.ceremony.dir, 'journal.jsonl'),
      });
      const [share1, share3] = [r.revealed['reveal-1'], r.revealed['reveal-3']];
      let x = await drive(restore.ceremony, restore.answers, {
        inputs: { 'enter-share-1': { values: { share: mistype(share1, 6) } }, 'enter-share-2': { values: { share: share3 } } },
      });
      expect(x.view.current?.id).toBe('enter-share-1');
      expect(x.view.current?.rejection?.count).toBe(1);
      expect(JSON.stringify(x.view.current)).toMatch(/typo.*Group/);
      expect((await objectsSeenBy(b.client, 1, 'password')).length).toBe(1); // nothing on the device yet but key 1
      x = await drive(restore.ceremony, restore.answers, {
        inputs: { 'enter-share-1': { values: { share: share1 } }, 'enter-share-2': { values: { share: share3 } } },
      });
      expect(x.view.current?.failure ?? null).toBeNull();
      expect(x.view.status).toBe('completed');

      // the device itself: every object as it was, the factory key gone, each auth key opens with its password
      expect(await opens(b.client, 1, 'password')).toBe('OBJECT_NOT_FOUND');
      for (const [id, pw] of [
        [2, REHEARSAL_PASSWORDS.admin],
        [3, REHEARSAL_PASSWORDS.operator],
        [4, REHEARSAL_PASSWORDS.auditor],
      ] as const)
        expect(await opens(b.client, id, pw)).toBe('ok');
      const after = await objectsSeenBy(b.client, 2, REHEARSAL_PASSWORDS.admin);
      const facts = (os: typeof before) =>
        os.map((o) => `${o.type}:${o.id}:${o.label}:${o.capabilities}:${o.delegatedCapabilities}:${o.domains}:${o.algorithm}`).sort();
      expect(facts(after)).toEqual(facts(before));
      expect(after.find((o) => o.type === OBJECT.WRAP_KEY)!.delegatedCapabilities).toBe(capabilityMask(...WRAP_KEY_DESIGN.delegated));
      const restoredKey = await b.client.openSession(3, REHEARSAL_PASSWORDS.operator, { keepAliveMs: 0 });
      const pub = await restoredKey.getPublicKey(EC_KEY_ID);
      await restoredKey.close();
      expect(Buffer.from(pub.key).equals(Buffer.from(original.key))).toBe(true);
      expect(await signsOn(b.client, EC_KEY_ID, REHEARSAL_PASSWORDS.operator, spki)).toBe(true);

      const imported = resultOf(x.view, 'import-backups') as {
        restored: Array<{ id: number; type: string; publicKeyFingerprint?: string; fingerprintRecordedAtSetup?: string; signature?: string }>;
      };
      expect(imported.restored.map((o) => `${o.type}:${o.id}`).sort()).toEqual([
        'asymmetric-key:512',
        'authentication-key:2',
        'authentication-key:3',
        'authentication-key:4',
      ]);
      const ec = imported.restored.find((o) => o.id === EC_KEY_ID)!;
      expect(ec).toMatchObject({ fingerprintRecordedAtSetup: 'matches', fingerprintFromBackup: 'matches', signature: 'ECDSA signature verified' });
      expect(ec.publicKeyFingerprint).toBe(createHash('sha256').update(spki).digest('hex'));
      expect(resultOf(x.view, 'prove-factory-key-gone')).toMatchObject({ deviceSaid: 'OBJECT_NOT_FOUND' });
      expect(resultOf(x.view, 'verify-audit-log')).toMatchObject({ markedRead: true });

      const secrets = [...Object.values(REHEARSAL_PASSWORDS), share1.replace(/\s+/g, ''), share3.replace(/\s+/g, '')];
      expect(filesContaining(restore.ceremony.dir, secrets)).toEqual([]);
    } finally {
      await a.close();
      await b.close();
    }
  }, 240_000);

  it('restores from shares in Yubico’s yubihsm-setup format and .yhw backups; a mistyped share is refused', async () => {
    const a = await freshDevice();
    const b = await freshDevice();
    try {
      // a device as Yubico's yubihsm-setup leaves it: the wrap key of the vector, auth keys, .yhw backups
      const factory = await a.client.openSession(1, 'password', { keepAliveMs: 0 });
      const key = new Uint8Array(Buffer.from(vectors.record.keyHex, 'hex'));
      await factory.putWrapKey(
        { id: 100, label: 'Wrap key', domains: 1, capabilities: capabilityMask('export-wrapped', 'import-wrapped'), algorithm: ALGORITHM.AES256_CCM_WRAP },
        capabilityMask(...WRAP_KEY_DESIGN.delegated),
        key,
      );
      await factory.close();
      await setUpDirectly(a.client, REHEARSAL_PASSWORDS);
      const folder = mkdtempSync(join(tmpdir(), 'yhw-'));
      const admin = await a.client.openSession(2, REHEARSAL_PASSWORDS.admin, { keepAliveMs: 0 });
      for (const id of [2, 3, 4]) {
        const blob = await admin.exportWrapped(100, OBJECT.AUTHENTICATION_KEY, id);
        writeFileSync(join(folder, `0x${id.toString(16).padStart(4, '0')}-authentication-key.yhw`), Buffer.from(blob).toString('base64'));
      }
      await admin.close();
      const { op, original } = await operatorSigningKey(a.client, 'yubico-made signing key', ALGORITHM.EC_P384);
      writeFileSync(join(folder, '0x0200-asymmetric-key.yhw'), Buffer.from(await op.exportWrapped(100, OBJECT.ASYMMETRIC_KEY, EC_KEY_ID)).toString('base64'));
      await op.close();

      const params = { device: b.url, shareFormat: 'yubico', custodians: 3, threshold: 2, backups: folder };
      const [s1, , s3] = vectors.setup.shares;
      const substituted = s1.slice(0, 30) + (s1[30] === 'A' ? 'B' : 'A') + s1.slice(31);
      let restore = await createCeremony(context, dataDir, 'yubihsm-restore', params);
      // a typo the form shows (the last character cannot end a share) is an expected moment, typed again
      let x = await drive(restore.ceremony, restore.answers, { inputs: { 'enter-share-1': { values: { share: s1.slice(0, -1) + 'B' } } } });
      expect(x.view.current?.id).toBe('enter-share-1');
      expect(x.view.current?.rejection?.count).toBe(1);
      // a substitution the form cannot show: the rebuilt key does not open the backups, nothing reaches the device
      x = await drive(restore.ceremony, restore.answers, {
        inputs: { 'enter-share-1': { values: { share: substituted } }, 'enter-share-2': { values: { share: s3 } } },
      });
      expect(x.view.current?.id).toBe('rebuild-wrap-key');
      expect(x.view.current?.failure?.code).toBe('CheckValueMismatch');
      expect(x.view.current?.failure?.message).toMatch(/Shares 1, 3 together do not rebuild the wrap key.*does not open 0x0002-authentication-key\.yhw/);
      expect((await objectsSeenBy(b.client, 1, 'password')).length).toBe(1);
      await restore.ceremony.abort('a share was mistyped');

      restore = await createCeremony(context, dataDir, 'yubihsm-restore', params);
      x = await drive(restore.ceremony, restore.answers, {
        inputs: { 'enter-share-1': { values: { share: s3 } }, 'enter-share-2': { values: { share: s1 } } },
      });
      expect(x.view.current?.failure ?? null).toBeNull();
      expect(x.view.status).toBe('completed');
      expect(resultOf(x.view, 'rebuild-wrap-key')).toMatchObject({ format: 'yubihsm-setup', wrapKeyId: 100, opensEveryBackup: true, backupsOpened: 4 });
      // the signing key: no fingerprint was recorded by Yubico's tool; the one its backup's private key gives matches
      const spki = spkiFromPublicKey(original.algorithm, original.key);
      const ec = (resultOf(x.view, 'import-backups') as { restored: Array<Record<string, unknown>> }).restored.find((o) => o.id === EC_KEY_ID)!;
      expect(ec).toMatchObject({
        fingerprintRecordedAtSetup: 'none recorded',
        fingerprintFromBackup: 'matches',
        signature: 'ECDSA signature verified',
        publicKeyFingerprint: createHash('sha256').update(spki).digest('hex'),
      });
      expect(await signsOn(b.client, EC_KEY_ID, REHEARSAL_PASSWORDS.operator, spki)).toBe(true);
      expect(await opens(b.client, 1, 'password')).toBe('OBJECT_NOT_FOUND');
      expect(await opens(b.client, 3, REHEARSAL_PASSWORDS.operator)).toBe('ok');
      const objects = await objectsSeenBy(b.client, 2, REHEARSAL_PASSWORDS.admin);
      expect(objects.map((o) => `${o.type}:${o.id}`).sort()).toEqual([
        `${AUTH}:2`,
        `${AUTH}:3`,
        `${AUTH}:4`,
        `${OBJECT.ASYMMETRIC_KEY}:${EC_KEY_ID}`,
        `${OBJECT.WRAP_KEY}:100`,
      ]);
      expect(filesContaining(restore.ceremony.dir, [s1.slice(4), s3.slice(4), ...Object.values(REHEARSAL_PASSWORDS)])).toEqual([]);
    } finally {
      await a.close();
      await b.close();
    }
  }, 240_000);
});
