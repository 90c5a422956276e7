import { CKA, CKO } from './constants';
import type { CkAttribute, Cryptoki, Handle } from './cryptoki';
import { type AttributeMap, className, describableAttributes, keyTypeName, readAttributes } from './attributes';
import { LayerErrorCode, Pkcs11LayerError, toLayerError } from './errors';

/**
 * Finding, describing and destroying objects. Objects are named by label and/or id (+ class); handles stay inside
 * a single call, because SoftHSM2 (and others) invalidate them after logout and a new login.
 */

export type ObjectClassName = 'privateKey' | 'publicKey' | 'secretKey' | 'certificate' | 'data';

export const OBJECT_CLASS: Record<ObjectClassName, CKO> = {
  privateKey: CKO.CKO_PRIVATE_KEY,
  publicKey: CKO.CKO_PUBLIC_KEY,
  secretKey: CKO.CKO_SECRET_KEY,
  certificate: CKO.CKO_CERTIFICATE,
  data: CKO.CKO_DATA,
};

export function classNameOf(cko: number): ObjectClassName | undefined {
  return (Object.keys(OBJECT_CLASS) as ObjectClassName[]).find((name) => OBJECT_CLASS[name] === cko);
}

/** How callers name an object. `id` is hex. At least one of label and id is needed to act on one object. */
export interface ObjectRef {
  readonly label?: string;
  readonly id?: string;
  readonly class?: ObjectClassName;
}

export interface ObjectSummary {
  readonly class: ObjectClassName | string;
  readonly keyType?: string;
  readonly label: string;
  readonly id: string;
  readonly attributes: Record<string, boolean | number | string>;
}

export function describeRef(ref: ObjectRef): string {
  const parts: string[] = [];
  if (ref.label !== undefined) parts.push(`label '${ref.label}'`);
  if (ref.id !== undefined) parts.push(`id ${ref.id}`);
  const what = ref.class ? ref.class.replace(/Key$/, ' key') : 'object';
  return parts.length ? `${what} with ${parts.join(' and ')}` : `any ${what}`;
}

export function hexToBytes(hex: string): Buffer {
  if (!/^([0-9a-fA-F]{2})*$/.test(hex)) {
    throw new Pkcs11LayerError(LayerErrorCode.InvalidParams, `The key id '${hex}' is not hexadecimal.`);
  }
  return Buffer.from(hex, 'hex');
}

function searchTemplate(ref: ObjectRef): CkAttribute[] {
  const t: CkAttribute[] = [];
  if (ref.class) t.push({ type: CKA.CKA_CLASS, value: OBJECT_CLASS[ref.class] });
  if (ref.label !== undefined) t.push({ type: CKA.CKA_LABEL, value: ref.label });
  if (ref.id !== undefined) t.push({ type: CKA.CKA_ID, value: hexToBytes(ref.id) });
  return t;
}

export function findObjects(cryptoki: Cryptoki, session: Handle, ref: ObjectRef, limit = 10_000): Handle[] {
  try {
    cryptoki.C_FindObjectsInit(session, searchTemplate(ref));
    try {
      const found: Handle[] = [];
      for (;;) {
        const batch = cryptoki.C_FindObjects(session, 100);
        found.push(...batch);
        if (batch.length < 100 || found.length >= limit) return found;
      }
    } finally {
      cryptoki.C_FindObjectsFinal(session);
    }
  } catch (e) {
    throw toLayerError(e, `looking for ${describeRef(ref)}`);
  }
}

/** Exactly one object, or a clear error: acting on "the first of several" keys is how ceremonies go wrong. */
export function findOne(cryptoki: Cryptoki, session: Handle, ref: ObjectRef): Handle {
  if (ref.label === undefined && ref.id === undefined) {
    throw new Pkcs11LayerError(LayerErrorCode.InvalidParams, 'Name the key by its label or its id.');
  }
  const found = findObjects(cryptoki, session, ref, 2);
  if (found.length === 0) throw new Pkcs11LayerError(LayerErrorCode.ObjectNotFound, `No ${describeRef(ref)} on this token.`, { ref });
  if (found.length > 1) {
    throw new Pkcs11LayerError(LayerErrorCode.ObjectAmbiguous, `More than one ${describeRef(ref)} on this token; name it by label, id and class.`, { ref });
  }
  return found[0];
}

function bytesToHex(value: unknown): string {
  return value instanceof Uint8Array ? Buffer.from(value).toString('hex') : '';
}

/** A structured-cloneable summary; byte attributes other than the id (EC params, modulus) are shown as hex. */
export function summarise(attributes: AttributeMap): ObjectSummary {
  const flat: Record<string, boolean | number | string> = {};
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined) continue;
    flat[name] = value instanceof Uint8Array ? Buffer.from(value).toString('hex') : value;
  }
  const cls = typeof attributes.CKA_CLASS === 'number' ? attributes.CKA_CLASS : -1;
  return {
    class: classNameOf(cls) ?? className(cls),
    keyType: typeof attributes.CKA_KEY_TYPE === 'number' ? keyTypeName(attributes.CKA_KEY_TYPE) : undefined,
    label: typeof attributes.CKA_LABEL === 'string' ? attributes.CKA_LABEL : '',
    id: bytesToHex(attributes.CKA_ID),
    attributes: flat,
  };
}

export function describeObject(cryptoki: Cryptoki, session: Handle, object: Handle): ObjectSummary {
  const classValue = readAttributes(cryptoki, session, object, [CKA.CKA_CLASS]).CKA_CLASS;
  return summarise(readAttributes(cryptoki, session, object, describableAttributes(Number(classValue))));
}

export function destroyObject(cryptoki: Cryptoki, session: Handle, object: Handle, what: string): void {
  try {
    cryptoki.C_DestroyObject(session, object);
  } catch (e) {
    throw toLayerError(e, `destroying ${what}`);
  }
}
