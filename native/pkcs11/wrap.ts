import { createHash, createPublicKey, randomBytes, verify as nodeVerify } from 'node:crypto';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { CKA, CKK, CKM, CKO, USAGE_ATTRIBUTES, USAGE_FLAGS } from './constants';
import type { Cryptoki, Handle } from './cryptoki';
import { readAttributes, template } from './attributes';
import { LayerErrorCode, Pkcs11LayerError, ckrOf, toLayerError } from './errors';
import { assertLabelFree, checkKeyPolicy, familyOfKeyType } from './key-generation';
import { POLICIES, comparePolicy, expectedAttributes, type PolicyName } from './key-policies';
import { WRAP_MECHANISM } from './mechanisms';
import { classNameOf, describeRef, findObjects, findOne, hexToBytes, type ObjectRef } from './objects';
import { exportPublicKey, fingerprintOfSpki, publicKeyAttributesFromSpki } from './public-key';
import type { TokenSession } from './sessions';

/**
 * Key-encryption keys, wrapping and unwrapping with CKM_AES_KEY_WRAP_PAD (RFC 5649).
 *
 * Keys made with the 'backupable' policy carry CKA_WRAP_WITH_TRUSTED, so only a wrapping key with CKA_TRUSTED can
 * wrap them — and only the Security Officer can set CKA_TRUSTED. The working recipe on SoftHSM2 (PLATFORM-NOTES.md):
 * the SO imports the KEK as a public token object with CKA_TRUSTED, logs out; the user logs in, wraps, destroys it.
 * For restore the user imports the same KEK as a session object that can only unwrap.
 */

export type KekRole = 'trustedWrap' | 'unwrapOnly';

export interface ImportKekRequest {
  readonly label: string;
  readonly value: Uint8Array;
  readonly role: KekRole;
  readonly id?: string;
}

/** A wrapped key with everything needed to recreate it, with its policy, on another token. */
export interface WrappedKey {
  readonly label: string;
  readonly id: string;
  readonly class: 'privateKey' | 'secretKey';
  readonly keyType: number;
  /** The policy the key satisfied when wrapped, or null when it matched none. */
  readonly policy: PolicyName | null;
  /** The key's own boolean attributes (protection and usage), re-applied on unwrap. */
  readonly attributes: Record<string, boolean>;
  readonly valueLen?: number;
  readonly publicKeySpki?: Uint8Array;
  readonly fingerprint?: string;
  readonly wrapped: Uint8Array;
}

/** Boolean attributes carried across a wrap; the history ones (LOCAL, ALWAYS_*, NEVER_*) cannot be set, so are not. */
const CARRIED_BOOLEANS: CKA[] = [CKA.CKA_PRIVATE, CKA.CKA_SENSITIVE, CKA.CKA_EXTRACTABLE, CKA.CKA_WRAP_WITH_TRUSTED, ...USAGE_ATTRIBUTES];

/** The first attributes of an imported AES key: its class, type, label, id and value (the caller's bytes). */
function aesSecretKey(request: { readonly label: string; readonly id?: string; readonly value: Uint8Array }) {
  return [
    [CKA.CKA_CLASS, CKO.CKO_SECRET_KEY],
    [CKA.CKA_KEY_TYPE, CKK.CKK_AES],
    [CKA.CKA_LABEL, request.label],
    [CKA.CKA_ID, hexToBytes(request.id ?? '')],
    [CKA.CKA_VALUE, request.value],
  ] as const;
}

