import type { SignatureAlgorithm } from '../../native/pkcs11';
import { CustodianError } from '../errors';
/**
 * The signature algorithms main/x509 can put in a CSR or certificate, named as the PKCS#11 layer names them, with the
 * WebCrypto parameters @peculiar/x509 needs to write the AlgorithmIdentifier. The HSM does the signing; WebCrypto only
 * describes it.
 */
export type X509SignatureAlgorithm = Exclude<SignatureAlgorithm, 'EdDSA'>;

export interface WebCryptoDescription {
  /** How to import the SPKI so its CryptoKey carries the right algorithm. */
  readonly importParams: (namedCurve?: string) => RsaHashedImportParams | EcKeyImportParams;
  /** The signing algorithm @peculiar/x509 turns into the AlgorithmIdentifier. */
  readonly signing: Algorithm & { hash?: string; saltLength?: number };
}

const rsa = (name: 'RSASSA-PKCS1-v1_5' | 'RSA-PSS', hash: string, saltLength?: number): WebCryptoDescription => ({
  importParams: () => ({ name, hash }),
  signing: saltLength === undefined ? { name, hash } : { name, hash, saltLength },
});
const ecdsa = (hash: string): WebCryptoDescription => ({
  importParams: (namedCurve) => ({ name: 'ECDSA', namedCurve: namedCurve ?? 'P-256' }),
  signing: { name: 'ECDSA', hash },
});

export const X509_ALGORITHMS: Record<X509SignatureAlgorithm, WebCryptoDescription> = {
  'RSA-PKCS1-SHA256': rsa('RSASSA-PKCS1-v1_5', 'SHA-256'),
  'RSA-PKCS1-SHA384': rsa('RSASSA-PKCS1-v1_5', 'SHA-384'),
  'RSA-PKCS1-SHA512': rsa('RSASSA-PKCS1-v1_5', 'SHA-512'),
  // Salt as long as the hash, the PKCS#11 layer's PSS profile.
  'RSA-PSS-SHA256': rsa('RSA-PSS', 'SHA-256', 32),
  'RSA-PSS-SHA384': rsa('RSA-PSS', 'SHA-384', 48),
  'RSA-PSS-SHA512': rsa('RSA-PSS', 'SHA-512', 64),
  'ECDSA-SHA256': ecdsa('SHA-256'),
  'ECDSA-SHA384': ecdsa('SHA-384'),
  'ECDSA-SHA512': ecdsa('SHA-512'),
};

export function describeAlgorithm(algorithm: string): WebCryptoDescription {
  const description = X509_ALGORITHMS[algorithm as X509SignatureAlgorithm];
  if (!description) throw new X509Error('UnsupportedAlgorithm', `Certificates cannot be signed with '${algorithm}'.`);
  return description;
}

export class X509Error extends CustodianError<string> {
  override name = 'X509Error';
}
