import type { JsonValue } from '../../journal';
import { CustodianError } from '../../errors';

/**
 * References inside step values and action params: `${parameters.name}`, `${steps.<id>.result.<path>}`,
 * `${steps.<id>.inputs.<field>}` (public inputs only), `${ceremony.id}`, `${ceremony.rehearsal}`.
 * A string that is exactly one reference takes the referenced value with its type; a reference inside
 * longer text is replaced by its text form.
 */
const REFERENCE = /\$\{([^}]+)\}/g;

export interface ReferenceSource {
  lookup(path: string[]): JsonValue | undefined;
}

export function referencesIn(value: unknown): string[][] {
  const found: string[][] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') for (const m of v.matchAll(REFERENCE)) found.push(m[1].trim().split('.'));
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(value);
  return found;
}

export class UnresolvedReference extends CustodianError<'UnresolvedReference'> {
  constructor(readonly reference: string) {
    super('UnresolvedReference', `The value \${${reference}} is not available yet.`);
  }
}

export function resolveReferences(value: JsonValue, source: ReferenceSource): JsonValue {
  if (typeof value === 'string') {
    const whole = /^\$\{([^}]+)\}$/.exec(value);
    if (whole) return lookupOrThrow(whole[1], source);
    return value.replace(REFERENCE, (_, ref: string) => {
      const resolved = lookupOrThrow(ref, source);
      return typeof resolved === 'string' ? resolved : JSON.stringify(resolved);
    });
  }
  if (Array.isArray(value)) return value.map((v) => resolveReferences(v, source));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveReferences(v, source)]));
  }
  return value;
}

function lookupOrThrow(reference: string, source: ReferenceSource): JsonValue {
  const resolved = source.lookup(reference.trim().split('.'));
  if (resolved === undefined) throw new UnresolvedReference(reference.trim());
  return resolved;
}
