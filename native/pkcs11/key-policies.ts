import { CKA, CKK, CKM, usageTemplate } from './constants';
import { LayerErrorCode, Pkcs11LayerError } from './errors';

/**
 * Key algorithms and named key policies. A policy is the promise the ceremony prints ("this key can never leave the
 * HSM"), so each one states exactly which attributes it sets and why, and which attributes must read back after
 * generation for the promise to hold.
 */

export type KeyAlgorithm = 'RSA-2048' | 'RSA-3072' | 'RSA-4096' | 'EC-P256' | 'EC-P384' | 'EC-P521' | 'Ed25519' | 'AES-128' | 'AES-256';

export type KeyFamily = 'RSA' | 'EC' | 'EdDSA' | 'AES';

export interface AlgorithmSpec {
  readonly family: KeyFamily;
  readonly keyType: CKK;
  readonly generation: CKM;
  /** RSA modulus bits or AES key bits. */
  readonly bits?: number;
  /** DER of the curve's OBJECT IDENTIFIER, as CKA_EC_PARAMS wants it. */
  readonly ecParams?: Uint8Array;
  readonly curve?: 'P-256' | 'P-384' | 'P-521' | 'Ed25519';
}

const oid = (hex: string) => new Uint8Array(Buffer.from(hex, 'hex'));

export const ALGORITHMS: Record<KeyAlgorithm, AlgorithmSpec> = {
  'RSA-2048': { family: 'RSA', keyType: CKK.CKK_RSA, generation: CKM.CKM_RSA_PKCS_KEY_PAIR_GEN, bits: 2048 },
  'RSA-3072': { family: 'RSA', keyType: CKK.CKK_RSA, generation: CKM.CKM_RSA_PKCS_KEY_PAIR_GEN, bits: 3072 },
  'RSA-4096': { family: 'RSA', keyType: CKK.CKK_RSA, generation: CKM.CKM_RSA_PKCS_KEY_PAIR_GEN, bits: 4096 },
  // 1.2.840.10045.3.1.7, 1.3.132.0.34, 1.3.132.0.35
  'EC-P256': { family: 'EC', keyType: CKK.CKK_EC, generation: CKM.CKM_EC_KEY_PAIR_GEN, ecParams: oid('06082a8648ce3d030107'), curve: 'P-256' },
  'EC-P384': { family: 'EC', keyType: CKK.CKK_EC, generation: CKM.CKM_EC_KEY_PAIR_GEN, ecParams: oid('06052b81040022'), curve: 'P-384' },
  'EC-P521': { family: 'EC', keyType: CKK.CKK_EC, generation: CKM.CKM_EC_KEY_PAIR_GEN, ecParams: oid('06052b81040023'), curve: 'P-521' },
  // 1.3.101.112 (RFC 8410); PKCS#11 3.0 also allows the printable string "edwards25519", which fewer modules accept.
  Ed25519: { family: 'EdDSA', keyType: CKK.CKK_EC_EDWARDS, generation: CKM.CKM_EC_EDWARDS_KEY_PAIR_GEN, ecParams: oid('06032b6570'), curve: 'Ed25519' },
  'AES-128': { family: 'AES', keyType: CKK.CKK_AES, generation: CKM.CKM_AES_KEY_GEN, bits: 128 },
  'AES-256': { family: 'AES', keyType: CKK.CKK_AES, generation: CKM.CKM_AES_KEY_GEN, bits: 256 },
};

export function algorithmSpec(algorithm: string): AlgorithmSpec {
  const spec = ALGORITHMS[algorithm as KeyAlgorithm];
  if (!spec) {
    throw new Pkcs11LayerError(LayerErrorCode.InvalidParams, `Unknown key algorithm '${algorithm}'. Choose one of ${Object.keys(ALGORITHMS).join(', ')}.`);
  }
  return spec;
}

export type PolicyName = 'signing' | 'backupable';

type Expectation = ReadonlyArray<readonly [CKA, boolean]>;

export interface KeyPolicy {
  readonly name: PolicyName;
  readonly description: string;
  /** Attributes set on the private or secret key, whatever its use. */
  readonly protection: Expectation;
  /** Attributes that must read back after generation in the HSM (not after an unwrap, which is not local). */
  readonly afterGeneration: Expectation;
}

