import { readFileSync } from 'node:fs';
import { X509Certificate, constants, createPublicKey, publicDecrypt, randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ALGORITHM,
  CAPABILITY,
  MemoryTransport,
  OBJECT,
  ORIGIN,
  YubiHsmClient,
  YubiHsmSimulator,
  bytesToHex,
  capabilitySet,
  derOid,
  encodeAttestationExtensions,
  encodePutOpaque,
  encodeSignAttestation,
  encodeWrappedPlaintext,
  hexToBytes,
  readDer,
  readDerChildren,
  sealWrapped,
  spkiFromPublicKey,
  type YubiHsmSession,
} from '../../../native/yubihsm';
import { pkcs1Sign, privateKeyObject } from '../../../native/yubihsm/simulator/crypto/asymmetric-keys';

const vectors = JSON.parse(readFileSync(new URL('../../fixtures/yubihsm/vectors.json', import.meta.url), 'utf8'));
const bin = hexToBytes;
const hex = bytesToHex;

const clients: YubiHsmClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
});

async function sessionOn(simulator: YubiHsmSimulator): Promise<YubiHsmSession> {
  const client = new YubiHsmClient(new MemoryTransport(simulator), { keepAliveMs: 0 });
  clients.push(client);
  return client.openSession(1, 'password', { keepAliveMs: 0 });
}

async function deviceCode(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    return (e as { code: string }).code;
  }
}

const WRAP_KEY = bin('000102030405060708090a0b0c0d0e0f');
const ALL = capabilitySet(...Object.values(CAPABILITY).filter((v): v is CAPABILITY => typeof v === 'number'));

/** Puts an AES-128 wrap key that may carry everything, so objects can be moved in under a known key. */
async function putWrapKey(s: YubiHsmSession): Promise<number> {
  return s.putWrapKey(
    { id: 0x20, label: 'test wrap', domains: 0xffff, capabilities: capabilitySet(CAPABILITY.EXPORT_WRAPPED, CAPABILITY.IMPORT_WRAPPED), algorithm: 29 },
    ALL,
    WRAP_KEY,
  );
}

