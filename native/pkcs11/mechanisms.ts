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
  readonly hash?: 'sha256' | 'sha384' | 'sha512';
  readonly padding?: 'pkcs1' | 'pss';
  /** ECDSA from PKCS#11 is r||s (IEEE P1363), not DER. */
  readonly ecdsaRaw?: boolean;
  /**
   * For tokens without the hashing mechanism (SoftHSM2 2.6 has CKM_ECDSA but no CKM_ECDSA_SHA256): the raw
   * mechanism, fed a digest computed in the host. Same signature, as ECDSA signs the hash either way.
   */
  readonly rawFallback?: CkMechanism;
}

/** PSS with MGF1 on the same hash and a salt as long as the hash, the usual profile (RFC 8017, CA/B forum). */
function pss(mechanism: CKM, hashAlg: CKM, mgf: CKG, saltLen: number): CkMechanism {
  return { mechanism, parameter: { type: PkcsjsParams.CK_PARAMS_RSA_PSS, hashAlg, mgf, saltLen } as CkMechanism['parameter'] };
}

const TABLE: Record<SignatureAlgorithm, SignatureMechanism> = {
  'RSA-PKCS1-SHA256': { mechanism: { mechanism: CKM.CKM_SHA256_RSA_PKCS }, keyType: CKK.CKK_RSA, hash: 'sha256', padding: 'pkcs1' },
  'RSA-PKCS1-SHA384': { mechanism: { mechanism: CKM.CKM_SHA384_RSA_PKCS }, keyType: CKK.CKK_RSA, hash: 'sha384', padding: 'pkcs1' },
  'RSA-PKCS1-SHA512': { mechanism: { mechanism: CKM.CKM_SHA512_RSA_PKCS }, keyType: CKK.CKK_RSA, hash: 'sha512', padding: 'pkcs1' },
  'RSA-PSS-SHA256': {
    mechanism: pss(CKM.CKM_SHA256_RSA_PKCS_PSS, CKM.CKM_SHA256, CKG.CKG_MGF1_SHA256, 32),
    keyType: CKK.CKK_RSA,
    hash: 'sha256',
    padding: 'pss',
  },
  'RSA-PSS-SHA384': {
    mechanism: pss(CKM.CKM_SHA384_RSA_PKCS_PSS, CKM.CKM_SHA384, CKG.CKG_MGF1_SHA384, 48),
    keyType: CKK.CKK_RSA,
    hash: 'sha384',
    padding: 'pss',
  },
  'RSA-PSS-SHA512': {
    mechanism: pss(CKM.CKM_SHA512_RSA_PKCS_PSS, CKM.CKM_SHA512, CKG.CKG_MGF1_SHA512, 64),
    keyType: CKK.CKK_RSA,
    hash: 'sha512',
    padding: 'pss',
  },
  'ECDSA-SHA256': {
    mechanism: { mechanism: CKM.CKM_ECDSA_SHA256 },
    keyType: CKK.CKK_EC,
    hash: 'sha256',
    ecdsaRaw: true,
    rawFallback: { mechanism: CKM.CKM_ECDSA },
  },
  'ECDSA-SHA384': {
    mechanism: { mechanism: CKM.CKM_ECDSA_SHA384 },
    keyType: CKK.CKK_EC,
    hash: 'sha384',
    ecdsaRaw: true,
    rawFallback: { mechanism: CKM.CKM_ECDSA },
  },
  'ECDSA-SHA512': {
    mechanism: { mechanism: CKM.CKM_ECDSA_SHA512 },
    keyType: CKK.CKK_EC,
    hash: 'sha512',
    ecdsaRaw: true,
    rawFallback: { mechanism: CKM.CKM_ECDSA },
  },
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
  readonly prehash?: 'sha256' | 'sha384' | 'sha512';
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
