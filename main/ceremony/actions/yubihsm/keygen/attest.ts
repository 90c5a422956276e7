import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { KeygenError, KeygenErrorCode, writeOutputOnce } from '../../pkcs11/keygen';
import type { ActionContext, ActionDefinition, JsonObject } from '../../registry';
import { capabilityList, domainList } from '../capabilities';
import { integerParam, yubihsmClient, type SessionHandle } from '../device';
import { onKeygenSession } from './session';
import { misconfigured } from '../../../../errors';
import { attestedClaims, type AttestedClaims } from './attestation-claims';
import { checkedPublicKey, pemOf, sha256Hex } from './read-back';
import { ORIGIN_GENERATED, attestationNames, yubihsmKeyRequestOf, type YubiHsmKeyRequest } from './request';

/** Opaque object 0 holds the device's attestation certificate; attesting key 0 is the device's attestation key. */
export const DEVICE_CERTIFICATE = 0;
const invalid = (message: string) => new KeygenError(KeygenErrorCode.CertificateInvalid, message);

/** Every certificate in a PEM bundle. */
function certificatesIn(pem: string): X509Certificate[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return blocks.map((b) => new X509Certificate(b));
}

/**
 * The trust anchors: for the rehearsal simulator, its own simulated Yubico root (from the device host); for a real
 * device, Yubico's published attestation root and intermediates, in the PEM file params.attestationRoots names.
 */
export async function anchorsFor(ctx: ActionContext, handle: SessionHandle, params: JsonObject): Promise<{ certificates: X509Certificate[]; source: string }> {
  const file = typeof params.attestationRoots === 'string' ? params.attestationRoots.trim() : '';
  if (file) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      throw misconfigured(`the attestation roots file “${file}” cannot be read.`);
    }
    const certificates = certificatesIn(text);
    if (!certificates.length) throw misconfigured(`“${file}” holds no PEM certificate (Yubico's YubiHSM attestation root and intermediates).`);
    return { certificates, source: file };
  }
  if ('simulator' in handle.device) {
    return {
      certificates: [new X509Certificate(Buffer.from(await yubihsmClient(ctx).simulatorAttestationRoot()))],
      source: 'the simulator’s own simulated Yubico root',
    };
  }
  throw misconfigured(
    'for a YubiHSM that is not the rehearsal simulator, "attestationRoots" must name the PEM file of Yubico’s YubiHSM attestation root and intermediates.',
  );
}

/** attestation → device certificate → … → a self-signed anchor, each signature checked; the names on the way. */
export function verifyChain(attestation: X509Certificate, device: X509Certificate, anchors: X509Certificate[]): string[] {
  if (!attestation.checkIssued(device) || !attestation.verify(device.publicKey)) {
    throw invalid('The attestation certificate is not signed by the device’s attestation certificate.');
  }
  const path = [device.subject];
  let current = device;
  for (let depth = 0; depth < 6; depth++) {
    const issuer = anchors.find((c) => current.checkIssued(c) && current.verify(c.publicKey));
    if (!issuer) throw invalid(`“${current.subject}” is not signed by any of the trusted attestation certificates.`);
    path.push(issuer.subject);
    if (issuer.checkIssued(issuer) && issuer.verify(issuer.publicKey)) return path;
    current = issuer;
  }
  throw invalid('The attestation chain is longer than any YubiHSM chain.');
}

function claimProblems(claims: AttestedClaims, request: YubiHsmKeyRequest, keyId: number, serial: number): string[] {
  const out = claims.missing.map((m) => `The certificate lacks a readable “${m}” claim.`);
  if (claims.serial !== undefined && claims.serial !== serial) out.push(`It names device serial ${claims.serial}, not ${serial}.`);
  if (claims.objectId !== undefined && claims.objectId !== keyId) out.push(`It attests object ${claims.objectId}, not key ${keyId}.`);
  if (claims.origin !== undefined && claims.origin !== ORIGIN_GENERATED)
    out.push(`It says the key's origin is ${claims.origin}, not 1 (generated on the device).`);
  if (claims.domains !== undefined && claims.domains !== request.domains)
    out.push(`It gives domains ${JSON.stringify(domainList(claims.domains))}, not ${JSON.stringify(domainList(request.domains))}.`);
  if (claims.capabilities !== undefined && claims.capabilities !== request.capabilities) {
    out.push(`It gives capabilities ${capabilityList(claims.capabilities).join(', ')}, not ${capabilityList(request.capabilities).join(', ')}.`);
  }
  if (claims.label !== undefined && claims.label !== request.base.label) out.push(`It names the label “${claims.label}”, not “${request.base.label}”.`);
  return out;
}

