/**
 * PKCS#11 constants with the names the standard uses (PKCS#11 v2.40 / v3.0 for the EdDSA ones).
 * Kept here rather than taken from pkcs11js so the rest of the layer has typed enums and so the EdDSA values, which
 * pkcs11js 2.1.7 does not export, live next to the others.
 */

export enum CKO {
  CKO_DATA = 0x0,
  CKO_CERTIFICATE = 0x1,
  CKO_PUBLIC_KEY = 0x2,
  CKO_PRIVATE_KEY = 0x3,
  CKO_SECRET_KEY = 0x4,
}

export enum CKK {
  CKK_RSA = 0x0,
  CKK_EC = 0x3,
  CKK_GENERIC_SECRET = 0x10,
  CKK_AES = 0x1f,
  CKK_EC_EDWARDS = 0x40,
}

export enum CKU {
  CKU_SO = 0,
  CKU_USER = 1,
}

export enum CKA {
  CKA_CLASS = 0x0,
  CKA_TOKEN = 0x1,
  CKA_PRIVATE = 0x2,
  CKA_LABEL = 0x3,
  CKA_VALUE = 0x11,
  CKA_TRUSTED = 0x86,
  CKA_KEY_TYPE = 0x100,
  CKA_ID = 0x102,
  CKA_SENSITIVE = 0x103,
  CKA_ENCRYPT = 0x104,
  CKA_DECRYPT = 0x105,
  CKA_WRAP = 0x106,
  CKA_UNWRAP = 0x107,
  CKA_SIGN = 0x108,
  CKA_VERIFY = 0x10a,
  CKA_DERIVE = 0x10c,
  CKA_MODULUS = 0x120,
  CKA_MODULUS_BITS = 0x121,
  CKA_PUBLIC_EXPONENT = 0x122,
  CKA_VALUE_LEN = 0x161,
  CKA_EXTRACTABLE = 0x162,
  CKA_LOCAL = 0x163,
  CKA_NEVER_EXTRACTABLE = 0x164,
  CKA_ALWAYS_SENSITIVE = 0x165,
  CKA_MODIFIABLE = 0x170,
  CKA_COPYABLE = 0x171,
  CKA_DESTROYABLE = 0x172,
  CKA_EC_PARAMS = 0x180,
  CKA_EC_POINT = 0x181,
  CKA_WRAP_WITH_TRUSTED = 0x210,
}

/**
 * A key's usage flags by the name a ceremony gives them: the one list. Imports, wraps and attribute changes read it
 * (in this order: an attribute change reports its results in it).
 */
export const USAGE_FLAGS = {
  sign: CKA.CKA_SIGN,
  verify: CKA.CKA_VERIFY,
  encrypt: CKA.CKA_ENCRYPT,
  decrypt: CKA.CKA_DECRYPT,
  wrap: CKA.CKA_WRAP,
  unwrap: CKA.CKA_UNWRAP,
  derive: CKA.CKA_DERIVE,
} as const;

/** The usage flags in the order keys' attributes are shown, carried across a wrap and set: encryption first, derive last. */
export const USAGE_ATTRIBUTES: readonly CKA[] = (['encrypt', 'decrypt', 'wrap', 'unwrap', 'sign', 'verify', 'derive'] as const).map((u) => USAGE_FLAGS[u]);

/** Every usage flag in that order, true for the given ones and false for the rest: what a key may do, said in full. */
export function usageTemplate(allowed: readonly CKA[]): Array<readonly [CKA, boolean]> {
  return USAGE_ATTRIBUTES.map((type) => [type, allowed.includes(type)] as const);
}

export enum CKM {
  CKM_RSA_PKCS_KEY_PAIR_GEN = 0x0,
  CKM_RSA_PKCS = 0x1,
  CKM_SHA256_RSA_PKCS = 0x40,
  CKM_SHA384_RSA_PKCS = 0x41,
  CKM_SHA512_RSA_PKCS = 0x42,
  CKM_SHA256_RSA_PKCS_PSS = 0x43,
  CKM_SHA384_RSA_PKCS_PSS = 0x44,
  CKM_SHA512_RSA_PKCS_PSS = 0x45,
  CKM_SHA256 = 0x250,
  CKM_SHA384 = 0x260,
  CKM_SHA512 = 0x270,
  CKM_EC_KEY_PAIR_GEN = 0x1040,
  CKM_ECDSA = 0x1041,
  CKM_ECDSA_SHA256 = 0x1044,
  CKM_ECDSA_SHA384 = 0x1045,
  CKM_ECDSA_SHA512 = 0x1046,
  CKM_EC_EDWARDS_KEY_PAIR_GEN = 0x1055,
  CKM_EDDSA = 0x1057,
  CKM_AES_KEY_GEN = 0x1080,
  CKM_AES_ECB = 0x1081,
  CKM_AES_CBC = 0x1082,
  CKM_AES_GCM = 0x1087,
  CKM_AES_KEY_WRAP = 0x2109,
  CKM_AES_KEY_WRAP_PAD = 0x210a,
}

