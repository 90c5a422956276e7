import { JournalError, JournalErrorCode } from '../errors';

/** A value that can be written to the journal: plain JSON, nothing else. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * Canonical JSON, the encoding every journal hash is computed over:
 * - objects: keys sorted by UTF-16 code unit order (JavaScript's default sort), no whitespace;
 * - strings: as JSON.stringify writes them (so the same string always has one encoding);
 * - numbers: finite only, as JSON.stringify writes them; -0 is written as 0;
 * - arrays in their order; null, true, false.
 * Anything else (undefined, bigint, functions, Uint8Array, Date, class instances, NaN, Infinity) is refused,
 * so the journal never holds a value whose encoding depends on who reads it. Bytes must be hex-encoded first.
 */
export function canonicalJson(value: unknown): string {
  return encode(value, '$');
}

function encode(value: unknown, path: string): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw notCanonical(path, 'a number that is not finite');
      return JSON.stringify(Object.is(value, -0) ? 0 : value);
    case 'object': {
      if (Array.isArray(value)) return '[' + value.map((v, i) => encode(v, `${path}[${i}]`)).join(',') + ']';
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) {
        throw notCanonical(path, `an object of type ${proto?.constructor?.name ?? 'unknown'} (hex-encode bytes first)`);
      }
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record).sort();
      const parts: string[] = [];
      for (const key of keys) {
        if (record[key] === undefined) throw notCanonical(`${path}.${key}`, 'undefined');
        parts.push(JSON.stringify(key) + ':' + encode(record[key], `${path}.${key}`));
      }
      return '{' + parts.join(',') + '}';
    }
    default:
      throw notCanonical(path, `a value of type ${typeof value}`);
  }
}

function notCanonical(path: string, what: string): JournalError {
  return new JournalError(JournalErrorCode.NotCanonical, `The journal cannot record ${what} at ${path}.`);
}