/** Both policies' start: on the token and behind the user PIN (it survives the session, unusable without login)... */
const KEPT_SECRET: Expectation = [
  [CKA.CKA_TOKEN, true],
  [CKA.CKA_PRIVATE, true],
  // ...and its value can never be read in clear.
  [CKA.CKA_SENSITIVE, true],
];

export const POLICIES: Record<PolicyName, KeyPolicy> = {
  signing: {
    name: 'signing',
    description: 'signing key: sensitive, never extractable',
    protection: [
      ...KEPT_SECRET,
      // ...nor leave the HSM wrapped: no backup is possible, which is the point for a key that must exist once.
      [CKA.CKA_EXTRACTABLE, false],
    ],
    afterGeneration: [
      // The token states the history: made here, never readable, never extractable.
      [CKA.CKA_LOCAL, true],
      [CKA.CKA_ALWAYS_SENSITIVE, true],
      [CKA.CKA_NEVER_EXTRACTABLE, true],
    ],
  },
  backupable: {
    name: 'backupable',
    description: 'backup-able key: sensitive, extractable only by wrapping under a trusted key',
    protection: [
      ...KEPT_SECRET,
      // ...but it may be wrapped, which is how the split-knowledge backup takes it out...
      [CKA.CKA_EXTRACTABLE, true],
      // ...and only by a wrapping key the Security Officer marked CKA_TRUSTED, so a user alone cannot export it
      // under a key of their own choosing.
      [CKA.CKA_WRAP_WITH_TRUSTED, true],
    ],
    afterGeneration: [
      [CKA.CKA_LOCAL, true],
      [CKA.CKA_ALWAYS_SENSITIVE, true],
    ],
  },
};

export function policyByName(name: string): KeyPolicy {
  const policy = POLICIES[name as PolicyName];
  if (!policy) throw new Pkcs11LayerError(LayerErrorCode.InvalidParams, `Unknown key policy '${name}'. Choose one of ${Object.keys(POLICIES).join(', ')}.`);
  return policy;
}

/**
 * What the key may do, by family. Asymmetric keys sign and nothing else (no decrypt/unwrap: a signing key that can
 * decrypt is an oracle). AES keys encrypt and decrypt data but do not wrap other keys (that is a KEK's job).
 */
export function usageFor(family: KeyFamily): { privateOrSecret: Expectation; public: Expectation } {
  if (family === 'AES') {
    return {
      privateOrSecret: usageTemplate([CKA.CKA_ENCRYPT, CKA.CKA_DECRYPT]),
      public: [],
    };
  }
  const privateUsage: Array<readonly [CKA, boolean]> = [
    [CKA.CKA_SIGN, true],
    [CKA.CKA_DECRYPT, false],
    [CKA.CKA_UNWRAP, false],
    [CKA.CKA_DERIVE, false],
  ];
  const publicUsage: Array<readonly [CKA, boolean]> = [
    [CKA.CKA_VERIFY, true],
    [CKA.CKA_WRAP, false],
  ];
  if (family === 'RSA') publicUsage.push([CKA.CKA_ENCRYPT, false]);
  return { privateOrSecret: privateUsage, public: publicUsage };
}

/** Everything the private/secret key must read back as, after generation or (fromUnwrap) after an unwrap. */
export function expectedAttributes(policy: KeyPolicy, family: KeyFamily, fromUnwrap: boolean): Expectation {
  return [...policy.protection, ...usageFor(family).privateOrSecret, ...(fromUnwrap ? [] : policy.afterGeneration)];
}

export interface PolicyDifference {
  readonly attribute: string;
  readonly expected: boolean;
  readonly actual: boolean | number | string | null;
}

/** Compare read-back attributes to the expectation; any difference (or a missing attribute) is reported. */
export function comparePolicy(expected: Expectation, actual: Partial<Record<string, unknown>>): PolicyDifference[] {
  const differences: PolicyDifference[] = [];
  for (const [type, want] of expected) {
    const name = CKA[type];
    const got = actual[name];
    if (got !== want) differences.push({ attribute: name, expected: want, actual: typeof got === 'boolean' ? got : got === undefined ? null : String(got) });
  }
  return differences;
}
