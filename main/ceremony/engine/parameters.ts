import type { JsonValue } from '../../journal';
import type { CeremonyScript } from '../script';
import { CeremonyError, CeremonyErrorCode } from '../../errors';

/** Checks the values given at creation against the script's declared parameters and fills in defaults. */
export function resolveParameters(script: CeremonyScript, given: Record<string, JsonValue>): Record<string, JsonValue> {
  for (const name of Object.keys(given)) {
    if (!(name in script.parameters)) throw invalid(`This ceremony has no parameter "${name}".`);
  }
  const resolved: Record<string, JsonValue> = {};
  for (const [name, spec] of Object.entries(script.parameters)) {
    const value = given[name] ?? spec.default;
    if (value === undefined) throw invalid(`The parameter "${name}" needs a value.`);
    const ok =
      (spec.type === 'string' && typeof value === 'string') ||
      (spec.type === 'integer' && Number.isSafeInteger(value)) ||
      (spec.type === 'boolean' && typeof value === 'boolean') ||
      (spec.type === 'choice' && typeof value === 'string' && (spec.choices ?? []).includes(value));
    if (!ok) throw invalid(`The parameter "${name}" must be ${spec.type === 'choice' ? `one of ${spec.choices?.join(', ')}` : `a ${spec.type}`}.`);
    if (spec.type === 'integer' && typeof value === 'number') {
      if (spec.min !== undefined && value < spec.min) throw invalid(`The parameter "${name}" must be at least ${spec.min}; ${value} was given.`);
      if (spec.max !== undefined && value > spec.max) throw invalid(`The parameter "${name}" must be at most ${spec.max}; ${value} was given.`);
    }
    resolved[name] = value;
  }
  return resolved;
}

function invalid(message: string): CeremonyError {
  return new CeremonyError(CeremonyErrorCode.ParameterInvalid, message);
}
