import '../../../main/x509'; // first: it prepares what @peculiar/x509 needs
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, sign as nodeSign, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';
import { beforeAll, describe, expect, it } from 'vitest';
import { opensslCsr } from '../../fixtures/openssl';
import {
  checkSubordinateCertificate,
  createCrl,
  createSelfSignedCa,
  createSubordinateCa,
  crlNumberOf,
  crlProblems,
  inspectCsr,
  normaliseSerial,
  profileProblems,
  type SubordinateProfile,
} from '../../../main/x509';

// The signer here is a software key: these tests are about the certificate profile, the CRL and the RFC 5280
// rules, checked by openssl. The same code signs inside SoftHSM2 in the sign-subordinate / sign-crl ceremony tests.
const dir = mkdtempSync(join(tmpdir(), 'custodian-x509-profile-'));
const root = generateKeyPairSync('ec', { namedCurve: 'P-384' });
const rootSpki = new Uint8Array(root.publicKey.export({ format: 'der', type: 'spki' }));
const signer = async (data: Uint8Array) => new Uint8Array(nodeSign('sha384', data, { key: root.privateKey, dsaEncoding: 'ieee-p1363' }));
const day = 86_400_000;
const now = new Date(Math.floor(Date.now() / 1000) * 1000);
let rootPem = '';
let rootCert: x509.X509Certificate;
let csrPem = '';

const profile: SubordinateProfile = {
  pathLength: 0,
  maxValidityDays: 3650,
  policyOids: ['2.23.140.1.2.1'],
  extendedKeyUsages: ['1.3.6.1.5.5.7.3.1'],
  permittedDnsNames: ['example.org'],
  crlDistributionPoint: 'http://crl.example.org/root.crl',
  issuerUrl: 'http://example.org/root.crt',
};

const openssl = (...args: string[]) => execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const file = (name: string, content: string) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

beforeAll(async () => {
  const made = await createSelfSignedCa({
    subject: 'CN=Example Root CA, O=Example, C=NL',
    spki: rootSpki,
    algorithm: 'ECDSA-SHA384',
    sign: signer,
    serialRandom: randomBytes(16),
    notBefore: new Date(now.getTime() - day),
    notAfter: new Date(now.getTime() + 20 * 365 * day),
    pathLength: 1,
  });
  rootPem = made.pem;
  rootCert = new x509.X509Certificate(rootPem);
  const csr = opensslCsr('/CN=Example Issuing CA/O=Example/C=NL', dir, 'sub');
  csrPem = readFileSync(csr, 'utf8');
});

/** The subordinate CA certificate for `csr`, signed by the root under the profile, valid for `days` from now. */
const issueSubordinate = (csr: Awaited<ReturnType<typeof inspectCsr>>, days: number) =>
  createSubordinateCa({
    csr,
    issuer: rootCert,
    profile,
    algorithm: 'ECDSA-SHA384',
    sign: signer,
    serialRandom: randomBytes(16),
    notBefore: now,
    notAfter: new Date(now.getTime() + days * day),
  });

