import { CheckValueMethod, normalizeSetId, type CheckValue, type ShareCommitment } from '../../../../shares';
import { CeremonyError, CeremonyErrorCode } from '../../../../errors';
import type { JsonObject } from '../../registry';

// Reading an action's params. A script error (a missing vault key, a threshold that is not a number) is a
// CeremonyError naming the parameter, so the administrator can tell the script is wrong, not the custodian.

function bad(message: string): CeremonyError {
  return new CeremonyError(CeremonyErrorCode.ActionFailed, `The ceremony script is wrong: ${message}`);
}

export function requiredString(params: JsonObject, name: string): string {
  const value = params[name];
  if (typeof value !== 'string' || value.trim() === '') throw bad(`the step needs the parameter "${name}" (text).`);
  return value;
}

export function optionalString(params: JsonObject, name: string): string | undefined {
  const value = params[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw bad(`the parameter "${name}" must be text: in a script or answers file, put its value in quotes, e.g. ${name}: '…'.`);
  return value;
}

export function requiredInteger(params: JsonObject, name: string): number {
  const value = typeof params[name] === 'string' && /^\d+$/.test(params[name] as string) ? Number(params[name]) : params[name];
  if (typeof value !== 'number' || !Number.isInteger(value)) throw bad(`the step needs the parameter "${name}" (a whole number).`);
  return value;
}

export function optionalInteger(params: JsonObject, name: string): number | undefined {
  if (params[name] === undefined || params[name] === null || params[name] === '') return undefined;
  return requiredInteger(params, name);
}

export function stringList(params: JsonObject, name: string): string[] {
  const value = params[name];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw bad(`the parameter "${name}" must be a list of names.`);
  return value as string[];
}

/** The public description of a share set that collecting shares needs: what the backup recorded. */
export interface ExpectedShareSet {
  setId: string;
  n: number;
  m: number;
  checkValue: CheckValue;
  commitments?: ShareCommitment[];
  secretLength?: number;
}

/**
 * params.shareSet: the set's public record (shareSetRecord() of main/shares, as a split step's result or a bundle's
 * manifest carries it), usually a reference such as ${steps.read-bundle.result.shareSet}.
 */
export function expectedShareSet(params: JsonObject, name = 'shareSet'): ExpectedShareSet {
  const record = params[name] as Record<string, unknown> | undefined;
  if (!record || typeof record !== 'object' || Array.isArray(record)) throw bad(`the step needs "${name}", the public record of the share set.`);
  const { setId, n, m, checkValue, commitments, secretLength } = record;
  if (typeof setId !== 'string' || typeof n !== 'number' || typeof m !== 'number') throw bad(`"${name}" must give setId, n and m.`);
  const cv = checkValue as Partial<CheckValue> | undefined;
  if (!cv || !Object.values(CheckValueMethod).includes(cv.method as CheckValueMethod) || typeof cv.value !== 'string') {
    throw bad(`"${name}" must give the check value (method and value).`);
  }
  let commitmentList: ShareCommitment[] | undefined;
  if (commitments !== undefined) {
    if (!Array.isArray(commitments)) throw bad(`"${name}.commitments" must be a list.`);
    commitmentList = commitments.map((c) => {
      const entry = c as Partial<ShareCommitment>;
      if (typeof entry.index !== 'number' || typeof entry.commitment !== 'string') throw bad(`each of "${name}.commitments" needs an index and a commitment.`);
      return { index: entry.index, commitment: entry.commitment };
    });
  }
  let normalizedSetId: string;
  try {
    normalizedSetId = normalizeSetId(setId);
  } catch {
    throw bad(`"${name}.setId" is not a set id.`);
  }
  return {
    setId: normalizedSetId,
    n,
    m,
    checkValue: { method: cv.method as CheckValueMethod, value: cv.value },
    commitments: commitmentList,
    secretLength: typeof secretLength === 'number' ? secretLength : undefined,
  };
}
