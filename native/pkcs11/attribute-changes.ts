import { CKA, USAGE_FLAGS } from './constants';
import type { Cryptoki, Handle } from './cryptoki';
import { toLayerError } from './errors';

/**
 * Changing a key's attributes where the token allows it, one attribute at a time, so a token that refuses one
 * change (CKR_ATTRIBUTE_READ_ONLY: many HSMs never let CKA_SIGN be turned off) still takes the others, and the
 * ceremony can say plainly which were refused.
 */
export interface AttributeChanges {
  readonly label?: string;
  /** usages to turn off (only ever false: a ceremony retires a key, it never widens what it may do) */
  readonly sign?: false;
  readonly verify?: false;
  readonly encrypt?: false;
  readonly decrypt?: false;
  readonly wrap?: false;
  readonly unwrap?: false;
  readonly derive?: false;
}

export interface AttributeChangeResult {
  readonly attribute: string;
  readonly changed: boolean;
  /** the token's reason when it refused, e.g. CKR_ATTRIBUTE_READ_ONLY */
  readonly refusedWith?: string;
}

const USAGE: Record<Exclude<keyof AttributeChanges, 'label'>, CKA> = USAGE_FLAGS;

const CKA_NAME = (type: CKA) => (Object.entries(CKA).find(([, v]) => v === type)?.[0] as string) ?? `0x${type.toString(16)}`;

export function applyAttributeChanges(cryptoki: Cryptoki, session: Handle, object: Handle, changes: AttributeChanges): AttributeChangeResult[] {
  const list: { type: CKA; value: string | boolean }[] = [];
  if (changes.label !== undefined) list.push({ type: CKA.CKA_LABEL, value: changes.label });
  for (const [name, type] of Object.entries(USAGE) as [keyof typeof USAGE, CKA][]) if (changes[name] === false) list.push({ type, value: false });
  return list.map(({ type, value }) => {
    try {
      cryptoki.C_SetAttributeValue(session, object, [{ type, value }]);
      return { attribute: CKA_NAME(type), changed: true };
    } catch (e) {
      const code = (e as { message?: string }).message ?? '';
      // yubihsm_pkcs11 changes only CKA_ID and CKA_LABEL and answers CKR_FUNCTION_NOT_SUPPORTED for anything else
      // (pkcs11/yubihsm_pkcs11.c C_SetAttributeValue, 2.8.0): a refusal of this change, not a broken token
      if (
        /^CKR_(ATTRIBUTE_READ_ONLY|ATTRIBUTE_TYPE_INVALID|ATTRIBUTE_VALUE_INVALID|ACTION_PROHIBITED|TEMPLATE_INCONSISTENT|FUNCTION_NOT_SUPPORTED)/.test(code)
      ) {
        return { attribute: CKA_NAME(type), changed: false, refusedWith: code.split(':')[0] };
      }
      throw toLayerError(e, `changing ${CKA_NAME(type)}`);
    }
  });
}