describe('a subordinate CA certificate under the script’s profile', () => {
  it('is issued from an openssl CSR, verifies with openssl and shows the profile', async () => {
    const csr = await inspectCsr(csrPem);
    expect(csr.subject).toBe('CN=Example Issuing CA, O=Example, C=NL');
    const sub = await issueSubordinate(csr, 1825);
    expect(openssl('verify', '-CAfile', file('root.pem', rootPem), file('sub.pem', sub.pem)).trim()).toMatch(/: OK$/);
    const text = openssl('x509', '-in', file('sub.pem', sub.pem), '-noout', '-text');
    expect(text).toMatch(/CA:TRUE, pathlen:0/);
    expect(text).toMatch(/Certificate Sign, CRL Sign/);
    expect(text).toMatch(/2\.23\.140\.1\.2\.1/);
    expect(text).toMatch(/Permitted:\s*\n\s*DNS:example\.org/);
    expect(text).toMatch(/URI:http:\/\/crl\.example\.org\/root\.crl/);
    expect(text).toMatch(/CA Issuers - URI:http:\/\/example\.org\/root\.crt/);
    expect(text).toMatch(/TLS Web Server Authentication/);
    expect(await checkSubordinateCertificate(sub.pem, rootCert, profile, { subject: csr.subject, spki: csr.spki })).toEqual([]);
  });

  it('names every field a tampered profile breaks', async () => {
    const csr = await inspectCsr(csrPem);
    const sub = await issueSubordinate(csr, 100);
    const other = { ...profile, pathLength: 1, policyOids: ['1.2.3.4'], permittedDnsNames: ['example.com'], crlDistributionPoint: undefined };
    const fields = (await checkSubordinateCertificate(sub.pem, rootCert, other, { subject: csr.subject, spki: csr.spki })).map((v) => v.field);
    expect(fields).toEqual(
      expect.arrayContaining(['basicConstraints.pathLenConstraint', 'certificatePolicies', 'nameConstraints.permittedSubtrees', 'cRLDistributionPoints']),
    );
  });

  it('refuses a pathLen the root cannot issue, a validity past the root or the cap, before signing', async () => {
    const csr = await inspectCsr(csrPem);
    let signed = 0;
    const counting = async (data: Uint8Array) => (signed++, signer(data));
    const base = { csr, issuer: rootCert, algorithm: 'ECDSA-SHA384', sign: counting, serialRandom: randomBytes(16), notBefore: now };
    await expect(createSubordinateCa({ ...base, profile: { ...profile, pathLength: 1 }, notAfter: new Date(now.getTime() + day) })).rejects.toThrow(
      /pathLenConstraint: The root allows a path length of at most 0/,
    );
    await expect(createSubordinateCa({ ...base, profile, notAfter: new Date(now.getTime() + 3651 * day) })).rejects.toThrow(/cap of 3650 days/);
    await expect(
      createSubordinateCa({ ...base, profile: { ...profile, maxValidityDays: 40 * 365 }, notAfter: new Date(now.getTime() + 30 * 365 * day) }),
    ).rejects.toThrow(/validity.notAfter: It would end .* after the root does/);
    expect(signed).toBe(0);
    expect(profileProblems({ ...profile, policyOids: ['not-an-oid'] }, rootCert).map((p) => p.field)).toEqual(['oid']);
  });

  it('refuses a CSR whose signature does not verify, and a file that is not a CSR', async () => {
    const der = Buffer.from(csrPem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    der[der.length - 5] ^= 0x01; // a bit of the signature
    await expect(inspectCsr(new Uint8Array(der))).rejects.toMatchObject({ code: 'CsrSignatureInvalid' });
    await expect(inspectCsr('hello')).rejects.toMatchObject({ code: 'CsrInvalid' });
    await expect(inspectCsr('')).rejects.toThrow(/empty/);
  });
});

describe('a CRL signed by the root', () => {
  it('verifies with openssl, carries its number and the revoked serials', async () => {
    const revoked = [
      { serial: '01:23:45:67:89:ab:cd:ef', reason: 'keyCompromise' as const, date: new Date(now.getTime() - day) },
      { serial: '7f00000000000001', reason: 'superseded' as const, date: new Date(now.getTime() - 2 * day) },
    ];
    const crl = await createCrl({
      issuer: rootCert,
      algorithm: 'ECDSA-SHA384',
      sign: signer,
      crlNumber: 7,
      thisUpdate: now,
      nextUpdate: new Date(now.getTime() + 90 * day),
      revoked,
    });
    const path = file('root.crl', crl.pem);
    expect(openssl('crl', '-in', path, '-noout', '-verify', '-CAfile', file('root.pem', rootPem))).toBe('');
    const text = openssl('crl', '-in', path, '-noout', '-text');
    expect(text).toMatch(/X509v3 CRL Number:\s*\n\s*7/);
    expect(text).toMatch(/Serial Number: 0123456789ABCDEF[\s\S]*Key Compromise/);
    expect(text).toMatch(/Serial Number: 7F00000000000001[\s\S]*Superseded/);
    expect(text).toMatch(/X509v3 Authority Key Identifier/);
    expect(crlNumberOf(crl.pem)).toBe(7);
  });

  it('names the field of every bad value, before signing', () => {
    const problems = crlProblems({
      issuer: rootCert,
      crlNumber: 0,
      thisUpdate: now,
      nextUpdate: new Date(now.getTime() - day),
      revoked: [
        { serial: 'xyz', reason: 'keyCompromise', date: now },
        { serial: '00', reason: 'bored' as never, date: new Date(now.getTime() + day) },
      ],
    });
    expect(problems.map((p) => p.field)).toEqual(['crlNumber', 'nextUpdate', 'revoked.0.serial', 'revoked.1.serial', 'revoked.1.reason', 'revoked.1.date']);
    expect(normaliseSerial('ff'.repeat(21))).toEqual({ problem: expect.stringMatching(/21 octets; a serial number has at most 20/) });
  });
});
