/**
 * Device-host handlers for native key generation on a YubiHSM (the yubihsm-key-generation ceremony): generate an
 * asymmetric key, read its public key as a SubjectPublicKeyInfo, sign a digest with it (for CSRs and certificates
 * signed on the device), attest it, and opaque objects (the device attestation certificate is opaque 0). Sessions
 * are the ceremony handlers' ('yubihsm.session.open'); this file only adds commands on them.
 */
import { z } from 'zod';
import type { HandlerTable } from '../host';
import type { YubiHsmSession } from './client/session';
import { ecCurveBytes } from './protocol/commands/asymmetric';
import { readDer, readDerChildren } from './protocol/der';
import { ALGORITHM, OBJECT } from './protocol/defs';
import { YubiHsmError } from './protocol/errors';
import { spkiFromPublicKey } from './protocol/public-key';
import type { YubiHsmSimulator } from './simulator/simulator';
import type { YubiHsmPublicKey } from './host-calls';

type OnSession = <T extends z.ZodTypeAny, R>(schema: T, fn: (s: YubiHsmSession, p: z.output<T>) => Promise<R>) => (params: unknown) => Promise<R>;

const sessionKey = z.string().uuid();
const objectId = z.number().int().min(0).max(0xfffe);
const header = {
  id: objectId,
  label: z.string().max(40),
  domains: z.number().int().min(1).max(0xffff),
  capabilities: z.bigint().min(0n),
  algorithm: z.nativeEnum(ALGORITHM),
};

const schemas = {
  session: z.object({ sessionKey }).strict(),
  generate: z.object({ sessionKey, ...header }).strict(),
  key: z.object({ sessionKey, id: objectId.min(1) }).strict(),
  sign: z.object({ sessionKey, id: objectId.min(1), scheme: z.enum(['ecdsa', 'pkcs1', 'eddsa']), data: z.instanceof(Uint8Array) }).strict(),
  attest: z.object({ sessionKey, id: objectId.min(1), attestingKeyId: objectId.default(0) }).strict(),
  opaque: z.object({ sessionKey, id: objectId }).strict(),
  putOpaque: z.object({ sessionKey, ...header, data: z.instanceof(Uint8Array) }).strict(),
};

/** The device answers ECDSA in DER; X.509 signers (like PKCS#11) hand over r‖s, each the curve's size. */
export function ecdsaDerToRaw(der: Uint8Array, size: number): Uint8Array {
  try {
    const [r, s] = readDerChildren(readDer(der).content).map((v) => {
      let bytes = v.content;
      while (bytes.length > size && bytes[0] === 0) bytes = bytes.subarray(1);
      if (bytes.length > size) throw new RangeError('integer too long');
      const out = new Uint8Array(size);
      out.set(bytes, size - bytes.length);
      return out;
    });
    const raw = new Uint8Array(2 * size);
    raw.set(r, 0);
    raw.set(s, size);
    return raw;
  } catch {
    throw new YubiHsmError('INVALID_RESPONSE', 'The YubiHSM returned an ECDSA signature that is not DER.');
  }
}

export function createYubiHsmKeyHandlers(onSession: OnSession, simulator: () => YubiHsmSimulator): HandlerTable {
  return {
    /** the algorithms the device offers (DEVICE_INFO), as numbers */
    'yubihsm.session.algorithms': onSession(schemas.session, async (s) => (await s.deviceInfo()).algorithms.map(Number)),
    'yubihsm.session.generateAsymmetricKey': onSession(schemas.generate, async (s, p) => ({
      id: await s.generateAsymmetricKey({ id: p.id, label: p.label, domains: p.domains, capabilities: p.capabilities, algorithm: p.algorithm }),
    })),
    'yubihsm.session.publicKey': onSession(schemas.key, async (s, p): Promise<YubiHsmPublicKey> => {
      const key = await s.getPublicKey(p.id);
      return { algorithm: key.algorithm, spki: spkiFromPublicKey(key.algorithm, key.key) };
    }),
    /** data: a digest (ecdsa, pkcs1: the device writes the DigestInfo for 20/32/48/64 bytes) or the message (eddsa) */
    'yubihsm.session.sign': onSession(schemas.sign, async (s, p) => {
      if (p.scheme === 'pkcs1') return s.signPkcs1(p.id, p.data);
      if (p.scheme === 'eddsa') return s.signEddsa(p.id, p.data);
      const algorithm = (await s.getObjectInfo(p.id, OBJECT.ASYMMETRIC_KEY)).algorithm;
      const size = ecCurveBytes(algorithm);
      if (!size) throw new YubiHsmError('INVALID_ARGUMENT', 'This key is not an elliptic-curve key.');
      return ecdsaDerToRaw(await s.signEcdsa(p.id, p.data, algorithm), size);
    }),
    'yubihsm.session.attest': onSession(schemas.attest, (s, p) => s.signAttestationCertificate(p.id, p.attestingKeyId)),
    'yubihsm.session.getOpaque': onSession(schemas.opaque, (s, p) => s.getOpaque(p.id)),
    'yubihsm.session.putOpaque': onSession(schemas.putOpaque, async (s, p) => ({
      id: await s.putOpaque({ id: p.id, label: p.label, domains: p.domains, capabilities: p.capabilities, algorithm: p.algorithm }, p.data.slice()),
    })),
    /** The rehearsal simulator's own (simulated) Yubico root CA, DER: the anchor its attestation chains to. */
    'yubihsm.simulatorAttestationRoot': async () => simulator().attestationRootCertificate(),
  };
}
