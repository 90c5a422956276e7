import { CKG, CKK, CKM, PkcsjsParams } from './constants';
import type { CkMechanism } from './cryptoki';
import { LayerErrorCode, Pkcs11LayerError } from './errors';

/**
 * Signature algorithms by the names the ceremony scripts use, each mapped to the PKCS#11 mechanism (and parameters)
 * that hashes inside the token, so the data signed is exactly the data shown.
 */

export type SignatureAlgorithm =
  | 'RSA-PKCS1-SHA256'
  | 'RSA-PKCS1-SHA384'
  | 'RSA-PKCS1-SHA512'
  | 'RSA-PSS-SHA256'
  | 'RSA-PSS-SHA384'
  | 'RSA-PSS-SHA512'
  | 'ECDSA-SHA256'
  | 'ECDSA-SHA384'
  | 'ECDSA-SHA512'
  | 'EdDSA';

export interface SignatureMechanism {
  readonly mechanism: CkMechanism;
  readonly keyType: CKK;
  /** Node's name for the digest, for verifying outside the token (undefined for EdDSA). */
  readonly hash?: Hash;
  readonly padding?: 'pkcs1' | 'pss';
  /** ECDSA from PKCS#11 is r||s (IEEE P1363), not DER. */
  readonly ecdsaRaw?: boolean;
  /**
   * For tokens without the hashing mechanism (SoftHSM2 2.6 has CKM_ECDSA but no CKM_ECDSA_SHA256): the raw
   * mechanism, fed a digest computed in the host. Same signature, as ECDSA signs the hash either way.
   */
  readonly rawFallback?: CkMechanism;
}

type Hash = 'sha256' | 'sha384' | 'sha512';

/** RSA PKCS#1 v1.5 with the token hashing the data. */
function rsaPkcs1(mechanism: CKM, hash: Hash): SignatureMechanism {
  return { mechanism: { mechanism }, keyType: CKK.CKK_RSA, hash, padding: 'pkcs1' };
}

/** PSS with MGF1 on the same hash and a salt as long as the hash, the usual profile (RFC 8017, CA/B forum). */
function rsaPss(mechanism: CKM, hashAlg: CKM, mgf: CKG, saltLen: number, hash: Hash): SignatureMechanism {
  const parameter = { type: PkcsjsParams.CK_PARAMS_RSA_PSS, hashAlg, mgf, saltLen } as CkMechanism['parameter'];
  return { mechanism: { mechanism, parameter }, keyType: CKK.CKK_RSA, hash, padding: 'pss' };
}

/** ECDSA with the token hashing, falling back to raw CKM_ECDSA on a digest made in the host. */
function ecdsa(mechanism: CKM, hash: Hash): SignatureMechanism {
  return { mechanism: { mechanism }, keyType: CKK.CKK_EC, hash, ecdsaRaw: true, rawFallback: { mechanism: CKM.CKM_ECDSA } };
}

const TABLE: Record<SignatureAlgorithm, SignatureMechanism> = {
  'RSA-PKCS1-SHA256': rsaPkcs1(CKM.CKM_SHA256_RSA_PKCS, 'sha256'),
  'RSA-PKCS1-SHA384': rsaPkcs1(CKM.CKM_SHA384_RSA_PKCS, 'sha384'),
  'RSA-PKCS1-SHA512': rsaPkcs1(CKM.CKM_SHA512_RSA_PKCS, 'sha512'),
  'RSA-PSS-SHA256': rsaPss(CKM.CKM_SHA256_RSA_PKCS_PSS, CKM.CKM_SHA256, CKG.CKG_MGF1_SHA256, 32, 'sha256'),
  'RSA-PSS-SHA384': rsaPss(CKM.CKM_SHA384_RSA_PKCS_PSS, CKM.CKM_SHA384, CKG.CKG_MGF1_SHA384, 48, 'sha384'),
  'RSA-PSS-SHA512': rsaPss(CKM.CKM_SHA512_RSA_PKCS_PSS, CKM.CKM_SHA512, CKG.CKG_MGF1_SHA512, 64, 'sha512'),
  'ECDSA-SHA256': ecdsa(CKM.CKM_ECDSA_SHA256, 'sha256'),
  'ECDSA-SHA384': ecdsa(CKM.CKM_ECDSA_SHA384, 'sha384'),
  'ECDSA-SHA512': ecdsa(CKM.CKM_ECDSA_SHA512, 'sha512'),
  EdDSA: { mechanism: { mechanism: CKM.CKM_EDDSA }, keyType: CKK.CKK_EC_EDWARDS },
};

export const SIGNATURE_ALGORITHMS = Object.keys(TABLE) as SignatureAlgorithm[];

export function signatureMechanism(algorithm: string): SignatureMechanism {
  const entry = TABLE[algorithm as SignatureAlgorithm];
  if (!entry) {
    throw new Pkcs11LayerError(LayerErrorCode.InvalidParams, `Unknown signature algorithm '${algorithm}'. Choose one of ${SIGNATURE_ALGORITHMS.join(', ')}.`);
  }
  return entry;
}

export interface ChosenSignature {
  readonly mechanism: CkMechanism;
  /** Digest the data in the host first (fallback path). */
  readonly prehash?: Hash;
}

/** The token's own hashing mechanism when offered, else the raw fallback with a host-side digest. */
export function chooseSignatureMechanism(algorithm: string, offered: readonly number[]): ChosenSignature & { spec: SignatureMechanism } {
  const spec = signatureMechanism(algorithm);
  if (offered.includes(spec.mechanism.mechanism)) return { spec, mechanism: spec.mechanism };
  if (spec.rawFallback && offered.includes(spec.rawFallback.mechanism)) return { spec, mechanism: spec.rawFallback, prehash: spec.hash };
  throw new Pkcs11LayerError(LayerErrorCode.MechanismUnsupported, `This token cannot make ${algorithm} signatures.`, { algorithm });
}

/** The AES key wrap with padding of RFC 5649, the only wrap mechanism backups use. */
export const WRAP_MECHANISM: CkMechanism = { mechanism: CKM.CKM_AES_KEY_WRAP_PAD };

/** Does the token offer this mechanism? Checked before use so the error names the algorithm, not a CKR. */
export function requireMechanism(offered: readonly number[], mechanism: CKM, purpose: string): void {
  if (!offered.includes(mechanism)) {
    throw new Pkcs11LayerError(LayerErrorCode.MechanismUnsupported, `This token does not offer ${CKM[mechanism]}, needed for ${purpose}.`, {
      mechanism: CKM[mechanism],
    });
  }
}
