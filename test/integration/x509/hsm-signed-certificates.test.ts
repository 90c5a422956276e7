// main/x509 first: it installs the Reflect metadata functions @peculiar/x509 needs at import time.
import { createCsr, createSelfSignedCa } from '../../../main/x509';
import * as x509 from '@peculiar/x509';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSoftHsm, type SoftHsm } from '../../fixtures/softhsm';
import { createPkcs11Handlers, type GeneratedKey } from '../../../native/pkcs11';
import { caller, run, scratch } from '../pkcs11/tools';

/** PINs cross to the device host as bytes */
const pinBytes = (pin: string) => new TextEncoder().encode(pin);

let hsm: SoftHsm;
let s: string;
let dir: string;
const { call } = caller(createPkcs11Handlers({ finalizeOnExit: false }));

beforeAll(async () => {
  hsm = await makeSoftHsm({ setProcessEnv: true });
  await hsm.initToken('ca', '87654321', '123456');
  s = (await call<{ sessionKey: string }>('pkcs11.openSession', { module: hsm.module, token: { label: 'ca' } })).sessionKey;
  await call('pkcs11.login', { sessionKey: s, user: 'USER', pin: pinBytes('123456') });
  dir = await scratch();
});
afterAll(async () => {
  await call('pkcs11.shutdown', {});
  await hsm.cleanup();
});

const signer = (label: string, algorithm: string) => (data: Uint8Array) => call<Uint8Array>('pkcs11.sign', { sessionKey: s, key: { label }, algorithm, data });

const cases: Array<[string, string, string]> = [
  ['EC-P256', 'ECDSA-SHA256', 'ecdsa-with-SHA256'],
  ['EC-P384', 'ECDSA-SHA384', 'ecdsa-with-SHA384'],
  ['RSA-2048', 'RSA-PKCS1-SHA256', 'sha256WithRSAEncryption'],
  ['RSA-3072', 'RSA-PSS-SHA384', 'rsassaPss'],
];

describe('CSR and self-signed CA signed inside the HSM', () => {
  for (const [keyAlgorithm, algorithm, opensslName] of cases) {
    it(`${keyAlgorithm} / ${algorithm}: openssl verifies the CSR and the CA certificate`, async () => {
      const label = `root-${keyAlgorithm}-${algorithm}`;
      const key = await call<GeneratedKey>('pkcs11.generateKey', { sessionKey: s, algorithm: keyAlgorithm, policy: 'signing', label });
      const spki = key.publicKey!.spkiDer;

      const csr = await createCsr({ subject: `CN=${label}, O=Custodian Test`, spki, algorithm, sign: signer(label, algorithm) });
      const csrPath = join(dir, `${label}.csr`);
      await writeFile(csrPath, csr.pem);
      const req = await run('openssl', ['req', '-in', csrPath, '-verify', '-noout', '-text']);
      expect(req.code).toBe(0);
      expect(req.stderr + req.stdout).toMatch(/verify OK|Certificate request self-signature verify OK/);
      expect(req.stdout).toContain(opensslName);

      const serialRandom = await call<Uint8Array>('pkcs11.random', { sessionKey: s, length: 16 });
      const notBefore = new Date(Date.UTC(2025, 0, 1));
      const notAfter = new Date(Date.UTC(2045, 0, 1));
      const cert = await createSelfSignedCa({
        subject: `CN=${label}, O=Custodian Test`,
        spki,
        algorithm,
        sign: signer(label, algorithm),
        serialRandom,
        notBefore,
        notAfter,
        pathLength: 1,
      });
      const certPath = join(dir, `${label}.pem`);
      await writeFile(certPath, cert.pem);
      const verified = await run('openssl', ['verify', '-CAfile', certPath, '-check_ss_sig', certPath]);
      expect(verified.stdout).toContain(': OK');

      const parsed = new x509.X509Certificate(cert.pem);
      expect(parsed.serialNumber.toLowerCase().replace(/^0+/, '')).toBe(cert.serialNumber.replace(/^0+/, ''));
      expect(parsed.notBefore.getTime()).toBe(notBefore.getTime());
      expect(parsed.notAfter.getTime()).toBe(notAfter.getTime());
      const bc = parsed.getExtension(x509.BasicConstraintsExtension)!;
      expect([bc.ca, bc.critical, bc.pathLength]).toEqual([true, true, 1]);
      const ku = parsed.getExtension(x509.KeyUsagesExtension)!;
      expect(ku.critical).toBe(true);
      expect(ku.usages).toBe(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign);
      const ski = parsed.getExtension(x509.SubjectKeyIdentifierExtension)!;
      const aki = parsed.getExtension(x509.AuthorityKeyIdentifierExtension)!;
      expect(aki.keyId).toBe(ski.keyId);
      // The certificate carries exactly the HSM key: its SPKI fingerprint is the one the ceremony printed.
      expect(Buffer.from(parsed.publicKey.rawData).equals(Buffer.from(spki))).toBe(true);
      const text = await run('openssl', ['x509', '-in', certPath, '-noout', '-text']);
      expect(text.stdout).toMatch(/X509v3 Basic Constraints: critical\s+CA:TRUE/);
      expect(text.stdout).toMatch(/X509v3 Key Usage: critical\s+Certificate Sign, CRL Sign/);
    });
  }

  it('refuses a signer whose key does not match the SPKI, for the CSR and for the certificate', async () => {
    const a = await call<GeneratedKey>('pkcs11.generateKey', { sessionKey: s, algorithm: 'EC-P256', policy: 'signing', label: 'mismatch-a' });
    await call('pkcs11.generateKey', { sessionKey: s, algorithm: 'EC-P256', policy: 'signing', label: 'mismatch-b' });
    const wrongSigner = signer('mismatch-b', 'ECDSA-SHA256');
    await expect(createCsr({ subject: 'CN=mismatch', spki: a.publicKey!.spkiDer, algorithm: 'ECDSA-SHA256', sign: wrongSigner })).rejects.toMatchObject({
      code: 'SignatureMismatch',
    });
    await expect(
      createSelfSignedCa({
        subject: 'CN=mismatch',
        spki: a.publicKey!.spkiDer,
        algorithm: 'ECDSA-SHA256',
        sign: wrongSigner,
        serialRandom: new Uint8Array(16).fill(7),
        notBefore: new Date(),
        notAfter: new Date(Date.now() + 86_400_000),
      }),
    ).rejects.toMatchObject({ code: 'SignatureMismatch' });
  });

  it('refuses an algorithm that does not fit the key', async () => {
    const a = await call<GeneratedKey>('pkcs11.generateKey', { sessionKey: s, algorithm: 'EC-P256', policy: 'signing', label: 'wrong-alg' });
    await expect(
      createCsr({ subject: 'CN=x', spki: a.publicKey!.spkiDer, algorithm: 'RSA-PKCS1-SHA256', sign: signer('wrong-alg', 'ECDSA-SHA256') }),
    ).rejects.toMatchObject({ code: 'KeyAlgorithmMismatch' });
  });
});
