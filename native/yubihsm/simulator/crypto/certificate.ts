/**
 * X.509 v3 certificates built synchronously, for the simulator's attestation PKI and its attestation certificates.
 * The signature algorithm follows the signing key: sha256WithRSAEncryption for RSA, ecdsa-with-SHA256 for EC.
 */
import { randomBytes, sign, type KeyObject } from 'node:crypto';
import { derBitString, derExplicit, derInteger, derNull, derOctetString, derOid, derSequence, derTime, derTlv, DER_TAG } from '../../protocol/der';

export interface CertificateFields {
  /** DER Name */
  issuer: Uint8Array;
  subject: Uint8Array;
  notBefore: Date;
  notAfter: Date;
  /** DER SubjectPublicKeyInfo of the certified key */
  spki: Uint8Array;
  /** a CA certificate: basicConstraints CA and keyUsage keyCertSign, both critical */
  ca?: boolean;
  /** extra non-critical extensions: OID and the DER value that goes in extnValue */
  extensions?: Array<{ oid: string; value: Uint8Array }>;
  /** the signer's private key */
  signingKey: KeyObject;
}

function signatureAlgorithm(key: KeyObject): Uint8Array {
  if (key.asymmetricKeyType === 'rsa') return derSequence(derOid('1.2.840.113549.1.1.11'), derNull());
  if (key.asymmetricKeyType === 'ec') return derSequence(derOid('1.2.840.10045.4.3.2'));
  throw new RangeError('The simulator signs certificates with RSA or EC keys only.');
}

const TRUE = Uint8Array.of(0x01, 0x01, 0xff);

function extension(oid: string, value: Uint8Array, critical = false): Uint8Array {
  return derSequence(derOid(oid), ...(critical ? [TRUE] : []), derOctetString(value));
}

/** A positive serial of 16 random bytes (RFC 5280: at most 20 octets). */
export function randomSerial(): Uint8Array {
  const serial = new Uint8Array(randomBytes(16));
  serial[0] = (serial[0] & 0x7f) | 0x01;
  return serial;
}

export function buildCertificate(f: CertificateFields): Uint8Array {
  const algorithm = signatureAlgorithm(f.signingKey);
  const extensions = [
    ...(f.ca
      ? [
          extension('2.5.29.19', derSequence(TRUE), true),
          // keyUsage keyCertSign (bit 5) and cRLSign (bit 6): one byte 0b0000_0110, its last bit unused
          extension('2.5.29.15', derTlv(DER_TAG.BIT_STRING, Uint8Array.of(0x01, 0x06)), true),
        ]
      : []),
    ...(f.extensions ?? []).map((e) => extension(e.oid, e.value)),
  ];
  const tbs = derSequence(
    derExplicit(0, derInteger(2)),
    derInteger(randomSerial()),
    algorithm,
    f.issuer,
    derSequence(derTime(f.notBefore), derTime(f.notAfter)),
    f.subject,
    f.spki,
    ...(extensions.length ? [derExplicit(3, derSequence(...extensions))] : []),
  );
  const signature = new Uint8Array(sign('sha256', tbs, f.signingKey));
  return derSequence(tbs, algorithm, derBitString(signature));
}