/** CKG_ mask generation functions for RSA-PSS parameters. */
export enum CKG {
  CKG_MGF1_SHA256 = 0x2,
  CKG_MGF1_SHA384 = 0x3,
  CKG_MGF1_SHA512 = 0x4,
}

/** pkcs11js parameter-structure tags (its CK_PARAMS_* values). */
export enum PkcsjsParams {
  CK_PARAMS_RSA_PSS = 5,
}

/** C_Initialize flags (CK_C_INITIALIZE_ARGS.flags). */
export enum CKF_INIT {
  CKF_LIBRARY_CANT_CREATE_OS_THREADS = 0x1,
  CKF_OS_LOCKING_OK = 0x2,
}

/** Session flags for C_OpenSession. */
export enum CKF_SESSION {
  CKF_RW_SESSION = 0x2,
  CKF_SERIAL_SESSION = 0x4,
}

/** CK_SLOT_INFO.flags */
export enum CKF_SLOT {
  CKF_TOKEN_PRESENT = 0x1,
  CKF_REMOVABLE_DEVICE = 0x2,
  CKF_HW_SLOT = 0x4,
}

/** CK_TOKEN_INFO.flags */
export enum CKF_TOKEN {
  CKF_RNG = 0x1,
  CKF_WRITE_PROTECTED = 0x2,
  CKF_LOGIN_REQUIRED = 0x4,
  CKF_USER_PIN_INITIALIZED = 0x8,
  CKF_RESTORE_KEY_NOT_NEEDED = 0x20,
  CKF_CLOCK_ON_TOKEN = 0x40,
  CKF_PROTECTED_AUTHENTICATION_PATH = 0x100,
  CKF_DUAL_CRYPTO_OPERATIONS = 0x200,
  CKF_TOKEN_INITIALIZED = 0x400,
  CKF_SECONDARY_AUTHENTICATION = 0x800,
  CKF_USER_PIN_COUNT_LOW = 0x10000,
  CKF_USER_PIN_FINAL_TRY = 0x20000,
  CKF_USER_PIN_LOCKED = 0x40000,
  CKF_USER_PIN_TO_BE_CHANGED = 0x80000,
  CKF_SO_PIN_COUNT_LOW = 0x100000,
  CKF_SO_PIN_FINAL_TRY = 0x200000,
  CKF_SO_PIN_LOCKED = 0x400000,
  CKF_SO_PIN_TO_BE_CHANGED = 0x800000,
  CKF_ERROR_STATE = 0x1000000,
}

/** CK_MECHANISM_INFO.flags */
export enum CKF_MECHANISM {
  CKF_HW = 0x1,
  CKF_ENCRYPT = 0x100,
  CKF_DECRYPT = 0x200,
  CKF_DIGEST = 0x400,
  CKF_SIGN = 0x800,
  CKF_SIGN_RECOVER = 0x1000,
  CKF_VERIFY = 0x2000,
  CKF_VERIFY_RECOVER = 0x4000,
  CKF_GENERATE = 0x8000,
  CKF_GENERATE_KEY_PAIR = 0x10000,
  CKF_WRAP = 0x20000,
  CKF_UNWRAP = 0x40000,
  CKF_DERIVE = 0x80000,
  CKF_EC_F_P = 0x100000,
  CKF_EC_NAMED_CURVE = 0x800000,
  CKF_EC_UNCOMPRESS = 0x1000000,
  CKF_EC_COMPRESS = 0x2000000,
}

/** The names of the bits set in `flags`, for a flags enum such as CKF_TOKEN. */
export function flagNames<E extends Record<string, string | number>>(flagsEnum: E, flags: number): string[] {
  const names: string[] = [];
  for (const [name, value] of Object.entries(flagsEnum)) {
    if (typeof value === 'number' && value !== 0 && (flags & value) === value) names.push(name);
  }
  return names;
}

/** The standard's name for a mechanism number, or its hex value when we have no name for it. */
export function mechanismName(type: number): string {
  return CKM[type] ?? `0x${type.toString(16).padStart(8, '0')}`;
}
