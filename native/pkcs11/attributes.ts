import { CKA, CKK, CKO, USAGE_ATTRIBUTES, USAGE_FLAGS } from './constants';
import type { CkAttribute, Cryptoki, Handle } from './cryptoki';
import { ckrOf, toLayerError } from './errors';

/**
 * Reading attributes with typed decoding. pkcs11js hands back raw bytes; here each attribute we use gets its type:
 * CK_BBOOL as boolean, CK_ULONG as number, labels as text, everything else as bytes.
 */

export type AttributeValue = boolean | number | string | Uint8Array;

const BOOLEAN_ATTRIBUTES = new Set<CKA>([
  CKA.CKA_TOKEN,
  CKA.CKA_PRIVATE,
  CKA.CKA_TRUSTED,
  CKA.CKA_SENSITIVE,
  ...Object.values(USAGE_FLAGS),
  CKA.CKA_EXTRACTABLE,
  CKA.CKA_LOCAL,
  CKA.CKA_NEVER_EXTRACTABLE,
  CKA.CKA_ALWAYS_SENSITIVE,
  CKA.CKA_MODIFIABLE,
  CKA.CKA_COPYABLE,
  CKA.CKA_DESTROYABLE,
  CKA.CKA_WRAP_WITH_TRUSTED,
]);
const NUMBER_ATTRIBUTES = new Set<CKA>([CKA.CKA_CLASS, CKA.CKA_KEY_TYPE, CKA.CKA_MODULUS_BITS, CKA.CKA_VALUE_LEN]);
const TEXT_ATTRIBUTES = new Set<CKA>([CKA.CKA_LABEL]);

/** CK_ULONG is the platform's unsigned long: 8 bytes on 64-bit Linux and macOS, 4 on Windows. */
function readUlong(bytes: Buffer): number {
  if (bytes.length === 8) return Number(bytes.readBigUInt64LE(0));
  if (bytes.length === 4) return bytes.readUInt32LE(0);
  if (bytes.length === 0) return 0;
  let value = 0;
  for (let i = bytes.length - 1; i >= 0; i--) value = value * 256 + bytes[i];
  return value;
}

export function decodeAttribute(type: CKA, raw: Buffer): AttributeValue {
  if (BOOLEAN_ATTRIBUTES.has(type)) return raw.length > 0 && raw[0] !== 0;
  if (NUMBER_ATTRIBUTES.has(type)) return readUlong(raw);
  if (TEXT_ATTRIBUTES.has(type)) return raw.toString('utf8');
  return new Uint8Array(raw);
}

export type AttributeMap = Partial<Record<keyof typeof CKA, AttributeValue>>;

/**
 * Read the given attributes. One call first; if the token refuses one of them (sensitive, or unknown to this object
 * type) the whole call fails, so fall back to one call per attribute and leave the refused ones out.
 */
export function readAttributes(cryptoki: Cryptoki, session: Handle, object: Handle, types: readonly CKA[]): AttributeMap {
  const result: AttributeMap = {};
  const store = (type: number, value: Buffer) => {
    result[CKA[type] as keyof typeof CKA] = decodeAttribute(type, value);
  };
  try {
    for (const attr of cryptoki.C_GetAttributeValue(
      session,
      object,
      types.map((type) => ({ type })),
    ))
      store(attr.type, attr.value);
    return result;
  } catch (e) {
    const ckr = ckrOf(e);
    if (ckr !== 'CKR_ATTRIBUTE_SENSITIVE' && ckr !== 'CKR_ATTRIBUTE_TYPE_INVALID') throw toLayerError(e, 'reading key attributes');
  }
  for (const type of types) {
    try {
      const [attr] = cryptoki.C_GetAttributeValue(session, object, [{ type }]);
      store(attr.type, attr.value);
    } catch (e) {
      const ckr = ckrOf(e);
      if (ckr !== 'CKR_ATTRIBUTE_SENSITIVE' && ckr !== 'CKR_ATTRIBUTE_TYPE_INVALID') throw toLayerError(e, 'reading key attributes');
    }
  }
  return result;
}

/** The attributes worth showing for an object of each class (never CKA_VALUE of a secret). */
export function describableAttributes(objectClass: number): CKA[] {
  const common = [CKA.CKA_CLASS, CKA.CKA_KEY_TYPE, CKA.CKA_LABEL, CKA.CKA_ID, CKA.CKA_TOKEN, CKA.CKA_PRIVATE, CKA.CKA_MODIFIABLE];
  // how a private or secret key is kept: readable in clear or not, extractable or not, and its history
  const protection = [CKA.CKA_SENSITIVE, CKA.CKA_EXTRACTABLE, CKA.CKA_NEVER_EXTRACTABLE, CKA.CKA_ALWAYS_SENSITIVE, CKA.CKA_WRAP_WITH_TRUSTED];
  switch (objectClass) {
    case CKO.CKO_PRIVATE_KEY:
      return [...common, ...protection, CKA.CKA_LOCAL, CKA.CKA_SIGN, CKA.CKA_DECRYPT, CKA.CKA_UNWRAP, CKA.CKA_DERIVE, CKA.CKA_MODULUS_BITS, CKA.CKA_EC_PARAMS];
    case CKO.CKO_SECRET_KEY:
      return [...common, ...protection, CKA.CKA_TRUSTED, CKA.CKA_LOCAL, ...USAGE_ATTRIBUTES, CKA.CKA_VALUE_LEN];
    case CKO.CKO_PUBLIC_KEY:
      return [...common, CKA.CKA_TRUSTED, CKA.CKA_VERIFY, CKA.CKA_ENCRYPT, CKA.CKA_WRAP, CKA.CKA_LOCAL, CKA.CKA_MODULUS_BITS, CKA.CKA_EC_PARAMS];
    default:
      return common;
  }
}

/** Names for CKO/CKK numbers in results. */
export function className(value: number): string {
  return CKO[value] ?? `0x${value.toString(16)}`;
}
export function keyTypeName(value: number): string {
  return CKK[value] ?? `0x${value.toString(16)}`;
}

/** Build a pkcs11js template from our enum names; Uint8Array values become Buffers as pkcs11js requires. */
export function template(entries: ReadonlyArray<readonly [CKA, boolean | number | string | Uint8Array]>): CkAttribute[] {
  return entries.map(([type, value]) => ({
    type,
    value: value instanceof Uint8Array ? Buffer.from(value.buffer, value.byteOffset, value.byteLength) : value,
  }));
}