/**
 * yubihsm.attest-key — the device's proof that the key was generated inside it: SIGN_ATTESTATION_CERTIFICATE with the
 * device's attestation key, verified here before the witness sees it: signed by the device certificate (opaque 0),
 * which chains to the attestation root (params.attestationRoots, or the simulator's simulated root in rehearsal);
 * its public key equal to the generated key's; its claims (serial, object ID, origin generated, domains,
 * capabilities, label) equal to what the device and the policy say. The certificate and its chain go to the outputs.
 * params { session, keyId, expectedPublicKeySha256, attestationRoots?, …the request }
 */
export const attest: ActionDefinition = {
  description: 'Has the YubiHSM attest the key, and verifies the attestation against the device’s certificate chain.',
  async run(ctx, params, inputs) {
    const request = yubihsmKeyRequestOf(params);
    const keyId = integerParam(params, 'keyId');
    const client = yubihsmClient(ctx);
    return onKeygenSession(ctx, params, inputs, async (handle) => {
      const spki = await checkedPublicKey(ctx, handle, keyId, params);
      const attestationDer = await client.attest(handle.sessionKey, keyId, 0);
      const deviceDer = await client.getOpaque(handle.sessionKey, DEVICE_CERTIFICATE);
      const attestation = new X509Certificate(Buffer.from(attestationDer));
      const device = new X509Certificate(Buffer.from(deviceDer));
      const anchors = await anchorsFor(ctx, handle, params);
      const path = verifyChain(attestation, device, anchors.certificates);
      if (!Buffer.from(attestation.publicKey.export({ type: 'spki', format: 'der' })).equals(Buffer.from(spki))) {
        throw invalid(`The attestation certificate carries a different public key than YubiHSM key ${keyId}.`);
      }
      const claims = attestedClaims(attestationDer);
      const problems = claimProblems(claims, request, keyId, handle.serial);
      if (problems.length) throw invalid(`The attestation does not say what this ceremony made: ${problems.join(' ')}`);
      const names = attestationNames(request.base.label);
      const chainPem = [device, ...anchors.certificates.filter((c) => path.slice(1).includes(c.subject))]
        .map((c) => pemOf('CERTIFICATE', new Uint8Array(c.raw)))
        .join('');
      const file = await writeOutputOnce(ctx, names.certificate, pemOf('CERTIFICATE', new Uint8Array(attestationDer)));
      const chainFile = await writeOutputOnce(ctx, names.chain, chainPem);
      const fingerprint = sha256Hex(new Uint8Array(attestationDer));
      const summary = [
        `Attestation certificate: ${file.name}`,
        `Subject:       ${attestation.subject}`,
        `Chain:         ${path.map((p) => `“${p}”`).join(' → ')} — every signature verified`,
        `Anchor:        ${anchors.source}`,
        `Public key:    the generated key's (SHA-256 ${sha256Hex(spki).match(/.{4}/g)!.slice(0, 4).join(' ')} …)`,
        `Device serial: ${claims.serial}, firmware ${claims.firmware}`,
        `Object:        asymmetric key ${claims.objectId}, “${claims.label}”, origin generated on the device`,
        `Domains:       ${JSON.stringify(domainList(claims.domains!))}`,
        `Capabilities:  ${capabilityList(claims.capabilities!).join(', ')}`,
        `SHA-256:       ${fingerprint.match(/.{4}/g)!.slice(0, 8).join(' ')}`,
        `               ${fingerprint.match(/.{4}/g)!.slice(8).join(' ')}`,
      ].join('\n');
      return {
        publicResult: {
          keyId,
          attestationFile: file.name,
          attestationChainFile: chainFile.name,
          attestationPem: pemOf('CERTIFICATE', new Uint8Array(attestationDer)),
          attestationFingerprint: fingerprint,
          chain: path,
          deviceSerial: claims.serial!,
          firmware: claims.firmware!,
          attestedOrigin: 'generated',
          summary,
        },
      };
    });
  },
};
