import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MemoryTransport, YubiHsmClient, YubiHsmSimulator, ALGORITHM, CAPABILITY, capabilitySet } from '../../../native/yubihsm';
import { attestedClaims, yubihsmKeyRequestOf } from '../../../main/ceremony/actions/yubihsm';
import { buildCertificate } from '../../../native/yubihsm/simulator/crypto/certificate';
import { derCommonName, hexToBytes } from '../../../native/yubihsm/protocol';
import { generateKeyPairSync } from 'node:crypto';

const vectors = JSON.parse(readFileSync(new URL('../../fixtures/yubihsm/vectors.json', import.meta.url), 'utf8'));

const base = {
  algorithm: 'EC-P256',
  policy: 'signing',
  label: 'root',
  keyId: '0',
  domains: '1',
  csr: 'false',
  selfSigned: 'false',
  validityYears: '20',
  subject: '',
};

function problemOf(params: Record<string, string>): string {
  try {
    yubihsmKeyRequestOf(params);
    return 'accepted';
  } catch (e) {
    return (e as Error).message;
  }
}

describe('the YubiHSM key request', () => {
  it('gives each algorithm the signing capability the device needs, and exportable-under-wrap only when backupable', () => {
    expect(yubihsmKeyRequestOf(base)).toMatchObject({ algorithmId: 12, scheme: 'ecdsa', capabilities: capabilitySet(CAPABILITY.SIGN_ECDSA) });
    expect(yubihsmKeyRequestOf({ ...base, algorithm: 'RSA-3072', policy: 'backupable' })).toMatchObject({
      algorithmId: 10,
      scheme: 'pkcs1',
      capabilities: capabilitySet(CAPABILITY.SIGN_PKCS, CAPABILITY.SIGN_PSS, CAPABILITY.EXPORTABLE_UNDER_WRAP),
    });
    expect(yubihsmKeyRequestOf({ ...base, algorithm: 'Ed25519', domains: '1,16' })).toMatchObject({ algorithmId: 46, domains: 0x8001 });
  });

  it('refuses, with the device’s limits in the words, a label over 40 bytes, an ID over 65534, a secret key and bad domains', () => {
    expect(problemOf({ ...base, label: 'é'.repeat(21) })).toContain('at most 40 bytes; “' + 'é'.repeat(21) + '” has 42');
    expect(problemOf({ ...base, keyId: '65535' })).toContain('from 1 to 65534');
    expect(problemOf({ ...base, algorithm: 'AES-256' })).toContain('asymmetric keys here');
    expect(problemOf({ ...base, domains: '17' })).toContain('domain numbers from 1 to 16');
    expect(problemOf({ ...base, csr: 'true' })).toContain('subject');
  });
});

describe('reading the attestation claims in main', () => {
  it('reads what the device wrote, including the real-device extension bytes', () => {
    const key = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const x = vectors.attestation.extension_values;
    const oids = vectors.attestation.oids;
    const oidOf = (hex: string) => {
      // the dotted form of the DER OIDs in the vector: 1.3.6.1.4.1.41482.4.<last byte>
      return `1.3.6.1.4.1.41482.4.${parseInt(hex.slice(-2), 16)}`;
    };
    const extensions = [
      [oids.firmware_version, x.firmware_version],
      [oids.serial, x.serial],
      [oids.origin, x.origin],
      [oids.domains, x.domains],
      [oids.capabilities, x.capabilities],
      [oids.object_id, x.object_id],
      [oids.label, x.label],
    ].map(([oid, value]) => ({ oid: oidOf(oid), value: hexToBytes(value) }));
    const der = buildCertificate({
      issuer: derCommonName('issuer'),
      subject: derCommonName('YubiHSM Attestation id:0x0003'),
      notBefore: new Date(Date.UTC(2017, 0, 1)),
      notAfter: new Date(Date.UTC(2071, 9, 5)),
      spki: new Uint8Array(key.publicKey.export({ type: 'spki', format: 'der' })),
      extensions,
      signingKey: key.privateKey,
    });
    expect(attestedClaims(der)).toEqual({
      firmware: '2.4.1',
      serial: 34331133,
      origin: 1,
      domains: 1,
      capabilities: 0x100n,
      objectId: 3,
      label: '',
      missing: [],
    });
  });

  it('names claims that are missing or malformed instead of guessing', () => {
    const key = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const der = buildCertificate({
      issuer: derCommonName('issuer'),
      subject: derCommonName('no claims'),
      notBefore: new Date(Date.UTC(2020, 0, 1)),
      notAfter: new Date(Date.UTC(2030, 0, 1)),
      spki: new Uint8Array(key.publicKey.export({ type: 'spki', format: 'der' })),
      extensions: [{ oid: '1.3.6.1.4.1.41482.4.2', value: hexToBytes('0c0131') }],
      signingKey: key.privateKey,
    });
    const claims = attestedClaims(der);
    expect(claims.serial).toBeUndefined();
    expect(claims.missing.sort()).toEqual(['capabilities', 'domains', 'firmware', 'label', 'objectId', 'origin', 'serial']);
  });

  it('reads a certificate the simulator signed for a generated key', async () => {
    const sim = new YubiHsmSimulator({ serial: 7654321 });
    const client = new YubiHsmClient(new MemoryTransport(sim), { keepAliveMs: 0 });
    const s = await client.openSession(1, 'password', { keepAliveMs: 0 });
    const id = await s.generateAsymmetricKey({
      id: 0x42,
      label: 'claims',
      domains: 0x0005,
      capabilities: capabilitySet(CAPABILITY.SIGN_ECDSA),
      algorithm: ALGORITHM.EC_P384,
    });
    const claims = attestedClaims(await s.signAttestationCertificate(id));
    await client.close();
    expect(claims).toEqual({ firmware: '2.4.0', serial: 7654321, origin: 1, domains: 5, capabilities: 0x80n, objectId: 0x42, label: 'claims', missing: [] });
  });
});
