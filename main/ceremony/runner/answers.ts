import { z } from 'zod';
import { CeremonyError, CeremonyErrorCode } from '../errors';
import { inputRequestOf } from '../engine/inputs';
import { parseStrictYaml, ScriptError, type CeremonyScript, type ScriptIssue } from '../script';

const participantId = z.string().regex(/^[a-z][a-z0-9-]*$/);

export const AnswersSchema = z.strictObject({
  /** must be true when the file holds any secret value (a rehearsal PIN…) */
  rehearsal: z.boolean().default(false),
  parameters: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
  checkIns: z.array(z.strictObject({ participant: participantId, name: z.string().min(1), identityCheck: z.string().min(1), checkedBy: participantId })),
  steps: z
    .record(
      z.string(),
      z.strictObject({
        confirmations: z.array(participantId).optional(),
        input: z.strictObject({ by: participantId, values: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])) }).optional(),
        /** for a reveal step: who acknowledges (defaults to the participant it is shown to) */
        acknowledgedBy: participantId.optional(),
      }),
    )
    .default({}),
});

export type Answers = z.output<typeof AnswersSchema>;

/**
 * Parses an answers file strictly (unknown fields are errors with their line) and checks it against the
 * script: every step named exists, every input field exists, and secret values only with rehearsal.
 */
export function parseAnswers(text: string, script: CeremonyScript, options: { rehearsal: boolean }): Answers {
  const { value: answers, locate } = parseStrictYaml(text, AnswersSchema);
  const issues: ScriptIssue[] = [];
  const add = (path: (string | number)[], message: string) => issues.push({ path: path.join('.'), ...locate(path), message });
  let holdsSecrets = false;
  for (const [stepId, answer] of Object.entries(answers.steps)) {
    const step = script.steps.find((s) => s.id === stepId);
    if (!step) {
      add(['steps', stepId], `the script has no step "${stepId}"`);
      continue;
    }
    const request = inputRequestOf(step);
    for (const field of Object.keys(answer.input?.values ?? {})) {
      const spec = request?.fields.find((f) => f.name === field);
      if (!spec) add(['steps', stepId, 'input', 'values', field], `step "${stepId}" has no input field "${field}"`);
      else if (spec.secret) holdsSecrets = true;
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
