import type { SubordinateProfile } from '../../../x509';
import type { JsonObject } from '../registry';
import { refuse } from './errors';

const list = (value: unknown) =>
  (typeof value === 'string' ? value.split(',') : Array.isArray(value) ? value.map(String) : []).map((s) => s.trim()).filter(Boolean);
const optionalText = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim() : undefined);

function whole(params: JsonObject, name: string, min: number, max: number): number {
  const value = typeof params[name] === 'string' && /^\d+$/.test(params[name] as string) ? Number(params[name]) : params[name];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw refuse(`${name} must be a whole number from ${min} to ${max} (it is ${JSON.stringify(params[name])}).`);
  }
  return value;
}

/** The certificate profile, from the step's params (the script fixes them; parameters may fill some in). */
export function profileOf(params: JsonObject): SubordinateProfile & { validityDays: number } {
  const maxValidityDays = whole(params, 'maxValidityDays', 1, 40 * 366);
  const validityDays = whole(params, 'validityDays', 1, 40 * 366);
  if (validityDays > maxValidityDays) throw refuse(`validityDays is ${validityDays}; this script caps the validity at ${maxValidityDays} days.`);
  const policyOids = list(params.policyOids);
  if (policyOids.length === 0) throw refuse('The profile must name at least one certificate policy OID (policyOids).');
  return {
    pathLength: whole(params, 'pathLength', 0, 8),
    maxValidityDays,
    validityDays,
    policyOids,
    extendedKeyUsages: list(params.extendedKeyUsages),
    permittedDnsNames: list(params.permittedDnsNames),
    excludedDnsNames: list(params.excludedDnsNames),
    crlDistributionPoint: optionalText(params.crlDistributionPoint),
    issuerUrl: optionalText(params.issuerUrl),
    ocspUrl: optionalText(params.ocspUrl),
  };
}
