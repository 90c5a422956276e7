import { createSelfSignedCa, createCsr } from '../../../../x509'; // first: it prepares what @peculiar/x509 needs
import * as x509 from '@peculiar/x509';
import { createHash, createPublicKey, X509Certificate } from 'node:crypto';
import { pkcs11Services, withLoggedInSession } from '..';
import type { ActionContext, ActionDefinition, JsonObject } from '../../registry';
import { KeygenError, KeygenErrorCode } from './errors';
import { fixedId } from './generate';
import { existingOutput, writeOutputOnce } from './outputs';
import { exceedsRootCap, keyRequestOf, MAX_ROOT_VALIDITY_YEARS, outputNames, validityPeriod, type KeyRequest } from './request';

/**
 * keygen.certify — the CSR and/or the self-signed root certificate for the new key, signed inside the HSM through
 * main/x509. Each document is verified here against the public key read back (signature, key, subject, and for the
 * root the 25-year cap) before it is written, exclusively, to the outputs. A retry reuses a document an interrupted
 * attempt already wrote only if it passes the same checks.
 */

const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const sameBytes = (a: ArrayBuffer | Uint8Array, b: Uint8Array) => Buffer.from(a instanceof Uint8Array ? a : new Uint8Array(a)).equals(Buffer.from(b));
const invalid = (message: string) => new KeygenError(KeygenErrorCode.CertificateInvalid, message);

/** Throws unless the CSR is signed by the key, carries that key and names the requested subject. */
async function checkCsr(pem: string, spki: Uint8Array, subject: string): Promise<x509.Pkcs10CertificateRequest> {
  const csr = new x509.Pkcs10CertificateRequest(pem);
  if (!(await csr.verify())) throw invalid('The CSR’s signature does not verify.');
  if (!sameBytes(csr.publicKey.rawData, spki)) throw invalid('The CSR carries a different public key than the one generated.');
  if (csr.subject !== new x509.Name(subject).toString()) throw invalid(`The CSR names “${csr.subject}”, not “${subject}”.`);
  return csr;
}

/** Throws unless the certificate is self-signed by the key, names the subject and stays within the root cap. */
function checkRoot(pem: string, spki: Uint8Array, subject: string): { parsed: x509.X509Certificate; der: Uint8Array } {
  const node = new X509Certificate(pem);
  const publicKey = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  if (!node.verify(publicKey) || !node.checkIssued(node)) throw invalid('The certificate is not self-signed by the generated key.');
  const parsed = new x509.X509Certificate(pem);
  if (!sameBytes(parsed.publicKey.rawData, spki)) throw invalid('The certificate carries a different public key than the one generated.');
  const expected = new x509.Name(subject).toString();
  if (parsed.subject !== expected || parsed.issuer !== expected) throw invalid(`The certificate names “${parsed.subject}”, not “${subject}”.`);
  if (exceedsRootCap(parsed.notBefore, parsed.notAfter)) throw invalid(`The certificate is valid for more than ${MAX_ROOT_VALIDITY_YEARS} years.`);
  return { parsed, der: new Uint8Array(node.raw) };
}

export async function makeCsr(ctx: ActionContext, request: KeyRequest, spki: Uint8Array, sign: (data: Uint8Array) => Promise<Uint8Array>): Promise<JsonObject> {
  const name = outputNames(request.label).csr;
  const subject = request.subject!;
  const earlier = await existingOutput(ctx, name);
  let pem: string;
  if (earlier !== undefined) {
    await checkCsr(earlier, spki, subject); // an interrupted attempt's CSR, kept only if it is right
    pem = earlier;
  } else {
    pem = (await createCsr({ subject, spki, algorithm: request.spec.certificateSignature!, sign })).pem;
    await checkCsr(pem, spki, subject);
  }
  const file = await writeOutputOnce(ctx, name, pem);
  return { file: file.name, sha256: file.sha256, subject, signatureAlgorithm: request.spec.certificateSignature!, csrPem: pem };
}

