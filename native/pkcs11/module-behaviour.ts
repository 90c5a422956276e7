import { randomBytes } from 'node:crypto';
import { CKA, CKF_SESSION, CKO } from './constants';
import type { Cryptoki, Handle } from './cryptoki';
import { ckrOf } from './errors';

/**
 * What a module does that PKCS#11 leaves open, learned per token rather than assumed from SoftHSM2's habits:
 *   - may random bytes be drawn before login? (yubihsm_pkcs11: no, CKR_USER_NOT_LOGGED_IN)
 *   - are objects visible before login? (yubihsm_pkcs11: no object at all is found without a session on the device)
 * Both are probed in a fresh read-only session while nobody is logged in: one random byte, and a public session
 * object (gone with the session) looked for by its label. What cannot be probed without changing the token — the
 * CKA_ID sizes an object holds and the longest label — comes from the module's identity (C_GetInfo): Yubico's module
 * holds 2-byte ids and 40-byte labels on the object and keeps anything else in a separate meta object (yubihsm-shell,
 * pkcs11/util_pkcs11.c: write_meta_object), which can be lost apart from the key it describes.
 */

/** What C_GetInfo says a module is: the profiles are matched on it (module-loader.ts gives it with ModuleInfo). */
export interface ModuleIdentity {
  readonly manufacturer: string;
  readonly description: string;
}

export type Learned<T extends string> = T | 'unknown';

export interface IdSizes {
  /** Bytes an object holds itself; undefined: any size (no known limit). */
  readonly nativeBytes?: number;
  /** Where other sizes go, in words. */
  readonly otherSizes: string;
}

export interface ModuleBehaviour {
  readonly randomBeforeLogin: Learned<'allowed' | 'refused'>;
  readonly objectsBeforeLogin: Learned<'visible' | 'hidden'>;
  readonly idSizes: IdSizes;
  /** The longest label an object holds itself, in bytes; undefined: no known limit. */
  readonly labelMaxBytes?: number;
  /** The id length Custodian draws for a new key on this module. */
  readonly preferredIdBytes: number;
  /** Which known module the limits come from, or 'generic'. */
  readonly profile: string;
  /** Token and PIN administration the module does not offer over PKCS#11; undefined: none known missing. */
  readonly pinAdministration?: PinAdministrationLimit;
  /** Why Custodian's PKCS#11 key backup (and so restore, and the backupable policy) cannot run on this module; undefined: it can. */
  readonly keyBackupRefusal?: string;
  /** One line per fact, for `custodian devices` and the details view. */
  readonly summary: string[];
}

/** A module that cannot initialise a token, reset or change a PIN over PKCS#11, in the room's words and PKCS#11's. */
export interface PinAdministrationLimit {
  /** the limit, in plain words, naming the module */
  readonly limit: string;
  /** what to use instead */
  readonly instead: string;
  /** the PKCS#11 functions and login it lacks, for the details view */
  readonly unsupported: readonly string[];
}

interface Profile {
  readonly name: string;
  matches(info: ModuleIdentity): boolean;
  readonly idSizes: IdSizes;
  readonly labelMaxBytes?: number;
  readonly pinAdministration?: PinAdministrationLimit;
  readonly keyBackupRefusal?: string;
}

/**
 * yubihsm_pkcs11 answers CKR_FUNCTION_NOT_SUPPORTED to C_InitToken, C_InitPIN and C_SetPIN and CKR_USER_TYPE_INVALID
 * to any login but CKU_USER (yubihsm-shell 2.8.0 pkcs11/yubihsm_pkcs11.c:827-869, 1303-1336): a YubiHSM's
 * authentication keys and their passwords are managed on the device, not through PKCS#11.
 */
