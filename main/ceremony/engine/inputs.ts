import type { JsonValue } from '../../journal';
import { ROLE_GROUPS, type InputField, type InputRequest, type Step } from '../script';
import { CeremonyError, CeremonyErrorCode } from '../../errors';
import type { ActionInputs } from '../actions';
import { computeShareCommitment, decodeShareText } from '../../shares';

export function inputRequestOf(step: Step): InputRequest | undefined {
  if (step.kind === 'input') return { from: step.from, fields: step.fields };
  if (step.kind === 'action') return step.inputs;
  return undefined;
}

export function mayProvide(request: InputRequest, participantId: string, role: string): boolean {
  return request.from === participantId || ROLE_GROUPS[request.from] === role;
}

export type RawInputValue = string | number | boolean;

export interface CheckedInputs {
  /** journaled as given */
  publicValues: Record<string, JsonValue>;
  /** journaled as name (+ commitment when the field asks for one) */
  secretFields: { name: string; commitment?: string }[];
  /** held in memory until the step runs */
  secretValues: Record<string, Uint8Array>;
}

/**
 * Checks typed values against the fields. Secret values become bytes at once (the caller's string cannot
 * be zeroed, so it should drop it); error messages name the field, never the value.
 */
export function checkInputs(request: InputRequest, values: Record<string, RawInputValue>): CheckedInputs {
  const known = new Map(request.fields.map((f) => [f.name, f]));
  for (const name of Object.keys(values)) {
    if (!known.has(name)) throw invalid(`There is no field "${name}" in this step.`);
  }
  const result: CheckedInputs = { publicValues: {}, secretFields: [], secretValues: {} };
  for (const field of request.fields) {
    const raw = values[field.name];
    if (raw === undefined || raw === '') {
      if (field.optional) continue;
      throw new CeremonyError(CeremonyErrorCode.InputsMissing, `"${field.label}" is required.`);
    }
    const value = checkField(field, raw);
    if (field.secret) {
      const bytes = field.type === 'hex' ? new Uint8Array(Buffer.from(String(value), 'hex')) : new TextEncoder().encode(String(value));
      result.secretValues[field.name] = bytes;
      const commitment = field.journal === 'commitment' ? shareCommitmentOf(String(value)) : undefined;
      result.secretFields.push(commitment ? { name: field.name, commitment } : { name: field.name });
    } else {
      result.publicValues[field.name] = value;
    }
  }
  return result;
}

/**
 * The commitment the journal records for a typed share: the share commitment of FORMAT.md, the same value the set's
 * record holds for that index (the script parser allows `journal: commitment` on share fields only). A text that is
 * not a readable share gets none: the share action refuses it with the reason, and nothing about it is recorded.
 */
function shareCommitmentOf(text: string): string | undefined {
  try {
    const share = decodeShareText(text);
    try {
      return computeShareCommitment(share);
    } finally {
      share.bytes.fill(0);
    }
  } catch {
    return undefined;
  }
}

function checkField(field: InputField, raw: RawInputValue): JsonValue {
  const label = `"${field.label}"`;
  switch (field.type) {
    case 'boolean':
      if (typeof raw === 'boolean') return raw;
      if (raw === 'true' || raw === 'false') return raw === 'true';
      throw invalid(`${label} must be yes or no.`);
    case 'integer': {
      const n = typeof raw === 'number' ? raw : /^-?\d+$/.test(String(raw).trim()) ? Number(String(raw).trim()) : NaN;
      if (!Number.isSafeInteger(n)) throw invalid(`${label} must be a whole number.`);
      if (field.min !== undefined && n < field.min) throw invalid(`${label} must be at least ${field.min}.`);
      if (field.max !== undefined && n > field.max) throw invalid(`${label} must be at most ${field.max}.`);
      return n;
    }
    case 'choice':
      if (!field.choices?.includes(String(raw))) throw invalid(`${label} must be one of ${field.choices?.join(', ')}.`);
      return String(raw);
    case 'hex': {
      const hex = String(raw).replace(/[\s:]/g, '').toLowerCase();
      if (!/^([0-9a-f]{2})*$/.test(hex)) throw invalid(`${label} must be hexadecimal (0-9, a-f), two characters per byte.`);
      checkLength(field, hex);
      return hex;
    }
    case 'text': {
      if (typeof raw === 'number' || typeof raw === 'boolean') {
        // YAML reads 123456 or yes as a number or a yes/no: name the field and the fix, never the value (a PIN)
        throw invalid(`${label} (${field.name}) must be text: in a script or answers file, put its value in quotes, e.g. ${field.name}: '…'.`);
      }
      if (typeof raw !== 'string') throw invalid(`${label} must be text.`);
      checkLength(field, raw);
      return raw;
    }
  }
}

function checkLength(field: InputField, text: string): void {
  if (field.minLength !== undefined && text.length < field.minLength) throw invalid(`"${field.label}" must be at least ${field.minLength} characters long.`);
  if (field.maxLength !== undefined && text.length > field.maxLength) throw invalid(`"${field.label}" must be at most ${field.maxLength} characters long.`);
}

function invalid(message: string): CeremonyError {
  return new CeremonyError(CeremonyErrorCode.InputInvalid, message);
}

/** Public values plus secret bytes, as an action receives them. */
export function actionInputs(publicValues: Record<string, JsonValue>, secrets: Record<string, Uint8Array> | undefined): ActionInputs {
  const inputs: ActionInputs = {};
  for (const [k, v] of Object.entries(publicValues)) if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') inputs[k] = v;
  for (const [k, v] of Object.entries(secrets ?? {})) inputs[k] = v;
  return inputs;
}
