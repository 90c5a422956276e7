import './reflect-metadata';
import { createHash, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { X509Error } from './algorithms';
import { hsmSigningKey, type HsmSigner } from './hsm-crypto';

/**
 * A self-signed root CA certificate (X.509 v3) signed inside the HSM:
 *  - basicConstraints CA:TRUE, critical (RFC 5280 4.2.1.9), with an optional path length;
 *  - keyUsage keyCertSign + cRLSign, critical — a root signs certificates and CRLs, nothing else;
 *  - subjectKeyIdentifier (SHA-1 of the public key bits, RFC 5280 method 1) and the same value as
 *    authorityKeyIdentifier, so chain builders can match the root to what it issues;
 *  - a serial number from the token's random generator (passed in: main does not draw randomness for certificates).
 */
export interface CaCertificateRequest {
  readonly subject: string;
  readonly spki: Uint8Array;
  readonly algorithm: string;
  readonly sign: HsmSigner;
  /** At least 8 random bytes from the HSM; made positive and at most 20 octets as RFC 5280 requires. */
  readonly serialRandom: Uint8Array;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly pathLength?: number;
}

export interface CertificateResult {
  readonly der: Uint8Array;
  readonly pem: string;
  readonly serialNumber: string;
  /** SHA-256 of the DER certificate, lowercase hex. */
  readonly sha256: string;
  readonly subjectKeyIdentifier: string;
}

/** RFC 5280 4.1.2.2: positive, non-zero, at most 20 octets. Clearing the top bit keeps the DER INTEGER positive. */
export function serialFromRandom(random: Uint8Array): string {
  if (random.length < 8) throw new X509Error('SerialTooShort', 'A certificate serial number needs at least 8 random bytes (64 bits).');
  const bytes = Uint8Array.from(random.subarray(0, 20));
  bytes[0] &= 0x7f;
  if (bytes[0] === 0) bytes[0] = 0x01;
  return Buffer.from(bytes).toString('hex');
}

export async function createSelfSignedCa(request: CaCertificateRequest): Promise<CertificateResult> {
  if (!(request.notAfter.getTime() > request.notBefore.getTime())) {
    throw new X509Error('ValidityInvalid', 'The certificate must end after it begins.');
  }
  const key = await hsmSigningKey(request.spki, request.algorithm, request.sign);
  const serialNumber = serialFromRandom(request.serialRandom);
  // A fresh ArrayBuffer-backed copy: @peculiar/x509's BufferSource type excludes SharedArrayBuffer views.
  const spki = new Uint8Array(request.spki).buffer as ArrayBuffer;
  const ski = await x509.SubjectKeyIdentifierExtension.create(spki, false, key.crypto);
  const cert = await x509.X509CertificateGenerator.create(
    {
      serialNumber,
      subject: request.subject,
      issuer: request.subject,
      notBefore: request.notBefore,
      notAfter: request.notAfter,
      publicKey: spki,
      signingKey: key.publicKey,
      signingAlgorithm: key.signingAlgorithm,
      extensions: [
        new x509.BasicConstraintsExtension(true, request.pathLength, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        ski,
        new x509.AuthorityKeyIdentifierExtension(ski.keyId, false),
      ],
    },
    key.crypto,
  );
  if (!(await cert.verify({ signatureOnly: true }, webcrypto as unknown as Crypto))) {
    throw new X509Error('SignatureMismatch', 'The HSM signature on the certificate does not match its public key; the signer uses a different key.');
  }
  const der = new Uint8Array(cert.rawData);
  return {
    der,
    pem: cert.toString('pem'),
    serialNumber,
    sha256: createHash('sha256').update(der).digest('hex'),
    subjectKeyIdentifier: ski.keyId,
  };
}
