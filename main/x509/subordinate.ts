import './reflect-metadata';
import { webcrypto } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { GeneralName, GeneralSubtree, GeneralSubtrees, NameConstraints } from '@peculiar/asn1-x509';
import * as x509 from '@peculiar/x509';
import { X509Error } from './algorithms';
import { serialFromRandom } from './ca-certificate';
import { hsmSigningKey, type HsmSigner } from './hsm-crypto';
import { checkSubordinateCertificate, keyIdentifierOf, profileProblems, sha256Hex, validityProblems, type SubordinateProfile } from './profile';

/** What a subordinate CA's CSR says, once its self-signature is checked. */
export interface CsrFacts {
  readonly subject: string;
  readonly spki: Uint8Array;
  /** SHA-256 of the CSR's SubjectPublicKeyInfo: the fingerprint the requesting party reads from their paper */
  readonly publicKeySha256: string;
  readonly keyAlgorithm: string;
  readonly pem: string;
}

const MAX_CSR_BYTES = 64 * 1024;

/** Parses a PEM or DER CSR and verifies its self-signature (proof that the requester holds the key). */
export async function inspectCsr(content: Uint8Array | string): Promise<CsrFacts> {
  const size = typeof content === 'string' ? Buffer.byteLength(content) : content.length;
  if (size === 0) throw new X509Error('CsrInvalid', 'The CSR file is empty.');
  if (size > MAX_CSR_BYTES) throw new X509Error('CsrInvalid', `The CSR file is ${size} bytes; a CSR is at most ${MAX_CSR_BYTES}.`);
  let csr: x509.Pkcs10CertificateRequest;
  try {
    const text = typeof content === 'string' ? content : Buffer.from(content).toString('latin1');
    csr = text.includes('-----BEGIN') ? new x509.Pkcs10CertificateRequest(text) : new x509.Pkcs10CertificateRequest(Buffer.from(content as Uint8Array));
  } catch {
    throw new X509Error('CsrInvalid', 'The file is not a PKCS#10 certificate signing request (PEM or DER).');
  }
  let valid = false;
  try {
    valid = await csr.verify(webcrypto as unknown as Crypto);
  } catch {
    valid = false;
  }
  if (!valid) throw new X509Error('CsrSignatureInvalid', 'The CSR’s signature does not verify: it was not signed by the key it carries, or it was altered.');
  const spki = new Uint8Array(csr.publicKey.rawData);
  const algorithm = csr.publicKey.algorithm as { name: string; namedCurve?: string; modulusLength?: number };
  return {
    subject: csr.subject,
    spki,
    publicKeySha256: sha256Hex(spki),
    keyAlgorithm: algorithm.namedCurve ? `EC ${algorithm.namedCurve}` : `${algorithm.name}${algorithm.modulusLength ? ' ' + algorithm.modulusLength : ''}`,
    pem: csr.toString('pem'),
  };
}

export interface SubordinateRequest {
  readonly csr: CsrFacts;
  readonly issuer: x509.X509Certificate;
  readonly profile: SubordinateProfile;
  /** the root's signature algorithm as the PKCS#11 layer names it, e.g. ECDSA-SHA384 */
  readonly algorithm: string;
  readonly sign: HsmSigner;
  /** ≥ 8 bytes: the token's randomness mixed with the host's */
  readonly serialRandom: Uint8Array;
  readonly notBefore: Date;
  readonly notAfter: Date;
}

export interface SubordinateResult {
  readonly pem: string;
  readonly der: Uint8Array;
  readonly serialNumber: string;
  readonly sha256: string;
  readonly subject: string;
  readonly issuer: string;
  readonly notBefore: string;
  readonly notAfter: string;
}

function nameConstraints(profile: SubordinateProfile): x509.Extension | undefined {
  const trees = (names?: readonly string[]) =>
    names && names.length ? new GeneralSubtrees(names.map((dNSName) => new GeneralSubtree({ base: new GeneralName({ dNSName }) }))) : undefined;
  const permittedSubtrees = trees(profile.permittedDnsNames);
  const excludedSubtrees = trees(profile.excludedDnsNames);
  if (!permittedSubtrees && !excludedSubtrees) return undefined;
  const value = AsnConvert.serialize(new NameConstraints({ permittedSubtrees, excludedSubtrees }));
  return new x509.Extension('2.5.29.30', true, value);
}

/** The extensions the profile fixes, in the order RFC 5280 examples list them. */
async function extensionsFor(request: SubordinateRequest): Promise<x509.Extension[]> {
  const { profile, issuer, csr } = request;
  const rootKeyId = issuer.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId ?? (await keyIdentifierOf(issuer.publicKey.rawData));
  const list: x509.Extension[] = [
    new x509.BasicConstraintsExtension(true, profile.pathLength, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    new x509.SubjectKeyIdentifierExtension(await keyIdentifierOf(csr.spki)),
    new x509.AuthorityKeyIdentifierExtension(rootKeyId),
    new x509.CertificatePolicyExtension([...profile.policyOids]),
  ];
  if (profile.extendedKeyUsages?.length) list.push(new x509.ExtendedKeyUsageExtension([...profile.extendedKeyUsages]));
  const constraints = nameConstraints(profile);
  if (constraints) list.push(constraints);
  if (profile.crlDistributionPoint) list.push(new x509.CRLDistributionPointsExtension([profile.crlDistributionPoint]));
  if (profile.issuerUrl || profile.ocspUrl) {
    list.push(
      new x509.AuthorityInfoAccessExtension({
        caIssuers: profile.issuerUrl ? [profile.issuerUrl] : [],
        ocsp: profile.ocspUrl ? [profile.ocspUrl] : [],
      } as never),
    );
  }
  return list;
}

/**
 * A subordinate CA certificate for the CSR's key, issued under the script's profile and signed inside the HSM with
 * the root key. Everything that can be refused is refused before the HSM is asked to sign; the signed certificate is
 * then checked against the whole profile, so nothing that differs from it ever leaves this function.
 */
export async function createSubordinateCa(request: SubordinateRequest): Promise<SubordinateResult> {
  const before = [
    ...profileProblems(request.profile, request.issuer),
    ...validityProblems(request.notBefore, request.notAfter, request.issuer, request.profile.maxValidityDays),
  ];
  if (before.length) throw new X509Error('ProfileViolation', before.map((p) => `${p.field}: ${p.message}`).join(' '));
  const key = await hsmSigningKey(new Uint8Array(request.issuer.publicKey.rawData), request.algorithm, request.sign);
  const serialNumber = serialFromRandom(request.serialRandom);
  const cert = await x509.X509CertificateGenerator.create(
    {
      serialNumber,
      subject: request.csr.subject,
      issuer: request.issuer.subject,
      notBefore: request.notBefore,
      notAfter: request.notAfter,
      publicKey: new Uint8Array(request.csr.spki).slice().buffer as ArrayBuffer,
      signingKey: key.publicKey,
      signingAlgorithm: key.signingAlgorithm,
      extensions: await extensionsFor(request),
    },
    key.crypto,
  );
  const der = new Uint8Array(cert.rawData);
  const violations = await checkSubordinateCertificate(der, request.issuer, request.profile, { subject: request.csr.subject, spki: request.csr.spki });
  if (violations.length) throw new X509Error('ProfileViolation', violations.map((p) => `${p.field}: ${p.message}`).join(' '));
  return {
    pem: cert.toString('pem'),
    der,
    serialNumber,
    sha256: sha256Hex(der),
    subject: cert.subject,
    issuer: cert.issuer,
    notBefore: cert.notBefore.toISOString(),
    notAfter: cert.notAfter.toISOString(),
  };
}
