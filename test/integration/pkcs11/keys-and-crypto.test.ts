import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSoftHsm, type SoftHsm } from '../../fixtures/softhsm';
import { createPkcs11Handlers, type ExportedPublicKey, type GeneratedKey, type ObjectSummary, type PolicyCheck } from '../../../native/pkcs11';
import { caller, opensslVerifies, rejection, run } from './tools';

/** PINs cross to the device host as bytes */
const pinBytes = (pin: string) => new TextEncoder().encode(pin);

let hsm: SoftHsm;
let s: string;
const { call } = caller(createPkcs11Handlers({ finalizeOnExit: false }));
const PIN = '123456';

beforeAll(async () => {
  hsm = await makeSoftHsm({ setProcessEnv: true });
  await hsm.initToken('keys', '87654321', PIN);
  s = (await call<{ sessionKey: string }>('pkcs11.openSession', { module: hsm.module, token: { label: 'keys' } })).sessionKey;
  await call('pkcs11.login', { sessionKey: s, user: 'USER', pin: pinBytes(PIN) });
});
afterAll(async () => {
  await call('pkcs11.shutdown', {});
  await hsm.cleanup();
});

const generate = (algorithm: string, policy: string, label: string) => call<GeneratedKey>('pkcs11.generateKey', { sessionKey: s, algorithm, policy, label });