export async function makeRoot(
  ctx: ActionContext,
  request: KeyRequest,
  spki: Uint8Array,
  sign: (data: Uint8Array) => Promise<Uint8Array>,
  serialRandom: () => Promise<Uint8Array>,
): Promise<JsonObject> {
  const name = outputNames(request.label).certificate;
  const subject = request.subject!;
  let pem = await existingOutput(ctx, name);
  if (pem === undefined) {
    const { notBefore, notAfter } = validityPeriod(request.validityYears, new Date());
    const random = await serialRandom();
    try {
      pem = (await createSelfSignedCa({ subject, spki, algorithm: request.spec.certificateSignature!, sign, serialRandom: random, notBefore, notAfter })).pem;
    } finally {
      random.fill(0);
    }
  }
  const { parsed, der } = checkRoot(pem, spki, subject);
  const file = await writeOutputOnce(ctx, name, pem);
  return {
    file: file.name,
    subject: parsed.subject,
    serialNumber: parsed.serialNumber,
    notBefore: parsed.notBefore.toISOString(),
    notAfter: parsed.notAfter.toISOString(),
    validityYears: request.validityYears,
    signatureAlgorithm: request.spec.certificateSignature!,
    // SHA-256 of the DER certificate: what a relying party pins, printed in hex and words in the transcript.
    certificateFingerprint: sha256Hex(der),
    certificatePem: pem,
  };
}

export function summaryOf(csr: JsonObject | null, root: JsonObject | null): string {
  const lines: string[] = [];
  const subject = String((root ?? csr)!.subject);
  if (csr) lines.push(`CSR:              ${csr.file}`, `                  signature verified (${csr.signatureAlgorithm})`);
  if (root) lines.push(`Root certificate: ${root.file}`, `                  self-signature verified (${root.signatureAlgorithm})`);
  lines.push(`Subject:          ${subject}`);
  if (root) {
    const groups = String(root.certificateFingerprint).match(/.{4}/g)!;
    lines.push(
      `Serial number:    ${root.serialNumber}`,
      `Valid from:       ${root.notBefore}`,
      `Valid until:      ${root.notAfter} (${root.validityYears} years)`,
      `SHA-256:          ${groups.slice(0, 8).join(' ')}`,
      `                  ${groups.slice(8).join(' ')}`,
    );
  }
  return lines.join('\n');
}

export const certify: ActionDefinition = {
  description: 'Makes the CSR and/or the self-signed root certificate, signed inside the HSM, and verifies them.',
  async run(ctx, params, inputs) {
    const request = keyRequestOf(params);
    if (!request.csr && !request.selfSigned) {
      return { publicResult: { made: 'nothing', summary: 'No CSR and no certificate were asked for; nothing to sign.' } };
    }
    const id = fixedId(request);
    const { pkcs11 } = pkcs11Services(ctx);
    const publicResult = await withLoggedInSession(ctx, params, inputs, async (sessionKey): Promise<JsonObject> => {
      const publicKey = await pkcs11.exportPublicKey(sessionKey, { label: request.label, id, class: 'publicKey' });
      const spki = publicKey.spkiDer;
      const expected =
        typeof params.expectedPublicKeySha256 === 'string' && /^[0-9a-f]{64}$/.test(params.expectedPublicKeySha256)
          ? params.expectedPublicKeySha256
          : undefined;
      if (expected && sha256Hex(spki) !== expected) {
        throw new KeygenError(
          KeygenErrorCode.KeyMismatch,
          'The public key on the token is not the one read back and fingerprinted earlier. Stop and investigate.',
        );
      }
      const sign = pkcs11.signer(sessionKey, { label: request.label, id, class: 'privateKey' }, request.spec.certificateSignature!);
      const csr = request.csr ? await makeCsr(ctx, request, spki, sign) : null;
      const root = request.selfSigned ? await makeRoot(ctx, request, spki, sign, () => pkcs11.random(sessionKey, 16)) : null;
      return {
        made: [csr ? 'csr' : '', root ? 'root certificate' : ''].filter(Boolean).join(' and '),
        ...(csr ? { csr } : {}),
        ...(root ? { certificate: root } : {}),
        summary: summaryOf(csr, root),
      };
    });
    return { publicResult };
  },
};
