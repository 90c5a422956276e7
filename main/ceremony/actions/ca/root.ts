import '../../../x509'; // first: it prepares what @peculiar/x509 needs
import * as x509 from '@peculiar/x509';
import { createHash, createPublicKey, randomBytes } from 'node:crypto';
import { createSubordinateCa, profileProblems, validityProblems, type CsrFacts, type SubordinateProfile, type SubordinateResult } from '../../../x509';
import { pkcs11Services } from '../pkcs11';
import type { ActionContext, JsonObject } from '../registry';
import { asRefusal, refuse } from './errors';
import { readNamedFile } from './files';

/** The issuing root, as the CA ceremonies use it: its certificate (from a file) and its key on the token (by label). */
export interface IssuingRoot {
  readonly certificate: x509.X509Certificate;
  readonly pem: string;
  readonly keyLabel: string;
  /** the signature algorithm the root key signs with, as the PKCS#11 layer names it */
  readonly algorithm: string;
  readonly sign: (data: Uint8Array) => Promise<Uint8Array>;
}

const sha256 = (bytes: Uint8Array | ArrayBuffer) =>
  createHash('sha256')
    .update(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes))
    .digest('hex');

/** The hash a key of this kind signs certificates with: SHA-384 for P-384 and RSA ≥ 3072 (CA/B practice), … */
export function signatureAlgorithmFor(spki: Uint8Array): string {
  const key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'ec') {
    const curve = details.namedCurve;
    if (curve === 'prime256v1') return 'ECDSA-SHA256';
    if (curve === 'secp384r1') return 'ECDSA-SHA384';
    if (curve === 'secp521r1') return 'ECDSA-SHA512';
    throw refuse(`The root key is on the curve ${curve}, which Custodian does not sign certificates with.`);
  }
  if (key.asymmetricKeyType === 'rsa') return (details.modulusLength ?? 0) >= 3072 ? 'RSA-PKCS1-SHA384' : 'RSA-PKCS1-SHA256';
  throw refuse(`The root key is a ${key.asymmetricKeyType} key; certificates are signed with RSA or EC P-256/P-384/P-521 keys.`);
}

/**
 * The root certificate named by params.rootCertificate, read from removable media: an X.509 certificate (PEM or DER)
 * whose validity has begun and not ended. No device is needed: the preflight reads it before the HSM is touched.
 */
export async function rootCertificateOf(params: JsonObject, now = new Date()): Promise<x509.X509Certificate> {
  const bytes = await readNamedFile(params.rootCertificate, 'root certificate', 256 * 1024);
  let certificate: x509.X509Certificate;
  try {
    const text = bytes.toString('latin1');
    certificate = text.includes('-----BEGIN') ? new x509.X509Certificate(text) : new x509.X509Certificate(new Uint8Array(bytes).slice());
  } catch {
    throw refuse(`${String(params.rootCertificate)} is not an X.509 certificate (PEM or DER).`);
  }
  if (certificate.notAfter.getTime() <= now.getTime()) {
    throw refuse(`The root certificate ${String(params.rootCertificate)} expired on ${certificate.notAfter.toISOString()}; it cannot issue anything.`);
  }
  if (certificate.notBefore.getTime() > now.getTime()) {
    throw refuse(`The root certificate ${String(params.rootCertificate)} is valid only from ${certificate.notBefore.toISOString()}.`);
  }
  return certificate;
}

/**
 * Loads the root certificate named by params.rootCertificate and proves that the token's key labelled
 * params.rootKeyLabel is its key (same public key), before anything is signed.
 */
