/**
 * The ceremony view main sends the renderer, as a strict zod schema: main's types are derived from it
 * (main/ceremony/engine/view.ts), and the router checks every response against it, so a field nobody declared — a
 * secret that slipped into a view — fails the response check instead of reaching the screen.
 * Fields other work adds (a failure's retryable flag, a re-login) are optional.
 */
import { z } from 'zod';

const Json = z.json();

export const StepKindSchema = z.enum(['announce', 'confirm', 'input', 'action', 'show', 'reveal', 'print']);
export const StepStatusSchema = z.enum(['pending', 'running', 'completed', 'failed', 'interrupted']);
export const CeremonyStatusSchema = z.enum(['open', 'paused', 'aborted', 'completed']);
export const RoleSchema = z.enum(['administrator', 'custodian', 'witness', 'auditor']);

export const StepFailureSchema = z.strictObject({
  code: z.string(),
  message: z.string(),
  /** false when the step must not be run again (Abort is offered instead of Retry) */
  retryable: z.boolean().optional(),
});

export const ParticipantViewSchema = z.strictObject({
  id: z.string(),
  role: RoleSchema,
  expectedName: z.string().optional(),
  required: z.boolean(),
  checkedIn: z.boolean(),
  name: z.string().optional(),
  identityCheck: z.string().optional(),
  checkedBy: z.string().optional(),
  time: z.string().optional(),
});

export const StepSummaryViewSchema = z.strictObject({
  id: z.string(),
  index: z.number().int(),
  kind: StepKindSchema,
  title: z.string(),
  status: StepStatusSchema,
  attempts: z.number().int(),
  confirmedBy: z.array(z.string()),
  result: Json.optional(),
  failure: StepFailureSchema.optional(),
});

export const InputFieldViewSchema = z.strictObject({
  name: z.string(),
  label: z.string(),
  type: z.string(),
  secret: z.boolean(),
  recorded: z.enum(['value', 'commitment', 'nothing']),
  optional: z.boolean(),
  choices: z.array(z.string()).optional(),
  /** false for a field this attempt does not need (the final-try confirmation, a PIN typed again only after a restart) */
  needed: z.boolean(),
});

export const StepRejectionSchema = z.strictObject({
  code: z.string(),
  message: z.string(),
  count: z.number().int(),
  pinCounters: z.strictObject({ countLow: z.boolean(), finalTry: z.boolean(), locked: z.boolean(), triesLeft: z.number().int().optional() }).optional(),
});

export const CurrentStepViewSchema = z.strictObject({
  ...StepSummaryViewSchema.shape,
  text: z.string().optional(),
  confirm: z
    .strictObject({
      description: z.string(),
      confirmedBy: z.array(z.string()),
      missing: z.array(z.string()),
      /** how many more confirmations are needed */
      needed: z.number().int().nonnegative(),
      met: z.boolean(),
      eligible: z.array(z.string()),
    })
    .nullable(),
  inputs: z
    .strictObject({
      from: z.string(),
      eligible: z.array(z.string()),
      fields: z.array(InputFieldViewSchema),
      provided: z.boolean(),
      by: z.string().optional(),
    })
    .nullable(),
  show: z.strictObject({ value: Json.nullable(), format: z.string(), grouped: z.string().optional(), words: z.array(z.string()).optional() }).optional(),
  reveal: z.strictObject({ to: z.string(), shown: z.boolean() }).optional(),
  action: z.strictObject({ name: z.string(), device: z.string().optional() }).optional(),
  print: z.strictObject({ document: z.string() }).optional(),
  /** the last expected mistake on this step (wrong PIN, mistyped share) and how many there were */
  rejection: StepRejectionSchema.optional(),
  /** the token says one more wrong PIN locks it: the final-try confirmation is asked for */
  finalTry: z.boolean(),
  /** a session lost to a restart, to be re-established before the step runs */
  relogin: z.strictObject({ participantId: z.string(), name: z.string(), message: z.string() }).optional(),
  /** what still stands in the way of runCurrentStep, in words */
  blockers: z.array(z.string()),
  canRun: z.boolean(),
});

export const CeremonyExceptionSchema = z.strictObject({
  seq: z.number().int(),
  time: z.string(),
  type: z.string(),
  stepId: z.string().optional(),
  reason: z.string(),
});

export const CeremonyDeviceViewSchema = z.strictObject({
  id: z.string(),
  kind: z.enum(['pkcs11', 'yubihsm']),
  description: z.string(),
  rehearsal: z.boolean(),
  reason: z.string(),
});

export const CeremonyViewSchema = z.strictObject({
  ceremonyId: z.string(),
  title: z.string(),
  description: z.string().optional(),
  rehearsal: z.boolean(),
  /** decided by the devices: rehearsal exactly when every device the ceremony uses is a rehearsal device */
  mode: z.enum(['rehearsal', 'real']),
  /** the devices the ceremony uses, each marked rehearsal or real, and why */
  devices: z.array(CeremonyDeviceViewSchema),
  status: CeremonyStatusSchema,
  pauseReason: z.string().optional(),
  abortReason: z.string().optional(),
  /** the chain head in hex and, once there is one, as its 24 words (the same words paper and `custodian verify` print) */
  journal: z.strictObject({ head: z.string(), words: z.array(z.string()), count: z.number().int() }),
  checkIn: z.strictObject({ complete: z.boolean(), missing: z.array(z.string()) }),
  participants: z.array(ParticipantViewSchema),
  steps: z.array(StepSummaryViewSchema),
  current: CurrentStepViewSchema.nullable(),
  exceptions: z.array(CeremonyExceptionSchema),
  /** while a step over many items runs: how far it has come ("2 of 5 keys wrapped"); never journaled */
  progress: z.strictObject({ stepId: z.string(), done: z.number().int(), total: z.number().int(), what: z.string() }).optional(),
});

export type CeremonyView = z.output<typeof CeremonyViewSchema>;
export type CurrentStepView = z.output<typeof CurrentStepViewSchema>;
export type StepSummaryView = z.output<typeof StepSummaryViewSchema>;
export type ParticipantView = z.output<typeof ParticipantViewSchema>;
export type CeremonyDeviceView = z.output<typeof CeremonyDeviceViewSchema>;
