import { isUtf8 } from 'node:buffer';
import { JournalError, JournalErrorCode } from '../errors';

/**
 * The journal's guard on values: while a ceremony holds secrets (typed PINs, a KEK, an SO-PIN, share texts), an event
 * that contains any of them is refused before it is written — as the raw text, as hex in either case, as base64 or
 * base64url (with or without padding), or, for a share, its text in any case and grouping. The error names the
 * field's path, never the value. secret-guard.ts refuses secret-looking field names; this refuses the values
 * themselves, whatever the field is called.
 *
 * Short forms (under 8 characters, e.g. a 6-digit user PIN) are refused only when they are a whole value: as a
 * substring they would match serial numbers and counters by chance and stop honest events.
 *
 * Cheap by construction: the event is serialised once and every form is searched in it as bytes (Buffer.indexOf);
 * the forms are built in buffers that are zeroed after the check, so guarding makes no string copies of a secret.
 * Only an event that already looks guilty is walked field by field to name the path.
 */
export type SecretValue = Uint8Array | string;
export type SecretValueSource = () => Iterable<SecretValue>;

/** below this many characters a form is matched only as a whole value */
export const MIN_SUBSTRING_FORM = 8;

type Fold = 'none' | 'lower' | 'compact';

interface Form {
  /** what is searched for, already in the haystack's folding; zeroed after the check */
  bytes: Buffer;
  /** how the haystack is folded first: none, lowercase, or lowercase without blanks and dashes */
  fold: Fold;
  /** the form's name for the refusal ("as hex") */
  as: string;
  /** a quote, a backslash or a control character: JSON would escape it, so the serialised event cannot show it */
  escaped: boolean;
}

function allZero(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== 0) return false;
  return true;
}

function needsEscape(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] < 0x20 || bytes[i] === 0x22 || bytes[i] === 0x5c) return true;
  return false;
}

function form(bytes: Buffer, fold: Fold, as: string): Form {
  return { bytes, fold, as, escaped: needsEscape(bytes) };
}

const HEX = Buffer.from('0123456789abcdef');
const BASE64 = Buffer.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/');
const BASE64URL = Buffer.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_');

function hexOf(bytes: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(bytes.length * 2);
  for (let i = 0; i < bytes.length; i++) {
    out[2 * i] = HEX[bytes[i] >> 4];
    out[2 * i + 1] = HEX[bytes[i] & 15];
  }
  return out;
}

/** base64 without padding, in the given alphabet */
function base64Of(bytes: Uint8Array, alphabet: Buffer): Buffer {
  const out = Buffer.allocUnsafe(Math.ceil((bytes.length * 4) / 3));
  let o = 0;
  for (let i = 0; i < bytes.length; i += 3) {
    const left = bytes.length - i;
    // never read past the end: an out-of-bounds read of a typed array is slow
    const n = (bytes[i] << 16) | (left > 1 ? bytes[i + 1] << 8 : 0) | (left > 2 ? bytes[i + 2] : 0);
    out[o++] = alphabet[(n >> 18) & 63];
    out[o++] = alphabet[(n >> 12) & 63];
    if (left > 1) out[o++] = alphabet[(n >> 6) & 63];
    if (left > 2) out[o++] = alphabet[n & 63];
  }
  return out.subarray(0, o);
}

/** ASCII lowercase in place; blanks and dashes dropped when compacting */
function foldBytes(bytes: Uint8Array, fold: Fold): Buffer {
  const out = Buffer.allocUnsafe(bytes.length);
  let o = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (fold === 'compact' && (b === 0x20 || b === 0x2d || b === 0x09 || b === 0x0a || b === 0x0d)) continue;
    out[o++] = fold !== 'none' && b >= 0x41 && b <= 0x5a ? b + 32 : b;
  }
  return out.subarray(0, o);
}

function formsOfBytes(bytes: Uint8Array, forms: Form[]): void {
  if (bytes.length === 0 || allZero(bytes)) return; // zeroed: nothing left to leak
  // bytes that are not UTF-8 cannot appear as text in JSON: only their encodings can
  if (isUtf8(bytes)) forms.push(form(Buffer.from(bytes), 'none', 'typed'));
  forms.push(form(hexOf(bytes), 'lower', 'hex'));
  forms.push(form(base64Of(bytes, BASE64), 'none', 'base64'));
  forms.push(form(base64Of(bytes, BASE64URL), 'none', 'base64url'));
}

