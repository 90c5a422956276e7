import type { CeremonyScript } from './model';

// The threshold (and the number of custodians) is stated once, in roles.custodians. A step that needs it writes
// `${roles.custodians.threshold}` (or `${roles.custodians.count}`): the parser fills it in from the roles section, so
// the engine and the actions see the number. A step can then never disagree with the roles it runs under.

const ROLE_REFERENCE = /\$\{\s*(roles\.[A-Za-z0-9_.-]+)\s*\}/g;
const KNOWN = ['roles.custodians.threshold', 'roles.custodians.count'];

/** Fills `${roles.custodians.threshold|count}` in every step's params, value and text; problems as issues. */
export function fillRoleReferences(script: CeremonyScript): { path: (string | number)[]; message: string }[] {
  const issues: { path: (string | number)[]; message: string }[] = [];
  const custodians = script.roles.custodians;
  const valueOf = (reference: string): number | undefined =>
    reference === 'roles.custodians.threshold' ? custodians?.threshold : reference === 'roles.custodians.count' ? custodians?.count : undefined;
  const fill = (value: unknown, path: (string | number)[]): unknown => {
    if (typeof value === 'string') {
      if (!value.includes('${')) return value;
      const check = (reference: string): number | undefined => {
        const n = valueOf(reference);
        if (!KNOWN.includes(reference)) issues.push({ path, message: `unknown reference "${reference}" (the roles give ${KNOWN.join(' and ')})` });
        else if (n === undefined) issues.push({ path, message: `"${reference}" refers to roles.custodians, which this script does not state` });
        return n;
      };
      const whole = /^\$\{\s*(roles\.[A-Za-z0-9_.-]+)\s*\}$/.exec(value);
      if (whole) return check(whole[1]) ?? value;
      return value.replace(ROLE_REFERENCE, (written, reference: string) => String(check(reference) ?? written));
    }
    if (Array.isArray(value)) return value.map((v, i) => fill(v, [...path, i]));
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v, [...path, k])]));
    return value;
  };
  script.steps.forEach((step, i) => {
    const s = step as unknown as Record<string, unknown>;
    for (const key of ['params', 'value', 'text'] as const) if (s[key] !== undefined) s[key] = fill(s[key], ['steps', i, key]);
  });
  return issues;
}
