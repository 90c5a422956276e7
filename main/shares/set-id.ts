import { randomBytes } from 'node:crypto';

// A set id names one split: every share of the set carries it, so a card from another backup is
// refused by name before anything is combined. It is random, not secret, and printed on every card.

export const SET_ID_BYTES = 8;

const SET_ID_TEXT = /^[0-9a-f]{16}$/;

/** Canonical text form, as printed and journalled: four groups of four lowercase hex digits, e.g. "3f2a-91c0-77de-0b14". */
export function formatSetId(bytes: Uint8Array): string {
  if (bytes.length !== SET_ID_BYTES) throw new RangeError(`A set id is ${SET_ID_BYTES} bytes, got ${bytes.length}`);
  const hex = Buffer.from(bytes).toString('hex');
  return hex.match(/.{4}/g)!.join('-');
}

/** Accepts any case, with or without dashes or spaces; returns the 8 bytes. */
export function setIdToBytes(setId: string): Uint8Array {
  const compact = setId.replace(/[\s-]/g, '').toLowerCase();
  if (!SET_ID_TEXT.test(compact)) {
    throw new RangeError('A set id is 16 hexadecimal digits, e.g. 3f2a-91c0-77de-0b14');
  }
  return Uint8Array.from(Buffer.from(compact, 'hex'));
}

/** Normalises any accepted spelling of a set id to the canonical form. */
export function normalizeSetId(setId: string): string {
  return formatSetId(setIdToBytes(setId));
}

export function newSetId(): string {
  return formatSetId(randomBytes(SET_ID_BYTES));
}
