import './reflect-metadata';
import * as x509 from '@peculiar/x509';
import { webcrypto } from 'node:crypto';
import { X509Error } from './algorithms';
import { hsmSigningKey, type HsmSigner } from './hsm-crypto';

/** A PKCS#10 certificate signing request for a key in the HSM, signed there (proof of possession). */
export interface CsrRequest {
  /** Distinguished name, e.g. "CN=Example Root CA, O=Example, C=NL". */
  readonly subject: string;
  readonly spki: Uint8Array;
  readonly algorithm: string;
  readonly sign: HsmSigner;
}

export interface CsrResult {
  readonly der: Uint8Array;
  readonly pem: string;
}

export async function createCsr(request: CsrRequest): Promise<CsrResult> {
  const key = await hsmSigningKey(request.spki, request.algorithm, request.sign);
  const csr = await x509.Pkcs10CertificateRequestGenerator.create(
    {
      name: request.subject,
      keys: { publicKey: key.publicKey, privateKey: key.publicKey },
      signingAlgorithm: key.signingAlgorithm,
    },
    key.crypto,
  );
  // Check the HSM's signature against the SPKI before anyone relies on it: a signer wired to the wrong key must not
  // produce a CSR that merely looks right.
  if (!(await csr.verify(webcrypto as unknown as Crypto))) {
    throw new X509Error('SignatureMismatch', 'The HSM signature on the request does not match the public key; the signer uses a different key.');
  }
  return { der: new Uint8Array(csr.rawData), pem: csr.toString('pem') };
}