describe('opaque objects', () => {
  it('encodes PUT_OPAQUE as python-yubihsm packs it', () => {
    const v = vectors.opaque;
    const payload = encodePutOpaque(
      { id: v.put_request.id, label: v.put_request.label, domains: v.put_request.domains, capabilities: 0n, algorithm: v.put_request.algorithm },
      bin(v.put_request.data),
    );
    expect(hex(payload)).toBe(v.put_payload);
  });

  it('stores, lists, describes, reads and deletes opaque data of every size the device test stores', async () => {
    const s = await sessionOn(new YubiHsmSimulator({ serial: 1234567 }));
    for (const size of vectors.opaque.sizes.stored_and_read_back as number[]) {
      const data = new Uint8Array(randomBytes(size));
      const id = await s.putOpaque({ id: 0, label: 'Test data Opaque', domains: 1, capabilities: 0n, algorithm: ALGORITHM.OPAQUE_DATA }, data);
      expect(await s.getOpaque(id)).toEqual(data);
      expect((await s.listObjects({ type: OBJECT.OPAQUE })).map((o) => o.id)).toEqual([id]);
      const info = await s.getObjectInfo(id, OBJECT.OPAQUE);
      expect(info).toMatchObject({ size: size, type: OBJECT.OPAQUE, algorithm: ALGORITHM.OPAQUE_DATA, origin: ORIGIN.IMPORTED, label: 'Test data Opaque' });
      await s.deleteObject(id, OBJECT.OPAQUE);
      expect(await deviceCode(s.getOpaque(id))).toBe('OBJECT_NOT_FOUND');
    }
  });

  it('refuses empty data and non-opaque algorithms with INVALID_DATA, and a session without put-opaque', async () => {
    const sim = new YubiHsmSimulator();
    const s = await sessionOn(sim);
    const header = { id: 0, label: 'x', domains: 1, capabilities: 0n, algorithm: ALGORITHM.OPAQUE_DATA };
    expect(await deviceCode(s.putOpaque(header, new Uint8Array(0)))).toBe('INVALID_DATA');
    expect(await deviceCode(s.putOpaque({ ...header, algorithm: ALGORITHM.EC_P256 }, Uint8Array.of(1)))).toBe('INVALID_DATA');
    const limited = await s.putAuthenticationKey(
      { id: 9, label: 'no opaque', domains: 1, capabilities: capabilitySet(CAPABILITY.GET_OPAQUE), delegatedCapabilities: 0n },
      'limited-pass',
    );
    const client = new YubiHsmClient(new MemoryTransport(sim), { keepAliveMs: 0 });
    clients.push(client);
    const ls = await client.openSession(limited, 'limited-pass', { keepAliveMs: 0 });
    expect(await deviceCode(ls.putOpaque(header, Uint8Array.of(1)))).toBe('INSUFFICIENT_PERMISSIONS');
    expect(await deviceCode(ls.deleteObject(1, OBJECT.AUTHENTICATION_KEY))).toBe('INSUFFICIENT_PERMISSIONS');
  });

  it('exports an opaque object under wrap and imports it on another device, data and metadata intact', async () => {
    const a = await sessionOn(new YubiHsmSimulator());
    const b = await sessionOn(new YubiHsmSimulator());
    const wrapA = await putWrapKey(a);
    const wrapB = await putWrapKey(b);
    const data = new TextEncoder().encode('a CKA_ID that is not two bytes long');
    const id = await a.putOpaque(
      { id: 0x33, label: 'Meta object', domains: 3, capabilities: capabilitySet(CAPABILITY.EXPORTABLE_UNDER_WRAP), algorithm: ALGORITHM.OPAQUE_DATA },
      data,
    );
    const blob = await a.exportWrapped(wrapA, OBJECT.OPAQUE, id);
    expect(await b.importWrapped(wrapB, blob)).toEqual({ type: OBJECT.OPAQUE, id: 0x33 });
    expect(await b.getOpaque(0x33)).toEqual(data);
    expect(await b.getObjectInfo(0x33, OBJECT.OPAQUE)).toMatchObject({ domains: 3, label: 'Meta object', origin: ORIGIN.IMPORTED | ORIGIN.IMPORTED_WRAPPED });
    // An opaque object without exportable-under-wrap stays on its device.
    const fixed = await a.putOpaque({ id: 0, label: 'fixed', domains: 1, capabilities: 0n, algorithm: ALGORITHM.OPAQUE_DATA }, Uint8Array.of(7));
    expect(await deviceCode(a.exportWrapped(wrapA, OBJECT.OPAQUE, fixed))).toBe('INSUFFICIENT_PERMISSIONS');
  });
});

