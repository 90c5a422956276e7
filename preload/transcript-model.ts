/**
 * The transcript model main sends the renderer (the preview before printing), as a strict zod schema: the router
 * checks every response against it, so an undeclared field — a secret that slipped in — fails the check. The print
 * layer keeps its own plain interfaces (preload/print/model.ts, which imports nothing of ours);
 * the compile-time check at the end keeps the two identical.
 */
import { z } from 'zod';
import type { TranscriptModel as PrintTranscriptModel } from './print';

const DigestTextSchema = z.strictObject({ hex: z.string(), grouped: z.string(), words: z.array(z.string()) });
const StepOutcomeSchema = z.enum(['completed', 'failed', 'interrupted', 'running', 'pending', 'rejected']);

export const TranscriptModelSchema = z.strictObject({
  ceremonyId: z.string(),
  title: z.string(),
  description: z.string().optional(),
  rehearsal: z.boolean(),
  status: z.string(),
  generatedAt: z.string(),
  appVersion: z.string().optional(),
  script: z.strictObject({ sha256: z.string(), words: z.array(z.string()) }).optional(),
  host: z
    .strictObject({
      hostname: z.string().optional(),
      platform: z.string().optional(),
      osRelease: z.string().optional(),
      arch: z.string().optional(),
      airGapped: z.boolean().optional(),
      interfacesUp: z.array(z.string()),
    })
    .optional(),
  journal: z.strictObject({
    eventCount: z.number().int(),
    firstTime: z.string().optional(),
    lastTime: z.string().optional(),
    closed: z.boolean(),
    printStep: z.boolean().optional(),
    head: DigestTextSchema,
  }),
  participants: z.array(
    z.strictObject({ id: z.string(), role: z.string(), name: z.string(), identityCheck: z.string(), checkedBy: z.string(), time: z.string() }),
  ),
  devices: z.array(
    z.strictObject({
      id: z.string().optional(),
      kind: z.string().optional(),
      vendor: z.string().optional(),
      model: z.string().optional(),
      serial: z.string().optional(),
      firmware: z.string().optional(),
      label: z.string().optional(),
      modulePath: z.string().optional(),
      description: z.string().optional(),
    }),
  ),
  steps: z.array(
    z.strictObject({
      id: z.string(),
      number: z.number().int(),
      title: z.string(),
      kind: z.string().optional(),
      outcome: StepOutcomeSchema,
      startedAt: z.string().optional(),
      completedAt: z.string().optional(),
      attempts: z.array(
        z.strictObject({
          attempt: z.number().int(),
          startedAt: z.string().optional(),
          endedAt: z.string().optional(),
          outcome: StepOutcomeSchema,
          reason: z.string().optional(),
        }),
      ),
      confirmedBy: z.array(z.strictObject({ participantId: z.string(), name: z.string().optional(), time: z.string() })),
      inputBy: z.string().optional(),
      revealedTo: z.string().optional(),
      result: z.array(z.strictObject({ label: z.string(), value: z.string() })),
      /** what the step did, in one line for the steps table */
      line: z.string().optional(),
      /** tries refused as expected mistakes (a wrong PIN, a mistyped share) */
      rejectedTries: z.number().int().optional(),
      outputs: z.array(z.strictObject({ name: z.string(), sha256: z.string(), size: z.number().int() })),
    }),
  ),
  /** page 1: what was made, for the witness who signs */
  summary: z
    .strictObject({
      keys: z.array(
        z.strictObject({
          label: z.string(),
          id: z.string().optional(),
          algorithm: z.string().optional(),
          policy: z.string().optional(),
          stepId: z.string().optional(),
          fingerprint: DigestTextSchema.optional(),
        }),
      ),
      certificates: z.array(
        z.strictObject({
          kind: z.enum(['certificate', 'request']),
          subject: z.string().optional(),
          notBefore: z.string().optional(),
          notAfter: z.string().optional(),
          serialNumber: z.string().optional(),
          file: z.string().optional(),
          sha256: z.string().optional(),
        }),
      ),
    })
    .optional(),
  exceptions: z.array(
    z.strictObject({
      seq: z.number().int(),
      time: z.string(),
      kind: z.enum(['failure', 'interrupted', 'retry', 'effect-check', 'pause', 'abort', 'torn-tail', 'reopened']),
      stepId: z.string().optional(),
      text: z.string(),
    }),
  ),
  fingerprints: z.array(z.strictObject({ label: z.string(), stepId: z.string().optional(), digest: DigestTextSchema })),
  pems: z.array(z.strictObject({ label: z.string(), stepId: z.string().optional(), pemType: z.string(), pem: z.string() })),
  shareSets: z.array(
    z.strictObject({
      stepId: z.string().optional(),
      setId: z.string(),
      n: z.number().int(),
      m: z.number().int(),
      checkValueText: z.string(),
      commitments: z.array(z.strictObject({ index: z.number().int(), commitment: z.string() })),
    }),
  ),
  checkValues: z.array(z.strictObject({ label: z.string(), stepId: z.string().optional(), text: z.string() })),
  signatures: z.array(z.strictObject({ participantId: z.string(), role: z.string(), name: z.string() })),
});

export type TranscriptModel = z.output<typeof TranscriptModelSchema>;

// The print layer's interfaces and this schema describe the same object: a field added to one and not the other
// fails to compile here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const printModelMatchesSchema: Same<TranscriptModel, PrintTranscriptModel> = true;
void printModelMatchesSchema;
