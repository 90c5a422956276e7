import { JournalError, JournalErrorCode } from './errors';

/**
 * The journal's guard on values: while a ceremony holds secrets (typed PINs, a KEK, an SO-PIN, share texts), an event
 * that contains any of them is refused before it is written — as the raw text, as hex in either case, as base64 or
 * base64url (with or without padding), or, for a share, its text in any case and grouping. The error names the
 * field's path, never the value. secret-guard.ts refuses secret-looking field names; this refuses the values
 * themselves, whatever the field is called.
 *
 * Short forms (under 8 characters, e.g. a 6-digit user PIN) are refused only when they are a whole value: as a
 * substring they would match serial numbers and counters by chance and stop honest events.
 */
export type SecretValue = Uint8Array | string;
export type SecretValueSource = () => Iterable<SecretValue>;

/** below this many characters a form is matched only as a whole value */
export const MIN_SUBSTRING_FORM = 8;

interface Form {
  /** what is searched for, already in the haystack's folding */
  text: string;
  /** how the haystack is folded before the search: none, lowercase, or lowercase without blanks and dashes */
  fold: 'none' | 'lower' | 'compact';
  /** the form's name for the refusal ("as hex") */
  as: string;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function compact(text: string): string {
  return text.toLowerCase().replace(/[\s-]+/g, '');
}

function formsOfBytes(bytes: Uint8Array, forms: Form[]): void {
  if (bytes.length === 0 || bytes.every((b) => b === 0)) return; // zeroed: nothing left to leak
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    const text = utf8.decode(bytes);
    if (text.trim()) forms.push({ text, fold: 'none', as: 'text' });
  } catch {
    // not text: only its encodings can appear in JSON
  }
  forms.push({ text: buffer.toString('hex'), fold: 'lower', as: 'hex' });
  forms.push({ text: buffer.toString('base64').replace(/=+$/, ''), fold: 'none', as: 'base64' });
  forms.push({ text: buffer.toString('base64url'), fold: 'none', as: 'base64url' });
}

/** Every form of every secret the source yields now (secrets come and go between appends). */
export function secretForms(secrets: Iterable<SecretValue>): Form[] {
  const forms: Form[] = [];
  for (const secret of secrets) {
    if (typeof secret === 'string') {
      if (!secret.trim()) continue;
      const text = compact(secret);
      forms.push({ text, fold: 'compact', as: 'text' });
      // a bech32 text (a share) is also refused without its human-readable prefix: the groups alone are the share
      const separator = text.lastIndexOf('1');
      if (separator > 0 && text.length - separator > 16) forms.push({ text: text.slice(separator + 1), fold: 'compact', as: 'text' });
      formsOfBytes(new TextEncoder().encode(secret), forms);
    } else {
      formsOfBytes(secret, forms);
    }
  }
  return forms.filter((f) => f.text.length > 0);
}

function foldedViews(value: string): Record<Form['fold'], () => string> {
  let lower: string | undefined;
  let compacted: string | undefined;
  return {
    none: () => value,
    lower: () => (lower ??= value.toLowerCase()),
    compact: () => (compacted ??= compact(value)),
  };
}

function leakIn(value: string, forms: readonly Form[]): Form | undefined {
  const views = foldedViews(value);
  for (const form of forms) {
    const haystack = views[form.fold]();
    if (form.text.length >= MIN_SUBSTRING_FORM ? haystack.includes(form.text) : haystack.trim() === form.text) return form;
  }
  return undefined;
}

function refuse(path: string, form: Form): never {
  throw new JournalError(
    JournalErrorCode.SecretValue,
    `Refused to write "${path}" to the journal: it contains a secret this ceremony holds (${form.as === 'text' ? 'as typed' : `as ${form.as}`}). Nothing was written.`,
  );
}

/** Throws a JournalError (code SecretValue) naming the path of the first value (or key) holding a held secret. */
export function assertNoSecretValues(value: unknown, secrets: Iterable<SecretValue>, path = 'data'): void {
  const forms = secretForms(secrets);
  if (forms.length > 0) walk(value, forms, path);
}

function walk(value: unknown, forms: readonly Form[], path: string): void {
  if (typeof value === 'string') {
    const form = leakIn(value, forms);
    if (form) refuse(path, form);
    return;
  }
  if (typeof value === 'number' || typeof value === 'bigint') {
    const form = leakIn(String(value), forms);
    if (form) refuse(path, form);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    value.forEach((v, i) => walk(v, forms, `${path}[${i}]`));
    return;
  }
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    const form = leakIn(key, forms);
    if (form) refuse(`${path} (a field name)`, form);
    walk(child, forms, `${path}.${key}`);
  }
}