describe('SIGN_PKCS1 as the device does it', () => {
  const v = vectors.rsa_pkcs1;
  const secret = bin(v.p + v.q);

  it('signs a bare SHA-256 digest with its DigestInfo written in front (known answer)', () => {
    expect(hex(pkcs1Sign(secret, bin(v.sha256_digest))!)).toBe(v.signature_over_digest);
    // The same bytes as when the caller sends the DigestInfo itself (CKM_RSA_PKCS over a DigestInfo).
    expect(hex(pkcs1Sign(secret, bin(v.digest_info_sha256_prefix + v.sha256_digest))!)).toBe(v.signature_over_digest);
  });

  it('signs data of any other length as given, as yubihsm_pkcs11 sends CKM_RSA_PKCS (known answer)', () => {
    expect(hex(pkcs1Sign(secret, bin(v.raw_data_35_bytes))!)).toBe(v.signature_over_raw_data);
    // the longest data a 2048-bit key signs (256 - 11 bytes): a full-length signature that opens to that data
    const longest = new Uint8Array(245).fill(0x5a);
    const signature = pkcs1Sign(secret, longest)!;
    expect(signature).toHaveLength(256);
    const publicKey = createPublicKey(privateKeyObject(ALGORITHM.RSA_2048, secret));
    expect(hex(publicDecrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, signature))).toBe(hex(longest));
    expect(pkcs1Sign(secret, new Uint8Array(246))).toBeUndefined();
    expect(pkcs1Sign(secret, new Uint8Array(0))).toBeUndefined();
  });

  it('answers over the protocol with the same signatures, and refuses data too long for the key', async () => {
    const s = await sessionOn(new YubiHsmSimulator());
    const wrap = await putWrapKey(s);
    const plaintext = encodeWrappedPlaintext({
      wrapKeyAlgorithm: 29,
      capabilities: capabilitySet(CAPABILITY.SIGN_PKCS),
      id: 0x44,
      domains: 1,
      type: OBJECT.ASYMMETRIC_KEY,
      algorithm: ALGORITHM.RSA_2048,
      sequence: 0,
      origin: ORIGIN.IMPORTED,
      label: 'python-yubihsm test key',
      body: secret,
    });
    await s.importWrapped(wrap, sealWrapped(WRAP_KEY, new Uint8Array(13), plaintext));
    expect(hex((await s.getPublicKey(0x44)).key)).toBe(v.modulus);
    expect(hex(await s.signPkcs1(0x44, bin(v.sha256_digest)))).toBe(v.signature_over_digest);
    expect(hex(await s.signPkcs1(0x44, bin(v.raw_data_35_bytes)))).toBe(v.signature_over_raw_data);
    expect(await deviceCode(s.signPkcs1(0x44, new Uint8Array(246)))).toBe('INVALID_DATA');
  });
});