function kekTemplate(request: ImportKekRequest) {
  const common = [
    ...aesSecretKey(request),
    [CKA.CKA_SENSITIVE, true],
    [CKA.CKA_EXTRACTABLE, false],
    [CKA.CKA_ENCRYPT, false],
    [CKA.CKA_DECRYPT, false],
    [CKA.CKA_SIGN, false],
    [CKA.CKA_VERIFY, false],
  ] as const;
  if (request.role === 'trustedWrap') {
    // A public token object, because an SO session object vanishes when the SO logs out, and the user must see it.
    return template([...common, [CKA.CKA_TOKEN, true], [CKA.CKA_PRIVATE, false], [CKA.CKA_TRUSTED, true], [CKA.CKA_WRAP, true], [CKA.CKA_UNWRAP, false]]);
  }
  // A session object: it disappears when the session closes, and it can only unwrap, so it cannot take keys out.
  return template([...common, [CKA.CKA_TOKEN, false], [CKA.CKA_PRIVATE, true], [CKA.CKA_WRAP, false], [CKA.CKA_UNWRAP, true]]);
}

export async function importKek(session: TokenSession, request: ImportKekRequest): Promise<{ label: string }> {
  if (![16, 24, 32].includes(request.value.length)) {
    request.value.fill(0);
    throw new Pkcs11LayerError(LayerErrorCode.InvalidParams, 'A key-encryption key must be an AES key of 16, 24 or 32 bytes.');
  }
  if (request.role === 'trustedWrap' && session.loggedIn !== 'SO') {
    request.value.fill(0);
    throw new Pkcs11LayerError('UserNotLoggedIn', 'Only the Security Officer can import a trusted wrapping key; log in as SO first.');
  }
  const attrs = kekTemplate(request);
  try {
    await session.use(`importing key-encryption key '${request.label}'`, (handle, cryptoki) => {
      assertLabelFree(cryptoki, handle, request.label);
      cryptoki.C_CreateObject(handle, attrs);
    });
  } finally {
    // The template holds a Buffer view over the caller's bytes: zero both.
    request.value.fill(0);
    for (const a of attrs) if (a.type === CKA.CKA_VALUE && Buffer.isBuffer(a.value)) a.value.fill(0);
  }
  return { label: request.label };
}

export interface ImportSecretKeyRequest {
  readonly label: string;
  readonly value: Uint8Array;
  readonly id?: string;
  readonly usage: ReadonlyArray<Exclude<keyof typeof USAGE_FLAGS, 'derive'>>;
}

/** The usages an imported secret may be given (every usage flag but derive), each set true or false explicitly. */
const USAGE_ATTRIBUTE = (({ derive: _derive, ...usages }) => usages)(USAGE_FLAGS);

/** Import an AES secret as a session object (gone when the session closes), sensitive and not extractable. */
export async function importSecretKey(session: TokenSession, request: ImportSecretKeyRequest): Promise<{ label: string }> {
  const usage = Object.entries(USAGE_ATTRIBUTE).map(([name, type]) => [type, request.usage.includes(name as keyof typeof USAGE_ATTRIBUTE)] as const);
  const attrs = template([
    ...aesSecretKey(request),
    [CKA.CKA_TOKEN, false],
    [CKA.CKA_PRIVATE, true],
    [CKA.CKA_SENSITIVE, true],
    [CKA.CKA_EXTRACTABLE, false],
    ...usage,
  ]);
  try {
    await session.use(`importing secret key '${request.label}'`, (handle, cryptoki) => {
      assertLabelFree(cryptoki, handle, request.label);
      cryptoki.C_CreateObject(handle, attrs);
    });
  } finally {
    request.value.fill(0);
  }
  return { label: request.label };
}

function matchingPolicy(family: ReturnType<typeof familyOfKeyType>, attrs: Record<string, unknown>): PolicyName | null {
  for (const policy of Object.values(POLICIES)) {
    if (comparePolicy(expectedAttributes(policy, family, true), attrs).length === 0) return policy.name;
  }
  return null;
}

/**
 * Label and id of every private and secret key, read once per batch: searching the token once per key costs O(n) each
 * on tokens that keep objects in files (SoftHSM2), which made a 500-key backup take seconds.
 */
interface KeyIndexEntry {
  readonly handle: Handle;
  readonly label: string;
  readonly id: string;
  readonly class: 'privateKey' | 'secretKey';
}

