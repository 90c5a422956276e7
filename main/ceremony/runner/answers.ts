import { z } from 'zod';
import { CeremonyError, CeremonyErrorCode } from '../../errors';
import { checkInputs, inputRequestOf, mayProvide, type RawInputValue } from '../engine/inputs';
import { mayConfirm, requiredQuorum } from '../engine/quorum';
import { expectedParticipants, LIMITS, parseStrictYaml, ScriptError, type CeremonyScript, type ParameterSpec, type ScriptIssue } from '../script';

const participantId = z
  .string()
  .max(LIMITS.idLength)
  .regex(/^[a-z][a-z0-9-]*$/, 'a participant id such as administrator, custodian-2, witness-1');
const oneLine = z.string().trim().min(1, 'must not be empty').max(LIMITS.titleLength, `at most ${LIMITS.titleLength} characters`);
const value = z.union([z.string().max(LIMITS.textLength, `at most ${LIMITS.textLength} characters`), z.number(), z.boolean()]);

export const AnswersSchema = z.strictObject({
  /** must be true when the file holds any secret value (a rehearsal PIN…) */
  rehearsal: z.boolean().default(false),
  parameters: z.record(z.string().max(LIMITS.idLength), value).default({}),
  checkIns: z.array(z.strictObject({ participant: participantId, name: oneLine, identityCheck: oneLine, checkedBy: participantId })).max(100),
  steps: z
    .record(
      z.string().max(LIMITS.idLength),
      z.strictObject({
        confirmations: z.array(participantId).max(100).optional(),
        input: z.strictObject({ by: participantId, values: z.record(z.string().max(LIMITS.idLength), value) }).optional(),
        /** for a reveal step: who acknowledges (defaults to the participant it is shown to) */
        acknowledgedBy: participantId.optional(),
      }),
    )
    .default({}),
});

export type Answers = z.output<typeof AnswersSchema>;

/** Why a parameter value does not fit its declaration, or undefined when it does. */
function parameterProblem(name: string, spec: ParameterSpec, v: string | number | boolean): string | undefined {
  const got = typeof v === 'string' ? 'a text' : typeof v === 'boolean' ? String(v) : Number.isFinite(v) ? String(v) : 'a number too large';
  switch (spec.type) {
    case 'integer':
      if (typeof v !== 'number' || !Number.isSafeInteger(v))
        return `${name} must be an integer, got ${typeof v === 'number' && Number.isFinite(v) ? `the fraction ${v}` : got}`;
      if (spec.min !== undefined && v < spec.min) return `${name} must be at least ${spec.min}, got ${v}`;
      if (spec.max !== undefined && v > spec.max) return `${name} must be at most ${spec.max}, got ${v}`;
      return undefined;
    case 'boolean':
      return typeof v === 'boolean' ? undefined : `${name} must be true or false, got ${got}`;
    case 'choice':
      return typeof v === 'string' && spec.choices?.includes(v) ? undefined : `${name} must be one of ${spec.choices?.join(', ')}, got ${got}`;
    default:
      return typeof v === 'string' ? undefined : `${name} must be a text, got ${got}`;
  }
}

/**
 * Parses an answers file strictly (unknown fields are errors with their line) and checks all of it against the
 * script before anything runs: parameters (name, type, bounds), check-ins (known seats, each once, checked by
 * someone else present), every step named, who confirms and who types, and every value typed (a value that the
 * step would refuse is refused here, with the field's name and never the value). Secret values only with rehearsal.
 */
