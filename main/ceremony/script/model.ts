import { z } from 'zod';
import { LIMITS } from './limits';

// The ceremony script model. Every object is strict: a field the model does not know is an error, so a
// misspelt `threshhold` can never be silently ignored in front of the custodians.

const identifier = z
  .string()
  .max(LIMITS.idLength, `an id has at most ${LIMITS.idLength} characters`)
  .regex(/^[a-z][a-z0-9-]*$/, 'use lowercase letters, digits and dashes, starting with a letter');
const fieldName = z
  .string()
  .max(LIMITS.idLength, `a name has at most ${LIMITS.idLength} characters`)
  .regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'use letters, digits and _, starting with a letter');
/** a title, label or name: one line */
const nonEmpty = z.string().trim().min(1, 'must not be empty').max(LIMITS.titleLength, `at most ${LIMITS.titleLength} characters`);
/** a text read aloud, a description */
const longText = z.string().max(LIMITS.textLength, `at most ${LIMITS.textLength} characters`);
const nonEmptyText = longText.trim().min(1, 'must not be empty');
/** the message parse.ts turns into "<field> must be an integer, got …" */
export const INTEGER_EXPECTED = 'expected an integer';
const integer = () => z.number({ error: INTEGER_EXPECTED }).int();

export const MetadataSchema = z.strictObject({
  id: identifier,
  title: nonEmpty,
  description: longText.optional(),
  /** true for scripts that only ever run on rehearsal hardware (SoftHSM2, the YubiHSM simulator) */
  rehearsal: z.boolean().default(false),
  /** "allowed": a real ceremony may run with a network interface up (the room acknowledges it); absent: air gap required */
  network: z.literal('allowed', { error: 'network must be "allowed" or left out (an air-gapped machine is required)' }).optional(),
  version: nonEmpty.optional(),
});

const namesOrCount = {
  names: z.array(nonEmpty).min(1).optional(),
  count: integer().min(1).max(16).optional(),
};

export const RolesSchema = z.strictObject({
  administrator: z.strictObject({ name: nonEmpty.optional() }),
  custodians: z
    .strictObject({
      ...namesOrCount,
      threshold: integer().min(1),
      /** who must check in before the first step: every custodian (backup) or at least the threshold (restore) */
      attendance: z.enum(['all', 'threshold']).default('all'),
    })
    .optional(),
  witnesses: z.strictObject(namesOrCount),
  auditor: z.strictObject({ name: nonEmpty.optional() }).optional(),
});

const Pkcs11DeviceSchema = z.strictObject({
  id: identifier,
  type: z.literal('pkcs11'),
  description: longText.optional(),
  /** path of the vendor's PKCS#11 library */
  module: nonEmpty,
  /** the token is named by label or serial number, never by slot number */
  token: z.strictObject({ label: nonEmpty.optional(), serial: nonEmpty.optional() }),
});

const YubiHsmDeviceSchema = z.strictObject({
  id: identifier,
  type: z.literal('yubihsm'),
  description: longText.optional(),
  connector: z.strictObject({
    usbSerial: nonEmpty.optional(),
    url: z.url().optional(),
    simulator: z.literal(true).optional(),
  }),
});

export const DeviceSchema = z.discriminatedUnion('type', [Pkcs11DeviceSchema, YubiHsmDeviceSchema]);

export const ParameterSchema = z.strictObject({
  type: z.enum(['string', 'integer', 'boolean', 'choice']),
  description: longText.optional(),
  default: z.union([longText, z.number(), z.boolean()]).optional(),
  choices: z.array(nonEmpty).min(1).max(100).optional(),
  /** an integer parameter's bounds: both are required, so no value can ask for a billion of anything */
  min: integer().optional(),
  max: integer().optional(),
});

/** Who must confirm: counts per role, and/or particular participants by id (custodian-2, witness-1...). */
export const QuorumSchema = z.strictObject({
  administrator: integer().min(0).max(1).optional(),
  custodians: integer().min(0).optional(),
  witnesses: integer().min(0).optional(),
  auditor: integer().min(0).max(1).optional(),
  participants: z.array(identifier).optional(),
});