function indexKeys(cryptoki: Cryptoki, session: Handle): KeyIndexEntry[] {
  const entries: KeyIndexEntry[] = [];
  for (const cls of ['privateKey', 'secretKey'] as const) {
    for (const handle of findObjects(cryptoki, session, { class: cls })) {
      const a = readAttributes(cryptoki, session, handle, [CKA.CKA_LABEL, CKA.CKA_ID]);
      entries.push({ handle, label: String(a.CKA_LABEL ?? ''), id: Buffer.from((a.CKA_ID as Uint8Array | undefined) ?? []).toString('hex'), class: cls });
    }
  }
  return entries;
}

function resolveKey(index: readonly KeyIndexEntry[], ref: ObjectRef): Handle {
  if (ref.label === undefined && ref.id === undefined) {
    throw new Pkcs11LayerError(LayerErrorCode.InvalidParams, 'Name each key to back up by its label or its id.');
  }
  const matches = index.filter(
    (e) =>
      (ref.label === undefined || e.label === ref.label) &&
      (ref.id === undefined || e.id === ref.id.toLowerCase()) &&
      (ref.class === undefined || e.class === ref.class),
  );
  if (matches.length !== 1) {
    throw new Pkcs11LayerError(
      matches.length ? LayerErrorCode.ObjectAmbiguous : LayerErrorCode.ObjectNotFound,
      matches.length ? `More than one key matches ${describeRef(ref)}.` : `No private or secret key matches ${describeRef(ref)}.`,
      { ref },
    );
  }
  return matches[0].handle;
}

function wrapOne(cryptoki: Cryptoki, session: Handle, kek: Handle, key: Handle, out: Buffer): WrappedKey {
  const meta = readAttributes(cryptoki, session, key, [
    CKA.CKA_CLASS,
    CKA.CKA_KEY_TYPE,
    CKA.CKA_LABEL,
    CKA.CKA_ID,
    CKA.CKA_VALUE_LEN,
    CKA.CKA_TOKEN,
    ...CARRIED_BOOLEANS,
  ]);
  const family = familyOfKeyType(meta.CKA_KEY_TYPE);
  const attributes: Record<string, boolean> = {};
  for (const type of CARRIED_BOOLEANS)
    if (typeof meta[CKA[type] as keyof typeof meta] === 'boolean') attributes[CKA[type]] = meta[CKA[type] as keyof typeof meta] as boolean;
  const wrapped = new Uint8Array(cryptoki.C_WrapKey(session, WRAP_MECHANISM, kek, key, out));
  const label = String(meta.CKA_LABEL ?? '');
  const id = Buffer.from((meta.CKA_ID as Uint8Array | undefined) ?? []).toString('hex');
  let publicKeySpki: Uint8Array | undefined;
  let fingerprint: string | undefined;
  if (meta.CKA_CLASS === CKO.CKO_PRIVATE_KEY) {
    // The public half travels in clear next to the wrapped private key, so the restore can prove it got the same key.
    const pub = findObjects(cryptoki, session, { label, id, class: 'publicKey' }, 1)[0];
    const exported = pub ? exportPublicKey(cryptoki, session, pub) : family === 'RSA' ? exportPublicKey(cryptoki, session, key) : undefined;
    publicKeySpki = exported?.spkiDer;
    fingerprint = exported?.sha256;
  }
  return {
    label,
    id,
    class: classNameOf(meta.CKA_CLASS as number) as 'privateKey' | 'secretKey',
    keyType: meta.CKA_KEY_TYPE as number,
    policy: matchingPolicy(family, meta),
    attributes,
    valueLen: typeof meta.CKA_VALUE_LEN === 'number' ? meta.CKA_VALUE_LEN : undefined,
    publicKeySpki,
    fingerprint,
    wrapped,
  };
}

const SLICE_MS = 8;

