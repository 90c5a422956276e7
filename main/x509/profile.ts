import './reflect-metadata';
import { createHash, createPublicKey, X509Certificate as NodeCertificate } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { NameConstraints } from '@peculiar/asn1-x509';
import * as x509 from '@peculiar/x509';

/**
 * The certificate profile a ceremony script fixes for a subordinate CA, and the RFC 5280 rules a certificate must
 * meet to be issued under it. The checker is used twice: by sign-subordinate on the certificate it has just signed
 * (before it is written anywhere), and by the tests on what the ceremony produced. It reads the DER with
 * @peculiar/x509 and checks the signature with Node's own X.509 code, so two implementations agree on each result.
 */
export interface SubordinateProfile {
  /** basicConstraints pathLenConstraint of the subordinate (0: it may issue only end-entity certificates) */
  readonly pathLength: number;
  /** the longest validity the script allows, in days */
  readonly maxValidityDays: number;
  /** certificatePolicies the certificate must carry (OIDs, dotted) */
  readonly policyOids: readonly string[];
  /** extendedKeyUsage OIDs, when the script restricts the subordinate to some purposes */
  readonly extendedKeyUsages?: readonly string[];
  /** nameConstraints: DNS names the subordinate may (permitted) or may not (excluded) issue for */
  readonly permittedDnsNames?: readonly string[];
  readonly excludedDnsNames?: readonly string[];
  /** cRLDistributionPoints URL */
  readonly crlDistributionPoint?: string;
  /** authorityInfoAccess caIssuers URL */
  readonly issuerUrl?: string;
  /** authorityInfoAccess OCSP URL */
  readonly ocspUrl?: string;
}

export interface ProfileViolation {
  /** the certificate field the rule is about, e.g. "basicConstraints.pathLenConstraint" */
  readonly field: string;
  readonly message: string;
}

const OID = {
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extendedKeyUsage: '2.5.29.37',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
  nameConstraints: '2.5.29.30',
  crlDistributionPoints: '2.5.29.31',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
  certificatePolicies: '2.5.29.32',
} as const;

const DAY_MS = 86_400_000;
const hex = (bytes: ArrayBuffer | Uint8Array) => Buffer.from(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)).toString('hex');

/** RFC 5280 4.2.1.2 method 1: SHA-1 of the subjectPublicKey BIT STRING's contents. */
export async function keyIdentifierOf(spki: ArrayBuffer | Uint8Array): Promise<string> {
  const buffer = new Uint8Array(spki instanceof Uint8Array ? spki : new Uint8Array(spki)).slice().buffer as ArrayBuffer;
  const ext = await x509.SubjectKeyIdentifierExtension.create(buffer);
  return ext.keyId;
}

/** The pathLen a root (or any issuer) still allows below itself: undefined = unlimited, -1 = cannot issue CAs. */
export function issuablePathLength(issuer: x509.X509Certificate): number | undefined {
  const bc = issuer.getExtension(x509.BasicConstraintsExtension);
  if (!bc?.ca) return -1;
  return bc.pathLength === undefined ? undefined : bc.pathLength - 1;
}

/** Refusals that can be told before anything is signed: the profile against the issuing root. */
export function profileProblems(profile: SubordinateProfile, issuer: x509.X509Certificate): ProfileViolation[] {
  const problems: ProfileViolation[] = [];
  const allowed = issuablePathLength(issuer);
  if (!Number.isInteger(profile.pathLength) || profile.pathLength < 0) {
    problems.push({ field: 'basicConstraints.pathLenConstraint', message: `pathLen must be a whole number ≥ 0, not ${profile.pathLength}.` });
  } else if (allowed === -1) {
    problems.push({ field: 'basicConstraints.pathLenConstraint', message: 'The issuing certificate is not a CA (basicConstraints cA is not true).' });
  } else if (allowed !== undefined && profile.pathLength > allowed) {
    problems.push({
      field: 'basicConstraints.pathLenConstraint',
      message: `The root allows a path length of at most ${allowed} below it (its own pathLen is ${allowed + 1}); the script asks for ${profile.pathLength}.`,
    });
  }
  const usage = issuer.getExtension(x509.KeyUsagesExtension);
  if (usage && (usage.usages & x509.KeyUsageFlags.keyCertSign) === 0) {
    problems.push({ field: 'keyUsage', message: 'The issuing certificate may not sign certificates (no keyCertSign).' });
  }
  if (!(profile.maxValidityDays > 0)) problems.push({ field: 'validity', message: 'The script must cap the validity at a positive number of days.' });
  for (const oid of [...profile.policyOids, ...(profile.extendedKeyUsages ?? [])]) {
    if (!/^[0-2](\.(0|[1-9][0-9]*))+$/.test(oid)) problems.push({ field: 'oid', message: `“${oid}” is not a dotted object identifier.` });
  }
  for (const url of [profile.crlDistributionPoint, profile.issuerUrl, profile.ocspUrl]) {
    if (url !== undefined && !/^(https?|ldap):\/\/[^\s]+$/.test(url)) problems.push({ field: 'url', message: `“${url}” is not an http(s) or ldap URL.` });
  }
  return problems;
}