export const InputFieldSchema = z.strictObject({
  name: fieldName,
  label: nonEmpty,
  type: z.enum(['text', 'integer', 'boolean', 'choice', 'hex']),
  /** held in memory only, never journaled; dropped once the step that uses it has run */
  secret: z.boolean().default(false),
  /** for a secret field: record nothing (default; right for PINs and passwords) or a SHA-256 commitment (only for high-entropy values such as shares) */
  journal: z.enum(['omit', 'commitment']).optional(),
  choices: z.array(z.string()).min(1).optional(),
  minLength: integer().min(0).optional(),
  maxLength: integer().min(1).optional(),
  min: integer().optional(),
  max: integer().optional(),
  optional: z.boolean().default(false),
});

/** `from`: one participant id (custodian-2), or a role name (custodians, witnesses) for any one of them. */
export const InputRequestSchema = z.strictObject({
  from: identifier,
  fields: z.array(InputFieldSchema).min(1),
});

const stepBase = {
  id: identifier,
  title: nonEmpty,
  /** what the administrator reads aloud */
  text: longText.optional(),
};

const AnnounceStepSchema = z.strictObject({ ...stepBase, kind: z.literal('announce'), text: nonEmptyText, confirm: QuorumSchema.optional() });
const ConfirmStepSchema = z.strictObject({ ...stepBase, kind: z.literal('confirm'), quorum: QuorumSchema });
const InputStepSchema = z.strictObject({ ...stepBase, kind: z.literal('input'), ...InputRequestSchema.shape, confirm: QuorumSchema.optional() });
const ActionStepSchema = z.strictObject({
  ...stepBase,
  kind: z.literal('action'),
  /** a name in the action registry, e.g. pkcs11.generate-key-pair */
  action: z.string().regex(/^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/, 'an action name looks like area.verb-noun'),
  /** which device from the devices section the action uses, if any */
  device: identifier.optional(),
  params: z.record(z.string(), z.json()).optional(),
  inputs: InputRequestSchema.optional(),
  /** who must approve before the action runs */
  approve: QuorumSchema.optional(),
});
const ShowStepSchema = z.strictObject({
  ...stepBase,
  kind: z.literal('show'),
  /** a reference such as ${steps.generate.result.fingerprint} */
  value: nonEmptyText,
  format: z.enum(['text', 'hex', 'fingerprint', 'words']).default('text'),
  confirm: QuorumSchema.optional(),
});
const RevealStepSchema = z.strictObject({
  ...stepBase,
  kind: z.literal('reveal'),
  /** the secret an earlier action step put aside for showing (its `reveal` result, by key) */
  secret: z.strictObject({ step: identifier, key: nonEmpty }),
  /** the one participant who may see it */
  to: identifier,
});
const PrintStepSchema = z.strictObject({
  ...stepBase,
  kind: z.literal('print'),
  /** a document name; the action print.<document> produces it */
  document: identifier,
  params: z.record(z.string(), z.json()).optional(),
  confirm: QuorumSchema.optional(),
});

export const StepSchema = z.discriminatedUnion('kind', [
  AnnounceStepSchema,
  ConfirmStepSchema,
  InputStepSchema,
  ActionStepSchema,
  ShowStepSchema,
  RevealStepSchema,
  PrintStepSchema,
]);

export const CeremonyScriptSchema = z.strictObject({
  metadata: MetadataSchema,
  roles: RolesSchema,
  devices: z.array(DeviceSchema).default([]),
  parameters: z.record(fieldName, ParameterSchema).default({}),
  steps: z.array(StepSchema).min(1).max(LIMITS.steps),
});

export type CeremonyScript = z.output<typeof CeremonyScriptSchema>;
export type ScriptMetadata = z.output<typeof MetadataSchema>;
export type ScriptRoles = z.output<typeof RolesSchema>;
export type DeviceSpec = z.output<typeof DeviceSchema>;
export type ParameterSpec = z.output<typeof ParameterSchema>;
export type Quorum = z.output<typeof QuorumSchema>;
export type InputField = z.output<typeof InputFieldSchema>;
export type InputRequest = z.output<typeof InputRequestSchema>;
export type Step = z.output<typeof StepSchema>;
export type StepKind = Step['kind'];
export type StepOfKind<K extends StepKind> = Extract<Step, { kind: K }>;

export const STEP_KINDS: readonly StepKind[] = ['announce', 'confirm', 'input', 'action', 'show', 'reveal', 'print'];