describe('key generation from named policies', () => {
  const cases: Array<[string, string]> = [
    ['RSA-2048', 'signing'],
    ['RSA-3072', 'backupable'],
    ['EC-P256', 'signing'],
    ['EC-P384', 'backupable'],
    ['EC-P521', 'signing'],
    ['Ed25519', 'signing'],
    ['AES-128', 'signing'],
    ['AES-256', 'backupable'],
  ];
  for (const [algorithm, policy] of cases) {
    it(`generates ${algorithm} under '${policy}' and reads it back`, async () => {
      const key = await generate(algorithm, policy, `${algorithm}-${policy}`);
      const a = key.privateKey.attributes;
      expect(a).toMatchObject({ CKA_TOKEN: true, CKA_PRIVATE: true, CKA_SENSITIVE: true, CKA_LOCAL: true, CKA_ALWAYS_SENSITIVE: true });
      if (policy === 'signing') expect(a).toMatchObject({ CKA_EXTRACTABLE: false, CKA_NEVER_EXTRACTABLE: true });
      else expect(a).toMatchObject({ CKA_EXTRACTABLE: true, CKA_WRAP_WITH_TRUSTED: true });
      if (!algorithm.startsWith('AES')) {
        expect(key.publicKey!.sha256).toMatch(/^[0-9a-f]{64}$/);
        expect(key.publicKey!.spkiPem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
      }
    });
  }

  it('generates RSA-4096 (asynchronously) and exports a 4096-bit public key', async () => {
    const key = await generate('RSA-4096', 'signing', 'rsa-4096');
    expect(key.publicKey!.bits).toBe(4096);
  });

  it('refuses a label that already exists, before generating', async () => {
    const before = await call<ObjectSummary[]>('pkcs11.findObjects', { sessionKey: s, label: 'EC-P256-signing' });
    const e = await rejection(generate('EC-P256', 'signing', 'EC-P256-signing'));
    expect(e.code).toBe('LabelExists');
    const after = await call<ObjectSummary[]>('pkcs11.findObjects', { sessionKey: s, label: 'EC-P256-signing' });
    expect(after.length).toBe(before.length);
  });

  it('refuses an unknown policy or algorithm', async () => {
    expect((await rejection(generate('EC-P256', 'yolo', 'x1'))).code).toBe('InvalidParams');
    expect((await rejection(generate('DSA-1024', 'signing', 'x2'))).code).toBe('InvalidParams');
  });

  it('finds objects by class, label and id, and reads typed attributes', async () => {
    const [priv] = await call<ObjectSummary[]>('pkcs11.findObjects', { sessionKey: s, label: 'EC-P256-signing', class: 'privateKey' });
    expect(priv.class).toBe('privateKey');
    expect(priv.keyType).toBe('CKK_EC');
    const byId = await call<ObjectSummary[]>('pkcs11.findObjects', { sessionKey: s, id: priv.id });
    expect(byId.map((o) => o.class).sort()).toEqual(['privateKey', 'publicKey']);
    const read = await call<ObjectSummary>('pkcs11.readAttributes', { sessionKey: s, key: { id: priv.id, class: 'publicKey' } });
    expect(read.attributes.CKA_VERIFY).toBe(true);
    expect((await rejection(call('pkcs11.readAttributes', { sessionKey: s, key: { id: priv.id } }))).code).toBe('ObjectAmbiguous');
  });

  it('detects a key that breaks its policy, destroys it and reports the differences', async () => {
    await call('pkcs11.importSecretKey', { sessionKey: s, label: 'loose', value: randomBytes(32), usage: ['encrypt', 'decrypt'] });
    const check = await call<PolicyCheck>('pkcs11.checkKeyPolicy', { sessionKey: s, key: { label: 'loose', class: 'secretKey' }, policy: 'backupable' });
    expect(check.ok).toBe(false);
    expect(check.differences.map((d) => d.attribute)).toEqual(expect.arrayContaining(['CKA_TOKEN', 'CKA_EXTRACTABLE', 'CKA_WRAP_WITH_TRUSTED']));
    const e = await rejection(
      call('pkcs11.checkKeyPolicy', { sessionKey: s, key: { label: 'loose', class: 'secretKey' }, policy: 'backupable', destroyOnMismatch: true }),
    );
    expect(e.code).toBe('PolicyMismatch');
    expect(e.details?.destroyed).toBe(true);
    expect(await call('pkcs11.findObjects', { sessionKey: s, label: 'loose' })).toEqual([]);
  });

  it('pkcs11-tool (OpenSC) sees the generated private keys with the policy attributes', async () => {
    const r = await run(
      'pkcs11-tool',
      ['--module', hsm.module, '--token-label', 'keys', '--login', '--pin', PIN, '--list-objects', '--type', 'privkey'],
      hsm.env,
    );
    expect(r.code).toBe(0);
    const block = (label: string) => r.stdout.split(/\n(?=Private Key Object)/).find((b) => b.includes(`label:      ${label}\n`))!;
    const signing = block('EC-P256-signing');
    expect(signing).toMatch(/Access:\s+.*sensitive.*always sensitive.*never extractable.*local/);
    expect(signing).toMatch(/Usage:\s+sign\n/);
    const backupable = block('EC-P384-backupable');
    expect(backupable).toMatch(/Access:\s+.*sensitive.*always sensitive.*extractable.*local/);
    expect(backupable).not.toMatch(/never extractable/);
  });

  it('destroys an object by label', async () => {
    await generate('AES-128', 'signing', 'doomed');
    await call('pkcs11.destroyObject', { sessionKey: s, key: { label: 'doomed', class: 'secretKey' } });
    expect(await call('pkcs11.findObjects', { sessionKey: s, label: 'doomed' })).toEqual([]);
  });
});

describe('signatures, public keys and random bytes', () => {
  const signCases: Array<[string, string]> = [
    ['RSA-2048-signing', 'RSA-PKCS1-SHA256'],
    ['RSA-2048-signing', 'RSA-PKCS1-SHA384'],
    ['RSA-2048-signing', 'RSA-PKCS1-SHA512'],
    ['RSA-2048-signing', 'RSA-PSS-SHA256'],
    ['RSA-2048-signing', 'RSA-PSS-SHA384'],
    ['RSA-2048-signing', 'RSA-PSS-SHA512'],
    ['EC-P256-signing', 'ECDSA-SHA256'],
    ['EC-P384-backupable', 'ECDSA-SHA384'],
    ['EC-P521-signing', 'ECDSA-SHA512'],
    ['Ed25519-signing', 'EdDSA'],
  ];
  for (const [label, algorithm] of signCases) {
    it(`${algorithm}: signs in the token; the token and openssl verify; a changed message fails`, async () => {
      const data = randomBytes(100);
      const signature = await call<Uint8Array>('pkcs11.sign', { sessionKey: s, key: { label }, algorithm, data });
      expect(await call('pkcs11.verify', { sessionKey: s, key: { label }, algorithm, data, signature })).toBe(true);
      const pub = await call<ExportedPublicKey>('pkcs11.exportPublicKey', { sessionKey: s, key: { label } });
      expect(await opensslVerifies({ pem: pub.spkiPem, data, signature, algorithm })).toBe(true);
      const other = Buffer.from(data);
      other[0] ^= 1;
      expect(await call('pkcs11.verify', { sessionKey: s, key: { label }, algorithm, data: other, signature })).toBe(false);
      expect(await opensslVerifies({ pem: pub.spkiPem, data: other, signature, algorithm })).toBe(false);
    });
  }

  it('refuses a signature algorithm that does not fit the key', async () => {
    const e = await rejection(call('pkcs11.sign', { sessionKey: s, key: { label: 'EC-P256-signing' }, algorithm: 'RSA-PSS-SHA256', data: new Uint8Array(1) }));
    expect(e.code).toBe('KeyTypeInconsistent');
  });

  it('signs a batch of messages in one call', async () => {
    const messages = Array.from({ length: 50 }, () => randomBytes(32));
    const sigs = await call<Uint8Array[]>('pkcs11.signBatch', { sessionKey: s, key: { label: 'EC-P256-signing' }, algorithm: 'ECDSA-SHA256', messages });
    const pub = await call<ExportedPublicKey>('pkcs11.exportPublicKey', { sessionKey: s, key: { label: 'EC-P256-signing' } });
    expect(sigs.length).toBe(50);
    expect(await opensslVerifies({ pem: pub.spkiPem, data: messages[49], signature: sigs[49], algorithm: 'ECDSA-SHA256' })).toBe(true);
  });

  it('exports the SPKI whose fingerprint openssl computes the same way', async () => {
    const pub = await call<ExportedPublicKey>('pkcs11.exportPublicKey', { sessionKey: s, key: { label: 'RSA-3072-backupable' } });
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const dir = await mkdtemp('/tmp/spki-');
    await writeFile(`${dir}/k.pem`, pub.spkiPem);
    const der = await run('sh', ['-c', `openssl pkey -pubin -in ${dir}/k.pem -outform DER | openssl dgst -sha256 -r`]);
    expect(der.stdout.split(' ')[0]).toBe(pub.sha256);
    expect(pub.bits).toBe(3072);
  });

  it('draws random bytes from the token', async () => {
    const a = await call<Uint8Array>('pkcs11.random', { sessionKey: s, length: 32 });
    const b = await call<Uint8Array>('pkcs11.random', { sessionKey: s, length: 32 });
    expect(a.length).toBe(32);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
    expect((await rejection(call('pkcs11.random', { sessionKey: s, length: 0 }))).code).toBe('InvalidParams');
  });
});