/** Validity refusals, before signing: inside the root's own validity and within the script's cap. */
export function validityProblems(notBefore: Date, notAfter: Date, issuer: x509.X509Certificate, maxValidityDays: number): ProfileViolation[] {
  const problems: ProfileViolation[] = [];
  if (!(notAfter.getTime() > notBefore.getTime())) problems.push({ field: 'validity', message: 'The certificate must end after it begins.' });
  if (notBefore.getTime() < issuer.notBefore.getTime()) {
    problems.push({
      field: 'validity.notBefore',
      message: `It would begin (${notBefore.toISOString()}) before the root does (${issuer.notBefore.toISOString()}).`,
    });
  }
  if (notAfter.getTime() > issuer.notAfter.getTime()) {
    problems.push({ field: 'validity.notAfter', message: `It would end (${notAfter.toISOString()}) after the root does (${issuer.notAfter.toISOString()}).` });
  }
  const days = (notAfter.getTime() - notBefore.getTime()) / DAY_MS;
  if (days > maxValidityDays + 1e-9) {
    problems.push({ field: 'validity', message: `${Math.ceil(days)} days is longer than the script's cap of ${maxValidityDays} days.` });
  }
  return problems;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().join(',') === [...b].sort().join(',');
}

function checkNameConstraints(cert: x509.X509Certificate, profile: SubordinateProfile, out: ProfileViolation[]): void {
  const wanted = (profile.permittedDnsNames?.length ?? 0) + (profile.excludedDnsNames?.length ?? 0) > 0;
  const ext = cert.extensions.find((e) => e.type === OID.nameConstraints);
  if (!wanted) {
    if (ext) out.push({ field: 'nameConstraints', message: 'The certificate has name constraints the script did not ask for.' });
    return;
  }
  if (!ext) return void out.push({ field: 'nameConstraints', message: 'The certificate lacks the name constraints the script asks for.' });
  if (!ext.critical) out.push({ field: 'nameConstraints', message: 'Name constraints must be critical (RFC 5280 4.2.1.10).' });
  const parsed = AsnConvert.parse(ext.value, NameConstraints);
  const dns = (trees?: { base: { dNSName?: string } }[]) => (trees ?? []).map((t) => t.base.dNSName ?? '?');
  if (!sameSet(dns(parsed.permittedSubtrees), profile.permittedDnsNames ?? []))
    out.push({ field: 'nameConstraints.permittedSubtrees', message: `Permitted names are ${dns(parsed.permittedSubtrees).join(', ') || 'none'}.` });
  if (!sameSet(dns(parsed.excludedSubtrees), profile.excludedDnsNames ?? []))
    out.push({ field: 'nameConstraints.excludedSubtrees', message: `Excluded names are ${dns(parsed.excludedSubtrees).join(', ') || 'none'}.` });
}

function checkUrls(cert: x509.X509Certificate, profile: SubordinateProfile, out: ProfileViolation[]): void {
  const cdp = cert.getExtension(x509.CRLDistributionPointsExtension);
  const cdpUrls = (cdp?.distributionPoints ?? []).flatMap((p) => (p.distributionPoint?.fullName ?? []).map((n) => n.uniformResourceIdentifier ?? ''));
  if (!sameSet(cdpUrls, profile.crlDistributionPoint ? [profile.crlDistributionPoint] : []))
    out.push({
      field: 'cRLDistributionPoints',
      message: `The CRL distribution point is ${cdpUrls.join(', ') || 'absent'}, not ${profile.crlDistributionPoint ?? 'absent'}.`,
    });
  const aia = cert.getExtension(x509.AuthorityInfoAccessExtension);
  const urls = (list?: { type: string; value: string }[]) => (list ?? []).map((n) => n.value);
  if (!sameSet(urls(aia?.caIssuers as never), profile.issuerUrl ? [profile.issuerUrl] : []))
    out.push({ field: 'authorityInfoAccess.caIssuers', message: `The issuer URL is ${urls(aia?.caIssuers as never).join(', ') || 'absent'}.` });
  if (!sameSet(urls(aia?.ocsp as never), profile.ocspUrl ? [profile.ocspUrl] : []))
    out.push({ field: 'authorityInfoAccess.ocsp', message: `The OCSP URL is ${urls(aia?.ocsp as never).join(', ') || 'absent'}.` });
}