const YUBIHSM_PIN_ADMINISTRATION: PinAdministrationLimit = {
  limit:
    'Yubico’s YubiHSM module cannot initialise a token, reset or change a PIN: it has no security-officer login, and a YubiHSM’s passwords belong to its authentication keys, which are managed on the device itself.',
  instead:
    'Use Custodian’s YubiHSM ceremonies instead: yubihsm-auth-rotation to change an authentication key’s password or replace the key, yubihsm-setup to set up a YubiHSM from its factory state.',
  unsupported: ['C_InitToken', 'C_InitPIN', 'C_SetPIN', 'C_Login(CKU_SO)'],
};

/**
 * yubihsm_pkcs11 2.8.0 refuses CKA_WRAP_WITH_TRUSTED in a key template (CKR_ATTRIBUTE_TYPE_INVALID,
 * pkcs11/util_pkcs11.c parse_*_generate_template) and its C_WrapKey / C_UnwrapKey take only CKM_YUBICO_AES_CCM_WRAP,
 * CKM_YUBICO_RSA_WRAP and CKM_RSA_AES_KEY_WRAP (check_wrap_mechanism, util_pkcs11.c:2413-2434), whose blobs only a
 * YubiHSM's own wrap key opens; Custodian's PKCS#11 backup wraps under a trusted KEK with CKM_AES_KEY_WRAP_PAD.
 */
const YUBIHSM_BACKUP_REFUSAL =
  'Yubico’s YubiHSM module cannot carry Custodian’s split-knowledge backup: it cannot make a key that may leave the ' +
  'device only wrapped under a key the Security Officer trusts, and it wraps and unwraps keys only under a YubiHSM’s ' +
  'own wrap keys, not under the key-encryption key the custodians share. Back up a YubiHSM 2 with Custodian’s own ' +
  'YubiHSM ceremonies: yubihsm-setup makes the wrap key and the wrapped backups, yubihsm-key-generation makes keys ' +
  'backupable under it, and yubihsm-restore brings them back.';

const PROFILES: readonly Profile[] = [
  {
    name: 'yubihsm_pkcs11',
    matches: (info) => /^Yubico\b/.test(info.manufacturer) && /YubiHSM/i.test(info.description),
    idSizes: { nativeBytes: 2, otherSizes: 'kept in a separate meta object beside the key' },
    labelMaxBytes: 40,
    pinAdministration: YUBIHSM_PIN_ADMINISTRATION,
    keyBackupRefusal: YUBIHSM_BACKUP_REFUSAL,
  },
];

const GENERIC: Profile = { name: 'generic', matches: () => true, idSizes: { otherSizes: 'held by the object' } };

export function profileOf(info: ModuleIdentity): Profile {
  return PROFILES.find((p) => p.matches(info)) ?? GENERIC;
}

/** Drawn ids: the module's native size when it has one, else 8 bytes (unique enough for one token's keys). */
const DEFAULT_ID_BYTES = 8;

function isLoggedInState(state: number): boolean {
  // CKS_RO_USER_FUNCTIONS 1, CKS_RW_USER_FUNCTIONS 3, CKS_RW_SO_FUNCTIONS 4
  return state === 1 || state === 3 || state === 4;
}

function probeRandom(cryptoki: Cryptoki, session: Handle): Learned<'allowed' | 'refused'> {
  try {
    cryptoki.C_GenerateRandom(session, Buffer.alloc(1));
    return 'allowed';
  } catch (e) {
    // CKR_USER_NOT_LOGGED_IN is what yubihsm_pkcs11 says; any refusal means "not before login" for a ceremony.
    return ckrOf(e) ? 'refused' : 'unknown';
  }
}