describe('attestation', () => {
  const v = vectors.attestation;

  it('names the Yubico extensions with the OIDs of yubihsm-shell examples/attest.c', () => {
    const oids = encodeAttestationExtensions({ ...v.extension_values.claims, capabilities: 0n, objectId: 3 }).map((e) => hex(derOid(e.oid)));
    expect(oids).toEqual([v.oids.firmware_version, v.oids.serial, v.oids.origin, v.oids.domains, v.oids.capabilities, v.oids.object_id, v.oids.label]);
  });

  it('encodes the extension values byte for byte as a YubiHSM 2 does (real-device output)', () => {
    const c = v.extension_values.claims;
    const values = encodeAttestationExtensions({
      firmware: c.firmware,
      serial: c.serial,
      origin: c.origin,
      domains: c.domains,
      capabilities: BigInt('0x' + c.capabilities),
      objectId: c.object_id,
      label: c.label,
    }).map((e) => hex(e.value));
    const x = v.extension_values;
    expect(values).toEqual([x.firmware_version, x.serial, x.origin, x.domains, x.capabilities, x.object_id, x.label]);
  });

  it('encodes the request as libyubihsm does', () => {
    expect(hex(encodeSignAttestation(v.request.key_id, v.request.attesting_key_id))).toBe(v.request.payload);
  });

  it('attests a generated key under the device certificate, which chains to the simulated root and survives a reset', async () => {
    const sim = new YubiHsmSimulator({ serial: 31650425 });
    const s = await sessionOn(sim);
    const caps = capabilitySet(CAPABILITY.SIGN_ECDSA, CAPABILITY.EXPORTABLE_UNDER_WRAP);
    const id = await s.generateAsymmetricKey({ id: 0x0a, label: 'attested', domains: 0x0003, capabilities: caps, algorithm: ALGORITHM.EC_P256 });
    const der = await s.signAttestationCertificate(id);
    const cert = new X509Certificate(Buffer.from(der));
    const device = new X509Certificate(Buffer.from(await s.getDeviceAttestationCertificate()));
    const root = new X509Certificate(Buffer.from(sim.attestationRootCertificate()));
    expect(cert.subject).toBe('CN=YubiHSM Attestation id:0x000a');
    expect(cert.issuer).toBe('CN=YubiHSM Attestation (31650425)');
    expect(cert.verify(device.publicKey)).toBe(true);
    expect(device.verify(root.publicKey) && root.verify(root.publicKey)).toBe(true);
    expect(device.ca && root.ca).toBe(true);
    const pub = await s.getPublicKey(id);
    expect(Buffer.from(cert.publicKey.export({ type: 'spki', format: 'der' }))).toEqual(Buffer.from(spkiFromPublicKey(pub.algorithm, pub.key)));

    // The extensions, read back out of the certificate's DER.
    const tbs = readDerChildren(readDer(readDer(der).content).content);
    const extensions = readDerChildren(readDerChildren(tbs[tbs.length - 1].content)[0].content).map((e) => readDerChildren(e.content));
    const byOid = Object.fromEntries(extensions.map(([oid, value]) => [hex(oid.raw), hex(value.content)]));
    expect(byOid[v.oids.serial]).toBe(
      hex(
        encodeAttestationExtensions({ firmware: [2, 4, 0], serial: 31650425, origin: 1, domains: 3, capabilities: caps, objectId: id, label: 'attested' })[1]
          .value,
      ),
    );
    expect(byOid[v.oids.capabilities]).toBe('0309' + '00' + '0000000000010080');
    expect(byOid[v.oids.domains]).toBe('0303000003');
    expect(byOid[v.oids.origin]).toBe('03020001');
    expect(byOid[v.oids.label]).toBe('0c08' + hex(new TextEncoder().encode('attested')));

    // A factory reset keeps the attestation key and certificate (factory data), as on a device.
    await s.resetDevice();
    const after = await sessionOn(sim);
    expect(await after.getDeviceAttestationCertificate()).toEqual(new Uint8Array(device.raw));
  });

  it('refuses an attesting key without a certificate template, and a session without the capability', async () => {
    const sim = new YubiHsmSimulator();
    const s = await sessionOn(sim);
    const key = await s.generateAsymmetricKey({
      id: 0,
      label: 'k',
      domains: 1,
      capabilities: capabilitySet(CAPABILITY.SIGN_ECDSA),
      algorithm: ALGORITHM.EC_P256,
    });
    const attesting = await s.generateAsymmetricKey({
      id: 0x50,
      label: 'att',
      domains: 1,
      capabilities: capabilitySet(CAPABILITY.SIGN_ATTESTATION_CERTIFICATE),
      algorithm: ALGORITHM.EC_P256,
    });
    expect(await deviceCode(s.signAttestationCertificate(key, attesting))).toBe('OBJECT_NOT_FOUND');
    expect(await deviceCode(s.signAttestationCertificate(0x77))).toBe('OBJECT_NOT_FOUND');
    const limited = await s.putAuthenticationKey(
      { id: 9, label: 'no attest', domains: 1, capabilities: capabilitySet(CAPABILITY.GET_OPAQUE), delegatedCapabilities: 0n },
      'limited-pass',
    );
    const client = new YubiHsmClient(new MemoryTransport(sim), { keepAliveMs: 0 });
    clients.push(client);
    const ls = await client.openSession(limited, 'limited-pass', { keepAliveMs: 0 });
    expect(await deviceCode(ls.signAttestationCertificate(key))).toBe('INSUFFICIENT_PERMISSIONS');
    // A key's own attestation under a user attesting key whose certificate is stored as the template.
    const template = new X509Certificate(Buffer.from(await s.getDeviceAttestationCertificate()));
    await s.putOpaque(
      { id: 0x50, label: 'att cert', domains: 1, capabilities: 0n, algorithm: ALGORITHM.OPAQUE_X509_CERTIFICATE },
      new Uint8Array(template.raw),
    );
    const byUserKey = new X509Certificate(Buffer.from(await s.signAttestationCertificate(key, attesting)));
    const attestingPub = await s.getPublicKey(attesting);
    expect(
      byUserKey.verify(createPublicKey({ key: Buffer.from(spkiFromPublicKey(attestingPub.algorithm, attestingPub.key)), format: 'der', type: 'spki' })),
    ).toBe(true);
    expect(byUserKey.issuer).toBe(template.subject);
  });
});