export function parseAnswers(text: string, script: CeremonyScript, options: { rehearsal: boolean }): Answers {
  const { value: answers, locate } = parseStrictYaml(text, AnswersSchema, 'answers file');
  const issues: ScriptIssue[] = [];
  const add = (path: (string | number)[], message: string) => {
    if (issues.length < 50) issues.push({ path: path.join('.'), ...locate(path), message });
  };
  const seats = new Map(expectedParticipants(script.roles).map((s) => [s.id, s]));
  const known = [...seats.keys()].join(', ');

  for (const [name, v] of Object.entries(answers.parameters)) {
    const spec = script.parameters[name];
    if (!spec) add(['parameters', name], `the script has no parameter "${name}" (it has: ${Object.keys(script.parameters).join(', ') || 'none'})`);
    else {
      const problem = parameterProblem(name, spec, v);
      if (problem) add(['parameters', name], problem);
    }
  }

  const checkedIn = new Set<string>();
  answers.checkIns.forEach((c, i) => {
    if (!seats.has(c.participant)) add(['checkIns', i, 'participant'], `no participant "${c.participant}" in this script (known: ${known})`);
    else if (checkedIn.has(c.participant)) add(['checkIns', i, 'participant'], `"${c.participant}" checks in twice`);
    if (!seats.has(c.checkedBy)) add(['checkIns', i, 'checkedBy'], `no participant "${c.checkedBy}" in this script (known: ${known})`);
    else if (c.checkedBy === c.participant) add(['checkIns', i, 'checkedBy'], `"${c.participant}" cannot check their own identity`);
    checkedIn.add(c.participant);
  });
  const present = (id: string, path: (string | number)[]) => {
    if (!seats.has(id)) add(path, `no participant "${id}" in this script (known: ${known})`);
    else if (!checkedIn.has(id)) add(path, `"${id}" does not check in (checkIns)`);
    return seats.get(id);
  };

  let holdsSecrets = false;
  for (const [stepId, answer] of Object.entries(answers.steps)) {
    const step = script.steps.find((s) => s.id === stepId);
    if (!step) {
      add(['steps', stepId], `the script has no step "${stepId}"`);
      continue;
    }
    const quorum = requiredQuorum(step);
    answer.confirmations?.forEach((id, j) => {
      const path = ['steps', stepId, 'confirmations', j];
      const seat = present(id, path);
      if (!seat) return;
      if (!quorum) add(path, `step "${stepId}" asks nobody to confirm`);
      else if (!mayConfirm(quorum, id, seat.role)) add(path, `"${id}" is not among those who confirm step "${stepId}"`);
    });
    if (answer.acknowledgedBy !== undefined) {
      const path = ['steps', stepId, 'acknowledgedBy'];
      if (step.kind !== 'reveal') add(path, `step "${stepId}" shows no secret to acknowledge`);
      else if (present(answer.acknowledgedBy, path) && answer.acknowledgedBy !== step.to)
        add(path, `the secret of step "${stepId}" is shown to ${step.to} only`);
    }
    if (!answer.input) continue;
    const request = inputRequestOf(step);
    if (!request) {
      add(['steps', stepId, 'input'], `step "${stepId}" asks for no input`);
      continue;
    }
    const seat = present(answer.input.by, ['steps', stepId, 'input', 'by']);
    if (seat && !mayProvide(request, seat.id, seat.role))
      add(['steps', stepId, 'input', 'by'], `step "${stepId}" takes its input from ${request.from}, not ${seat.id}`);
    let unknownField = false;
    for (const field of Object.keys(answer.input.values)) {
      const spec = request.fields.find((f) => f.name === field);
      if (!spec) {
        add(['steps', stepId, 'input', 'values', field], `step "${stepId}" has no input field "${field}"`);
        unknownField = true;
      } else if (spec.secret) holdsSecrets = true;
    }
    if (unknownField) continue;
    // the checks the step itself makes when the value is typed; messages name the field, never the value
    for (const field of request.fields) {
      const given = answer.input.values[field.name];
      if (given === undefined) continue;
      try {
        const checked = checkInputs({ from: request.from, fields: [{ ...field, optional: true }] }, { [field.name]: given as RawInputValue });
        for (const bytes of Object.values(checked.secretValues)) bytes.fill(0);
      } catch (error) {
        if (!(error instanceof CeremonyError)) throw error;
        add(['steps', stepId, 'input', 'values', field.name], error.message);
      }
    }
  }
  if (issues.length > 0) throw new ScriptError(issues);
  if (holdsSecrets && !(options.rehearsal && answers.rehearsal)) {
    throw new CeremonyError(
      CeremonyErrorCode.SecretsNeedRehearsal,
      'This answers file contains secret values. Secrets come from a file only in a rehearsal (--rehearsal, and rehearsal: true in the file); in a real ceremony they are typed by the custodians.',
    );
  }
  return answers;
}
