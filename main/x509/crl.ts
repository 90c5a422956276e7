import './reflect-metadata';
import { webcrypto } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { CRLNumber } from '@peculiar/asn1-x509';
import * as x509 from '@peculiar/x509';
import { X509Error } from './algorithms';
import { hsmSigningKey, type HsmSigner } from './hsm-crypto';
import { keyIdentifierOf, sha256Hex } from './profile';

/**
 * A certificate revocation list (RFC 5280 section 5) signed inside the HSM by the root: version 2, the root's
 * subject as issuer, thisUpdate/nextUpdate, the revoked serials with their reasons and dates, the authority key
 * identifier and a CRL number. Every field is checked before the HSM is asked to sign.
 */

export const REVOCATION_REASONS = [
  'unspecified',
  'keyCompromise',
  'cACompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
  'certificateHold',
  'privilegeWithdrawn',
] as const;
export type RevocationReason = (typeof REVOCATION_REASONS)[number];

export interface RevokedCertificate {
  /** hexadecimal, as `openssl x509 -serial` prints it (colons and spaces allowed) */
  readonly serial: string;
  readonly reason: RevocationReason;
  readonly date: Date;
}

export interface CrlRequest {
  readonly issuer: x509.X509Certificate;
  readonly algorithm: string;
  readonly sign: HsmSigner;
  readonly crlNumber: number;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date;
  readonly revoked: readonly RevokedCertificate[];
}

export interface CrlResult {
  readonly pem: string;
  readonly der: Uint8Array;
  readonly sha256: string;
  readonly crlNumber: number;
  readonly thisUpdate: string;
  readonly nextUpdate: string;
  readonly revoked: { serial: string; reason: RevocationReason; date: string }[];
}

/** A serial as typed → canonical lowercase hex, or a sentence saying what is wrong with it. */
export function normaliseSerial(text: string): { serial: string } | { problem: string } {
  const compact = text.replace(/[\s:]/g, '').toLowerCase();
  if (!/^[0-9a-f]+$/.test(compact)) return { problem: `“${text}” is not a hexadecimal serial number (digits 0-9 and letters a-f).` };
  const trimmed = compact.replace(/^0+(?=.)/, '');
  if (trimmed === '0') return { problem: 'A serial number is never zero (RFC 5280 4.1.2.2).' };
  if (trimmed.length > 40) return { problem: `“${text}” has ${Math.ceil(trimmed.length / 2)} octets; a serial number has at most 20.` };
  return { serial: trimmed.length % 2 ? '0' + trimmed : trimmed };
}

/** Every refusal for the request, by field, before anything is signed. */
export function crlProblems(request: Omit<CrlRequest, 'sign' | 'algorithm'>): { field: string; message: string }[] {
  const out: { field: string; message: string }[] = [];
  if (!Number.isSafeInteger(request.crlNumber) || request.crlNumber < 1)
    out.push({ field: 'crlNumber', message: `The CRL number must be a whole number ≥ 1, not ${request.crlNumber}.` });
  if (Number.isNaN(request.thisUpdate.getTime())) out.push({ field: 'thisUpdate', message: 'thisUpdate is not a date.' });
  if (Number.isNaN(request.nextUpdate.getTime())) out.push({ field: 'nextUpdate', message: 'nextUpdate is not a date.' });
  else if (!(request.nextUpdate.getTime() > request.thisUpdate.getTime())) out.push({ field: 'nextUpdate', message: 'nextUpdate must come after thisUpdate.' });
  if (request.nextUpdate.getTime() > request.issuer.notAfter.getTime())
    out.push({
      field: 'nextUpdate',
      message: `nextUpdate (${request.nextUpdate.toISOString()}) is after the root expires (${request.issuer.notAfter.toISOString()}).`,
    });
  const bc = request.issuer.getExtension(x509.BasicConstraintsExtension);
  const ku = request.issuer.getExtension(x509.KeyUsagesExtension);
  if (!bc?.ca || (ku && (ku.usages & x509.KeyUsageFlags.cRLSign) === 0))
    out.push({ field: 'issuer', message: 'The issuing certificate may not sign CRLs (no cRLSign).' });
  const seen = new Set<string>();
  request.revoked.forEach((r, i) => {
    const n = normaliseSerial(r.serial);
    if ('problem' in n) out.push({ field: `revoked.${i}.serial`, message: n.problem });
    else if (seen.has(n.serial)) out.push({ field: `revoked.${i}.serial`, message: `The serial ${n.serial} is listed twice.` });
    else seen.add(n.serial);
    if (!REVOCATION_REASONS.includes(r.reason))
      out.push({ field: `revoked.${i}.reason`, message: `“${r.reason}” is not a revocation reason; use one of ${REVOCATION_REASONS.join(', ')}.` });
    if (Number.isNaN(r.date.getTime())) out.push({ field: `revoked.${i}.date`, message: 'The revocation date is not a date.' });
    else if (r.date.getTime() > request.thisUpdate.getTime())
      out.push({ field: `revoked.${i}.date`, message: 'A certificate cannot be revoked after the CRL is issued.' });
  });
  return out;
}

export async function createCrl(request: CrlRequest): Promise<CrlResult> {
  const problems = crlProblems(request);
  if (problems.length) throw new X509Error('CrlInvalid', problems.map((p) => `${p.field}: ${p.message}`).join(' '));
  const key = await hsmSigningKey(new Uint8Array(request.issuer.publicKey.rawData), request.algorithm, request.sign);
  const keyId = request.issuer.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId ?? (await keyIdentifierOf(request.issuer.publicKey.rawData));
  const entries = request.revoked.map((r) => ({
    serialNumber: (normaliseSerial(r.serial) as { serial: string }).serial,
    revocationDate: r.date,
    reason: x509.X509CrlReason[r.reason],
  }));
  const crl = await x509.X509CrlGenerator.create(
    {
      issuer: request.issuer.subject,
      thisUpdate: request.thisUpdate,
      nextUpdate: request.nextUpdate,
      signingKey: key.publicKey,
      signingAlgorithm: key.signingAlgorithm,
      entries,
      extensions: [
        new x509.AuthorityKeyIdentifierExtension(keyId),
        new x509.Extension('2.5.29.20', false, AsnConvert.serialize(new CRLNumber(request.crlNumber))),
      ],
    },
    key.crypto,
  );
  if (!(await crl.verify({ publicKey: request.issuer.publicKey }, webcrypto as unknown as Crypto))) {
    throw new X509Error('SignatureMismatch', 'The HSM signature on the CRL does not match the root’s public key; the signer uses a different key.');
  }
  const der = new Uint8Array(crl.rawData);
  return {
    // RFC 7468 names the label "X509 CRL" (what openssl reads); @peculiar/x509 writes "CRL".
    pem: x509.PemConverter.encode(crl.rawData, 'X509 CRL'),
    der,
    sha256: sha256Hex(der),
    crlNumber: request.crlNumber,
    thisUpdate: request.thisUpdate.toISOString(),
    nextUpdate: request.nextUpdate.toISOString(),
    revoked: entries.map((e, i) => ({ serial: e.serialNumber, reason: request.revoked[i].reason, date: e.revocationDate.toISOString() })),
  };
}

/** The CRL number of an existing CRL (PEM or DER), for "one more than the last". */
export function crlNumberOf(content: string | Uint8Array): number | undefined {
  const crl = new x509.X509Crl(typeof content === 'string' ? content : Buffer.from(content));
  const ext = crl.extensions.find((e) => e.type === '2.5.29.20');
  return ext ? AsnConvert.parse(ext.value, CRLNumber).value : undefined;
}