/**
 * Every rule of the profile and of RFC 5280 for a subordinate CA certificate issued by `issuer` for `subjectSpki`.
 * An empty list means the certificate is exactly what the script asked for.
 */
export async function checkSubordinateCertificate(
  certificate: Uint8Array | string,
  issuer: x509.X509Certificate,
  profile: SubordinateProfile,
  expected: { subject: string; spki: Uint8Array },
): Promise<ProfileViolation[]> {
  const out: ProfileViolation[] = [];
  const cert = new x509.X509Certificate(typeof certificate === 'string' ? certificate : Buffer.from(certificate));
  const node = new NodeCertificate(Buffer.from(cert.rawData));
  const issuerNode = new NodeCertificate(Buffer.from(issuer.rawData));
  const add = (field: string, message: string) => out.push({ field, message });

  if (!node.verify(createPublicKey(issuerNode.publicKey.export({ format: 'pem', type: 'spki' }))) || !node.checkIssued(issuerNode))
    add('signature', 'The certificate is not signed by the root key.');
  const serial = cert.serialNumber.replace(/^0+/, '');
  if (serial.length < 16 || serial.length > 40 || parseInt(cert.serialNumber.slice(0, 1), 16) >= 8)
    add('serialNumber', `The serial ${cert.serialNumber} is not a positive number of 64 to 160 bits.`);
  if (cert.issuer !== issuer.subject) add('issuer', `The issuer is “${cert.issuer}”, not the root's subject “${issuer.subject}”.`);
  if (cert.subject !== new x509.Name(expected.subject).toString()) add('subject', `The subject is “${cert.subject}”, not “${expected.subject}”.`);
  if (hex(cert.publicKey.rawData) !== hex(expected.spki)) add('subjectPublicKeyInfo', 'The certificate carries a different public key than the CSR.');
  for (const p of validityProblems(cert.notBefore, cert.notAfter, issuer, profile.maxValidityDays)) out.push(p);

  const bc = cert.getExtension(x509.BasicConstraintsExtension);
  if (!bc || !bc.ca || !bc.critical) add('basicConstraints', 'basicConstraints must be present, critical and say cA = true.');
  else if (bc.pathLength !== profile.pathLength)
    add('basicConstraints.pathLenConstraint', `pathLen is ${bc.pathLength ?? 'absent'}, not ${profile.pathLength}.`);
  const allowed = issuablePathLength(issuer);
  if (bc?.pathLength !== undefined && allowed !== undefined && bc.pathLength > allowed)
    add('basicConstraints.pathLenConstraint', `The root allows at most ${allowed} below it.`);

  const ku = cert.getExtension(x509.KeyUsagesExtension);
  const wantedUsage = x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign;
  if (!ku || !ku.critical || ku.usages !== wantedUsage) add('keyUsage', 'keyUsage must be critical and exactly keyCertSign, cRLSign.');

  const eku = cert.getExtension(x509.ExtendedKeyUsageExtension);
  const ekus = (eku?.usages ?? []).map(String);
  if (!sameSet(ekus, profile.extendedKeyUsages ?? [])) add('extendedKeyUsage', `extendedKeyUsage is ${ekus.join(', ') || 'absent'}.`);

  const ski = cert.getExtension(x509.SubjectKeyIdentifierExtension);
  if (!ski || ski.keyId !== (await keyIdentifierOf(expected.spki)))
    add('subjectKeyIdentifier', 'The subject key identifier is missing or not the key’s SHA-1.');
  const aki = cert.getExtension(x509.AuthorityKeyIdentifierExtension);
  const rootSki = issuer.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId ?? (await keyIdentifierOf(issuer.publicKey.rawData));
  if (!aki || aki.keyId !== rootSki) add('authorityKeyIdentifier', 'The authority key identifier is missing or not the root’s key identifier.');

  const policies = cert.getExtension(x509.CertificatePolicyExtension)?.policies ?? [];
  if (!sameSet(policies, profile.policyOids))
    add('certificatePolicies', `The policies are ${policies.join(', ') || 'absent'}, not ${profile.policyOids.join(', ')}.`);

  checkNameConstraints(cert, profile, out);
  checkUrls(cert, profile, out);
  const known = new Set<string>(Object.values(OID));
  for (const ext of cert.extensions)
    if (!known.has(ext.type)) add('extensions', `The certificate carries an extension the profile does not know (${ext.type}).`);
  return out;
}

/** SHA-256 of DER bytes, lowercase hex. */
export const sha256Hex = (bytes: Uint8Array | ArrayBuffer) =>
  createHash('sha256')
    .update(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes))
    .digest('hex');