/** Wrap each named key under the KEK, in one call. Fails as a whole: a backup missing one key is not a backup. */
export async function wrapKeys(session: TokenSession, kekRef: ObjectRef, keys: readonly ObjectRef[], signal?: AbortSignal): Promise<WrappedKey[]> {
  const kekSearch: ObjectRef = { ...kekRef, class: 'secretKey' };
  return session.use(`wrapping ${keys.length} keys under ${describeRef(kekSearch)}`, async (handle, cryptoki) => {
    const kek = findOne(cryptoki, handle, kekSearch);
    const index = indexKeys(cryptoki, handle);
    const out = Buffer.alloc(16_384);
    const result: WrappedKey[] = [];
    let sliceStart = performance.now();
    for (const ref of keys) {
      try {
        result.push(wrapOne(cryptoki, handle, kek, resolveKey(index, ref), out));
      } catch (e) {
        throw toLayerError(e, `wrapping ${describeRef(ref)}`);
      }
      if (performance.now() - sliceStart > SLICE_MS) {
        await yieldToEventLoop();
        if (signal?.aborted) throw new Pkcs11LayerError(LayerErrorCode.Aborted, 'Wrapping was cancelled.');
        sliceStart = performance.now();
      }
    }
    out.fill(0);
    return result;
  });
}

export interface UnwrappedKey {
  readonly label: string;
  readonly id: string;
  readonly class: 'privateKey' | 'secretKey';
  /** SHA-256 of the public key as restored (private keys only). */
  readonly fingerprint?: string;
  /** The restored private key signed a fresh challenge that the backup's public key verified. */
  readonly proven?: boolean;
}

function unwrapTemplate(item: WrappedKey) {
  const booleans = Object.entries(item.attributes)
    .filter(([name]) => CARRIED_BOOLEANS.includes(CKA[name as keyof typeof CKA]))
    .map(([name, value]) => [CKA[name as keyof typeof CKA], value] as const);
  return template([
    [CKA.CKA_CLASS, item.class === 'privateKey' ? CKO.CKO_PRIVATE_KEY : CKO.CKO_SECRET_KEY],
    [CKA.CKA_KEY_TYPE, item.keyType],
    [CKA.CKA_LABEL, item.label],
    [CKA.CKA_ID, hexToBytes(item.id)],
    [CKA.CKA_TOKEN, true],
    ...booleans,
  ]);
}

/** Sign a random challenge with the restored key and verify it against the backup's public key, outside the token. */
function proveSameKey(cryptoki: Cryptoki, session: Handle, key: Handle, keyType: number, spki: Uint8Array): boolean {
  const challenge = randomBytes(32);
  const publicKey = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  const out = Buffer.alloc(1024);
  if (keyType === CKK.CKK_RSA) {
    cryptoki.C_SignInit(session, { mechanism: CKM.CKM_SHA256_RSA_PKCS }, key);
    return nodeVerify('sha256', challenge, publicKey, cryptoki.C_Sign(session, challenge, out));
  }
  if (keyType === CKK.CKK_EC) {
    // CKM_ECDSA on a host-side digest: every EC-capable token has it, not all have CKM_ECDSA_SHA256.
    cryptoki.C_SignInit(session, { mechanism: CKM.CKM_ECDSA }, key);
    const digest = createHash('sha256').update(challenge).digest();
    return nodeVerify('sha256', challenge, { key: publicKey, dsaEncoding: 'ieee-p1363' }, cryptoki.C_Sign(session, digest, out));
  }
  if (keyType === CKK.CKK_EC_EDWARDS) {
    cryptoki.C_SignInit(session, { mechanism: CKM.CKM_EDDSA }, key);
    return nodeVerify(null, challenge, publicKey, cryptoki.C_Sign(session, challenge, out));
  }
  return false;
}

