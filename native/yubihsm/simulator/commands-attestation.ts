/**
 * SIGN_ATTESTATION_CERTIFICATE: a certificate over an asymmetric key's public key, signed by the device's own
 * attestation key (attesting ID 0; issuer "YubiHSM Attestation (<serial>)", chaining to the simulated Yubico root)
 * or by an asymmetric key of the session's that holds sign-attestation-certificate and has an X.509 certificate in
 * the opaque object of the same ID (python-yubihsm objects.py AsymmetricKey.attest; tests/device/test_attestation.py).
 * The certificate's subject is "YubiHSM Attestation id:0x<id>", its validity the attesting certificate's (the device
 * has no clock), and its extensions say what the device knows of the key (protocol/commands/attestation.ts).
 */
import { X509Certificate } from 'node:crypto';
import { ALGORITHM, CAPABILITY, COMMAND, ERROR, OBJECT } from '../protocol/defs';
import { BUILT_IN_ATTESTATION_KEY_ID, decodeSignAttestation, encodeAttestationExtensions } from '../protocol/commands/attestation';
import { readDer, readDerChildren } from '../protocol/der';
import { DeviceFault, InnerHandler, findObject, parsePayload, requireCapability, requireObjectCapability } from './context';
import { buildCertificate, isEcAlgorithm, isRsaAlgorithm, privateKeyObject, spkiOfKey } from './crypto';
import { derCommonName } from '../protocol/der';

const hex4 = (id: number) => id.toString(16).padStart(4, '0');

/** Subject name (DER) and validity of a certificate the attesting key's opaque object holds. */
function issuerOf(certificate: Uint8Array): { name: Uint8Array; notBefore: Date; notAfter: Date } {
  try {
    const parsed = new X509Certificate(Buffer.from(certificate));
    const tbs = readDerChildren(readDer(readDer(certificate).content).content);
    const offset = tbs[0].tag === 0xa0 ? 1 : 0; // [0] version
    return { name: tbs[offset + 4].raw.slice(), notBefore: new Date(parsed.validFrom), notAfter: new Date(parsed.validTo) };
  } catch {
    throw new DeviceFault(ERROR.INVALID_DATA);
  }
}

const signAttestationCertificate: InnerHandler = (ctx, payload) => {
  requireCapability(ctx, CAPABILITY.SIGN_ATTESTATION_CERTIFICATE);
  const req = parsePayload(() => decodeSignAttestation(payload));
  ctx.target = req.keyId;
  ctx.second = req.attestingKeyId;
  const key = findObject(ctx, req.keyId, OBJECT.ASYMMETRIC_KEY);
  let signer;
  if (req.attestingKeyId === BUILT_IN_ATTESTATION_KEY_ID) {
    const pki = ctx.attestationPki();
    signer = { key: pki.deviceKey, name: pki.deviceName, notBefore: pki.notBefore, notAfter: pki.notAfter };
  } else {
    const attesting = findObject(ctx, req.attestingKeyId, OBJECT.ASYMMETRIC_KEY);
    requireObjectCapability(attesting, CAPABILITY.SIGN_ATTESTATION_CERTIFICATE);
    if (!isRsaAlgorithm(attesting.algorithm) && !isEcAlgorithm(attesting.algorithm)) throw new DeviceFault(ERROR.INVALID_DATA);
    const template = findObject(ctx, req.attestingKeyId, OBJECT.OPAQUE);
    if (template.algorithm !== ALGORITHM.OPAQUE_X509_CERTIFICATE) throw new DeviceFault(ERROR.INVALID_DATA);
    const issuer = issuerOf(template.secret);
    signer = { key: privateKeyObject(attesting.algorithm, attesting.secret), ...issuer };
  }
  return buildCertificate({
    issuer: signer.name,
    subject: derCommonName(`YubiHSM Attestation id:0x${hex4(key.id)}`),
    notBefore: signer.notBefore,
    notAfter: signer.notAfter,
    spki: spkiOfKey(key.algorithm, key.secret),
    extensions: encodeAttestationExtensions({
      firmware: ctx.facts.version,
      serial: ctx.state.serial,
      origin: key.origin,
      domains: key.domains,
      capabilities: key.capabilities,
      objectId: key.id,
      label: key.label,
    }),
    signingKey: signer.key,
  });
};

export const ATTESTATION_HANDLERS: Partial<Record<COMMAND, InnerHandler>> = {
  [COMMAND.SIGN_ATTESTATION_CERTIFICATE]: signAttestationCertificate,
};