function probeObjects(cryptoki: Cryptoki, session: Handle): Learned<'visible' | 'hidden'> {
  const label = `custodian-probe-${randomBytes(8).toString('hex')}`;
  let object: Handle;
  try {
    object = cryptoki.C_CreateObject(session, [
      { type: CKA.CKA_CLASS, value: CKO.CKO_DATA },
      { type: CKA.CKA_TOKEN, value: false },
      { type: CKA.CKA_PRIVATE, value: false },
      { type: CKA.CKA_LABEL, value: label },
    ]);
  } catch {
    return 'unknown'; // the module makes no object before login: nothing tells whether it would show one
  }
  try {
    cryptoki.C_FindObjectsInit(session, [{ type: CKA.CKA_LABEL, value: label }]);
    try {
      return cryptoki.C_FindObjects(session, 1).length > 0 ? 'visible' : 'hidden';
    } finally {
      cryptoki.C_FindObjectsFinal(session);
    }
  } catch {
    return 'unknown';
  } finally {
    try {
      cryptoki.C_DestroyObject(session, object);
    } catch {
      // a session object goes with its session anyway
    }
  }
}

/** The facts a probe found, or undefined when the token was logged in (then nothing can be learned about "before"). */
export function probeBehaviour(
  cryptoki: Cryptoki,
  slot: Handle,
): { randomBeforeLogin: Learned<'allowed' | 'refused'>; objectsBeforeLogin: Learned<'visible' | 'hidden'> } | undefined {
  let session: Handle;
  try {
    session = cryptoki.C_OpenSession(slot, CKF_SESSION.CKF_SERIAL_SESSION);
  } catch {
    return undefined;
  }
  try {
    if (isLoggedInState(cryptoki.C_GetSessionInfo(session).state)) return undefined;
    return { randomBeforeLogin: probeRandom(cryptoki, session), objectsBeforeLogin: probeObjects(cryptoki, session) };
  } catch {
    return undefined;
  } finally {
    try {
      cryptoki.C_CloseSession(session);
    } catch {
      // already gone with the token
    }
  }
}

export function describeBehaviour(
  info: ModuleIdentity,
  probed: { randomBeforeLogin: Learned<'allowed' | 'refused'>; objectsBeforeLogin: Learned<'visible' | 'hidden'> } | undefined,
): ModuleBehaviour {
  const profile = profileOf(info);
  const randomBeforeLogin = probed?.randomBeforeLogin ?? 'unknown';
  const objectsBeforeLogin = probed?.objectsBeforeLogin ?? 'unknown';
  const ids = profile.idSizes.nativeBytes
    ? `${profile.idSizes.nativeBytes}-byte key ids held by the key; other sizes ${profile.idSizes.otherSizes}`
    : 'key ids of any size held by the key';
  return {
    randomBeforeLogin,
    objectsBeforeLogin,
    idSizes: profile.idSizes,
    ...(profile.labelMaxBytes ? { labelMaxBytes: profile.labelMaxBytes } : {}),
    ...(profile.keyBackupRefusal ? { keyBackupRefusal: profile.keyBackupRefusal } : {}),
    preferredIdBytes: profile.idSizes.nativeBytes ?? DEFAULT_ID_BYTES,
    profile: profile.name,
    ...(profile.pinAdministration ? { pinAdministration: profile.pinAdministration } : {}),
    summary: [
      `random bytes before login: ${randomBeforeLogin === 'allowed' ? 'allowed' : randomBeforeLogin === 'refused' ? 'refused (drawn after login, or by the host)' : 'not known'}`,
      `objects before login: ${objectsBeforeLogin === 'visible' ? 'visible' : objectsBeforeLogin === 'hidden' ? 'hidden (checks run after login)' : 'not known (checks run after login)'}`,
      `id sizes: ${ids}`,
      `labels: ${profile.labelMaxBytes ? `at most ${profile.labelMaxBytes} bytes held by the key` : 'no known limit'}`,
      ...(profile.pinAdministration ? [`token and PIN administration: not offered (${profile.pinAdministration.unsupported.join(', ')} unsupported)`] : []),
      ...(profile.keyBackupRefusal ? ['key backup and restore (PKCS#11 wrap under a trusted key): not offered'] : []),
      ...(profile.name !== 'generic' ? [`limits known for ${profile.name}`] : []),
    ],
  };
}