/** Every form of every secret the source yields now (secrets come and go between appends). The caller zeroes them. */
function secretForms(secrets: Iterable<SecretValue>): Form[] {
  const forms: Form[] = [];
  for (const secret of secrets) {
    if (typeof secret === 'string') {
      const raw = Buffer.from(secret, 'utf8');
      const compacted = foldBytes(raw, 'compact');
      if (compacted.length > 0) {
        forms.push(form(compacted, 'compact', 'typed'));
        // a bech32 text (a share) is also refused without its human-readable prefix: the groups alone are the share
        const separator = compacted.lastIndexOf(0x31);
        if (separator > 0 && compacted.length - separator > 16) forms.push(form(compacted.subarray(separator + 1), 'compact', 'typed'));
      }
      formsOfBytes(raw, forms);
      raw.fill(0);
    } else {
      formsOfBytes(secret, forms);
    }
  }
  return forms.filter((f) => f.bytes.length > 0);
}

function zero(forms: readonly Form[]): void {
  for (const f of forms) f.bytes.fill(0);
}

/** The value as the haystack of one fold, once per value. */
function foldedViews(value: string): Record<Fold, () => Buffer> {
  const cache: Partial<Record<Fold, Buffer>> = {};
  const raw = Buffer.from(value, 'utf8');
  return {
    none: () => raw,
    lower: () => (cache.lower ??= foldBytes(raw, 'lower')),
    compact: () => (cache.compact ??= foldBytes(raw, 'compact')),
  };
}

function trimmedEquals(haystack: Buffer, form: Buffer): boolean {
  let start = 0;
  let end = haystack.length;
  while (start < end && haystack[start] <= 0x20) start++;
  while (end > start && haystack[end - 1] <= 0x20) end--;
  return end - start === form.length && haystack.subarray(start, end).equals(form);
}

function leakIn(value: string, forms: readonly Form[]): Form | undefined {
  const views = foldedViews(value);
  for (const f of forms) {
    const haystack = views[f.fold]();
    if (f.bytes.length >= MIN_SUBSTRING_FORM ? haystack.includes(f.bytes) : trimmedEquals(haystack, f.bytes)) return f;
  }
  return undefined;
}

function refuse(path: string, found: Form): never {
  throw new JournalError(
    JournalErrorCode.SecretValue,
    `Refused to write "${path}" to the journal: it contains a secret this ceremony holds (${found.as === 'typed' ? 'as typed' : `as ${found.as}`}). Nothing was written.`,
  );
}

/** Throws a JournalError (code SecretValue) naming the path of the first value (or key) holding a held secret. */
export function assertNoSecretValues(value: unknown, secrets: Iterable<SecretValue>, path = 'data'): void {
  const forms = secretForms(secrets);
  if (forms.length === 0) return;
  try {
    if (mayHold(value, forms)) walk(value, forms, path);
  } finally {
    zero(forms);
  }
}

/**
 * The fast test: can any form be in the event at all? The whole event is serialised once and every form searched in
 * it; a form that could need JSON escaping (a quote, a backslash, a control character) sends it to the walk anyway.
 */
function mayHold(value: unknown, forms: readonly Form[]): boolean {
  const json = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? '';
  const views = foldedViews(json);
  return forms.some((f) => f.escaped || views[f.fold]().includes(f.bytes));
}

/**
 * The names of a step's secret fields, which the engine journals ("input provided: pin, password") are words of the
 * script, journaled whole in its first event; a held secret that happens to equal one (the YubiHSM factory password
 * is "password") is not leaked by naming the field.
 */
const FIELD_NAME_PATH = /\.secretFields\[\d+\](\.name)?$/;

function walk(value: unknown, forms: readonly Form[], path: string): void {
  if (typeof value === 'string' && FIELD_NAME_PATH.test(path)) return;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint') {
    const found = leakIn(String(value), forms);
    if (found) refuse(path, found);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    value.forEach((v, i) => walk(v, forms, `${path}[${i}]`));
    return;
  }
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    const found = leakIn(key, forms);
    if (found) refuse(`${path} (a field name)`, found);
    walk(child, forms, `${path}.${key}`);
  }
}