export async function issuingRoot(ctx: ActionContext, params: JsonObject, sessionKey: string): Promise<IssuingRoot> {
  const { pkcs11 } = pkcs11Services(ctx);
  const certificate = await rootCertificateOf(params);
  const keyLabel = typeof params.rootKeyLabel === 'string' ? params.rootKeyLabel : '';
  if (!keyLabel) throw refuse('The script does not name the root key (rootKeyLabel).');
  const found = await pkcs11.findObjects(sessionKey, { label: keyLabel, class: 'privateKey' });
  if (found.length === 0) throw refuse(`The token holds no private key labelled “${keyLabel}”.`);
  if (found.length > 1) throw refuse(`The token holds ${found.length} private keys labelled “${keyLabel}”; the root key must be unambiguous.`);
  const onToken = await pkcs11.exportPublicKey(sessionKey, { label: keyLabel, class: 'publicKey' });
  const certSpki = new Uint8Array(certificate.publicKey.rawData);
  if (sha256(certSpki) !== sha256(onToken.spkiDer)) {
    throw refuse(`The key “${keyLabel}” on the token is not the key of the root certificate ${String(params.rootCertificate)}. Check both before going on.`);
  }
  const algorithm = signatureAlgorithmFor(certSpki);
  return {
    certificate,
    pem: certificate.toString('pem'),
    keyLabel,
    algorithm,
    sign: pkcs11.signer(sessionKey, { label: keyLabel, class: 'privateKey' }, algorithm),
  };
}

/** `length` bytes from the token's generator XOR the host's CSPRNG: neither alone decides the value. */
export async function mixedRandom(ctx: ActionContext, sessionKey: string, length: number): Promise<Uint8Array> {
  const fromToken = await pkcs11Services(ctx).pkcs11.random(sessionKey, length);
  const fromHost = randomBytes(length);
  const mixed = new Uint8Array(length);
  for (let i = 0; i < length; i++) mixed[i] = fromToken[i] ^ fromHost[i];
  fromToken.fill(0);
  fromHost.fill(0);
  return mixed;
}

export const rootSummary = (root: IssuingRoot): JsonObject => ({
  subject: root.certificate.subject,
  keyLabel: root.keyLabel,
  notAfter: root.certificate.notAfter.toISOString(),
  certificateSha256: sha256(root.certificate.rawData),
  signatureAlgorithm: root.algorithm,
});

const DAY_MS = 86_400_000;

/**
 * A CA certificate for `subject`'s key and name, issued by the root under the script's profile: validity from now
 * (to the second) for profile.validityDays, refused with every problem before anything is drawn or signed, the
 * serial from the token's and the host's randomness, signed inside the HSM, checked again after signing.
 */
export async function issueUnderRoot(
  ctx: ActionContext,
  sessionKey: string,
  root: IssuingRoot,
  subject: CsrFacts,
  profile: SubordinateProfile & { validityDays: number },
): Promise<SubordinateResult> {
  const notBefore = new Date(Math.floor(Date.now() / 1000) * 1000);
  const notAfter = new Date(notBefore.getTime() + profile.validityDays * DAY_MS);
  const problems = [...profileProblems(profile, root.certificate), ...validityProblems(notBefore, notAfter, root.certificate, profile.maxValidityDays)];
  if (problems.length) throw refuse(problems.map((p) => `${p.field}: ${p.message}`).join(' '));
  const serialRandom = await mixedRandom(ctx, sessionKey, 16);
  try {
    return await createSubordinateCa({
      csr: subject,
      issuer: root.certificate,
      profile,
      algorithm: root.algorithm,
      sign: root.sign,
      serialRandom,
      notBefore,
      notAfter,
    }).catch(asRefusal);
  } finally {
    serialRandom.fill(0);
  }
}

/**
 * What cross-sign and sign-subordinate both do inside the logged-in session: find the issuing root, issue the
 * certificate for `subject` under it with the script's profile, and write it to the outputs as `name` with its SHA-256.
 */
export async function issueToOutputs(
  ctx: ActionContext,
  params: JsonObject,
  sessionKey: string,
  subject: CsrFacts,
  profile: SubordinateProfile & { validityDays: number },
  name: string,
): Promise<{ root: IssuingRoot; made: SubordinateResult }> {
  const root = await issuingRoot(ctx, params, sessionKey);
  const made = await issueUnderRoot(ctx, sessionKey, root, subject, profile);
  await ctx.outputs.write(name, made.pem);
  await ctx.outputs.write(`${name}.sha256`, `${made.sha256}  ${name}\n`);
  return { root, made };
}

/** The issued certificate's facts both journal, in this order: the file, then subject to fingerprint. */
export function issuedFacts(file: string, made: SubordinateResult): JsonObject {
  return {
    file,
    subject: made.subject,
    issuer: made.issuer,
    serialNumber: made.serialNumber,
    notBefore: made.notBefore,
    notAfter: made.notAfter,
    certificateFingerprint: made.sha256,
  };
}