function unwrapOne(cryptoki: Cryptoki, session: Handle, kek: Handle, item: WrappedKey, labelsInUse: Set<string>): UnwrappedKey {
  if (labelsInUse.has(item.label)) {
    throw new Pkcs11LayerError(LayerErrorCode.LabelExists, `A key labelled '${item.label}' already exists on this token; it was not restored over.`, {
      label: item.label,
    });
  }
  labelsInUse.add(item.label);
  let key: Handle;
  try {
    key = cryptoki.C_UnwrapKey(session, WRAP_MECHANISM, kek, Buffer.from(item.wrapped), unwrapTemplate(item));
  } catch (e) {
    // RFC 5649's integrity check fails for a wrong KEK or a damaged blob; tokens report it variously (SoftHSM2 2.6:
    // CKR_GENERAL_ERROR), so name the likely cause instead of the code.
    const ckr = ckrOf(e);
    if (ckr === 'CKR_GENERAL_ERROR' || ckr === 'CKR_WRAPPED_KEY_INVALID' || ckr === 'CKR_ENCRYPTED_DATA_INVALID' || ckr === 'CKR_FUNCTION_FAILED') {
      throw new Pkcs11LayerError(
        'WrappedKeyInvalid',
        `Key '${item.label}' does not unwrap under this key-encryption key: the KEK is wrong or the backup is damaged.`,
        { ckr, label: item.label },
      );
    }
    throw e;
  }
  if (item.policy) {
    checkKeyPolicy(cryptoki, session, key, item.policy, { fromUnwrap: true, destroyOnMismatch: true, label: item.label });
  }
  if (item.class !== 'privateKey' || !item.publicKeySpki) return { label: item.label, id: item.id, class: item.class };
  const publicAttrs = publicKeyAttributesFromSpki(item.publicKeySpki);
  cryptoki.C_CreateObject(
    session,
    template([
      [CKA.CKA_CLASS, CKO.CKO_PUBLIC_KEY],
      [CKA.CKA_LABEL, item.label],
      [CKA.CKA_ID, hexToBytes(item.id)],
      [CKA.CKA_TOKEN, true],
      [CKA.CKA_PRIVATE, false],
      [CKA.CKA_VERIFY, true],
      ...publicAttrs,
    ]),
  );
  const proven = proveSameKey(cryptoki, session, key, item.keyType, item.publicKeySpki);
  if (!proven) {
    throw new Pkcs11LayerError('RestoreMismatch', `Key '${item.label}' was restored but does not match the public key recorded in the backup.`, {
      label: item.label,
    });
  }
  // For RSA the fingerprint is recomputed from the restored private key's own modulus, independently of the bundle.
  const fingerprint = item.keyType === CKK.CKK_RSA ? exportPublicKey(cryptoki, session, key).sha256 : fingerprintOfSpki(item.publicKeySpki);
  return { label: item.label, id: item.id, class: item.class, fingerprint, proven };
}

/** Unwrap every blob into the token with its recorded attributes, in one call; stops at the first failure. */
export async function unwrapKeys(session: TokenSession, kekRef: ObjectRef, items: readonly WrappedKey[], signal?: AbortSignal): Promise<UnwrappedKey[]> {
  const kekSearch: ObjectRef = { ...kekRef, class: 'secretKey' };
  return session.use(`unwrapping ${items.length} keys under ${describeRef(kekSearch)}`, async (handle, cryptoki) => {
    const kek = findOne(cryptoki, handle, kekSearch);
    // Every label on the token, read once (see indexKeys for why).
    const labelsInUse = new Set(findObjects(cryptoki, handle, {}).map((o) => String(readAttributes(cryptoki, handle, o, [CKA.CKA_LABEL]).CKA_LABEL ?? '')));
    const result: UnwrappedKey[] = [];
    let sliceStart = performance.now();
    for (const item of items) {
      try {
        result.push(unwrapOne(cryptoki, handle, kek, item, labelsInUse));
      } catch (e) {
        throw toLayerError(e, `unwrapping key '${item.label}'`, { restored: result.map((r) => r.label) });
      }
      if (performance.now() - sliceStart > SLICE_MS) {
        await yieldToEventLoop();
        if (signal?.aborted) throw new Pkcs11LayerError(LayerErrorCode.Aborted, `Unwrapping was cancelled after ${result.length} keys.`);
        sliceStart = performance.now();
      }
    }
    return result;
  });
}
