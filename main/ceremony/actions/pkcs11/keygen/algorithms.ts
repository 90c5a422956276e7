import type { KeyAlgorithm, PolicyName } from '../../../../../native/pkcs11';
import type { X509SignatureAlgorithm } from '../../../../x509';

/**
 * What the key-generation ceremony knows about each algorithm the PKCS#11 layer can generate, under the same names
 * (RSA-3072, EC-P384...). Main never loads native code, so this table restates the few facts the ceremony checks
 * before and after generation: the mechanism the token must offer, the size, the curve, and which signature a CSR
 * or root certificate for such a key uses.
 */

export type KeyFamily = 'RSA' | 'EC' | 'EdDSA' | 'AES';

export interface KeygenAlgorithm {
  readonly family: KeyFamily;
  /** how the transcript names it */
  readonly title: string;
  /** the CKM_ the token must offer to generate it */
  readonly generationMechanism: string;
  /** RSA modulus bits, EC field bits, AES key bits */
  readonly bits: number;
  /** CKA_KEY_TYPE as the PKCS#11 layer names it */
  readonly keyType: 'CKK_RSA' | 'CKK_EC' | 'CKK_EC_EDWARDS' | 'CKK_AES';
  /** DER of the curve OID, as CKA_EC_PARAMS reads back */
  readonly ecParamsHex?: string;
  /** the curve name in an exported public key */
  readonly curve?: 'P-256' | 'P-384' | 'P-521' | 'Ed25519';
  /**
   * The signature for a CSR or self-signed root: SHA-256 with RSA (what boulder's ceremony uses), ECDSA with the
   * hash that matches the curve's strength. Undefined: this program cannot put such a key in a certificate.
   */
  readonly certificateSignature?: X509SignatureAlgorithm;
  /** mechanisms that can make that signature: the token's hash-and-sign one, or raw ECDSA with the hash done here */
  readonly signatureMechanisms?: readonly string[];
}

const rsa = (bits: number): KeygenAlgorithm => ({
  family: 'RSA',
  title: `RSA ${bits}`,
  generationMechanism: 'CKM_RSA_PKCS_KEY_PAIR_GEN',
  bits,
  keyType: 'CKK_RSA',
  certificateSignature: 'RSA-PKCS1-SHA256',
  signatureMechanisms: ['CKM_SHA256_RSA_PKCS'],
});

const ec = (curve: 'P-256' | 'P-384' | 'P-521', bits: number, ecParamsHex: string, hash: 'SHA256' | 'SHA384' | 'SHA512'): KeygenAlgorithm => ({
  family: 'EC',
  title: `EC ${curve}`,
  generationMechanism: 'CKM_EC_KEY_PAIR_GEN',
  bits,
  keyType: 'CKK_EC',
  ecParamsHex,
  curve,
  certificateSignature: `ECDSA-${hash}`,
  signatureMechanisms: [`CKM_ECDSA_${hash}`, 'CKM_ECDSA'],
});

const aes = (bits: number): KeygenAlgorithm => ({
  family: 'AES',
  title: `AES-${bits} secret key`,
  generationMechanism: 'CKM_AES_KEY_GEN',
  bits,
  keyType: 'CKK_AES',
});

export const KEYGEN_ALGORITHMS: Record<KeyAlgorithm, KeygenAlgorithm> = {
  'RSA-2048': rsa(2048),
  'RSA-3072': rsa(3072),
  'RSA-4096': rsa(4096),
  'EC-P256': ec('P-256', 256, '06082a8648ce3d030107', 'SHA256'),
  'EC-P384': ec('P-384', 384, '06052b81040022', 'SHA384'),
  'EC-P521': ec('P-521', 521, '06052b81040023', 'SHA512'),
  // Generated where the module offers CKM_EC_EDWARDS_KEY_PAIR_GEN; main/x509 cannot sign certificates with it yet.
  Ed25519: {
    family: 'EdDSA',
    title: 'Ed25519',
    generationMechanism: 'CKM_EC_EDWARDS_KEY_PAIR_GEN',
    bits: 255,
    keyType: 'CKK_EC_EDWARDS',
    ecParamsHex: '06032b6570',
    curve: 'Ed25519',
  },
  'AES-128': aes(128),
  'AES-256': aes(256),
};

export const KEY_ALGORITHM_NAMES = Object.keys(KEYGEN_ALGORITHMS) as KeyAlgorithm[];

/** What each key policy promises, in the words printed for the witness (native/pkcs11/key-policies.ts enforces it). */
export const KEY_POLICY_PROMISES: Record<PolicyName, string> = {
  signing: 'sensitive and never extractable: the key can never leave the HSM, not even wrapped',
  backupable: 'sensitive, extractable only by wrapping under a key the Security Officer marked trusted (for a split-knowledge backup)',
};

export const KEY_POLICY_NAMES = Object.keys(KEY_POLICY_PROMISES) as PolicyName[];

/** The private-key attributes shown to the witness after generation, with what each one means. */
export const SHOWN_ATTRIBUTES: ReadonlyArray<readonly [string, string]> = [
  ['CKA_TOKEN', 'stored on the token'],
  ['CKA_PRIVATE', 'usable only after login'],
  ['CKA_SENSITIVE', 'value never readable in clear'],
  ['CKA_ALWAYS_SENSITIVE', 'has always been sensitive'],
  ['CKA_EXTRACTABLE', 'may be wrapped out of the token'],
  ['CKA_NEVER_EXTRACTABLE', 'has never been extractable'],
  ['CKA_WRAP_WITH_TRUSTED', 'only a trusted key may wrap it'],
  ['CKA_LOCAL', 'generated inside this token'],
  ['CKA_SIGN', 'may sign'],
  ['CKA_DECRYPT', 'may decrypt'],
  ['CKA_ENCRYPT', 'may encrypt'],
  ['CKA_UNWRAP', 'may unwrap other keys'],
  ['CKA_WRAP', 'may wrap other keys'],
  ['CKA_DERIVE', 'may derive other keys'],
];
