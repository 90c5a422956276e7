import { join } from 'node:path';
import { JournalError, JournalErrorCode, type JsonValue } from '../../journal';
import { defaultActionRegistry, type ActionContext, type JsonObject } from '../actions';
import { CeremonyError, CeremonyErrorCode, reasonOf } from '../../errors';
import type { Step } from '../script';
import type { EngineOptions } from './options';
import { checkStepDevice, deviceUseOf, judgeOf } from './devices';
import { CeremonyEventType } from './events';
import { actionInputs } from './inputs';
import { createOutputsWriter, OUTPUTS_DIR, type OutputFile } from './outputs';
import type { SecretStore } from './secrets';
import type { CeremonyState } from './state';

/**
 * Running one action or print step: the effect check before a retry, the action itself with the step's inputs (secret
 * ones dropped after the attempt, whatever happened), its outputs written exclusively, its reveals held for the reveal
 * steps, and its result journaled. The Ceremony hands over just what this needs.
 */
export interface ActionStepHost {
  readonly id: string;
  readonly dir: string;
  readonly state: CeremonyState;
  readonly options: EngineOptions;
  readonly secrets: SecretStore;
  record(type: CeremonyEventType, data: JsonValue): Promise<void>;
  complete(step: Step, attempt: number, result: JsonValue, extra?: Record<string, JsonValue>): Promise<void>;
  fail(step: Step, attempt: number, reason: { code: string; message: string; retryable?: boolean }): Promise<void>;
  /** how far the running step has come (the screen's "2 of 5 keys"); memory only */
  progress(stepId: string, done: number, total: number, what: string): void;
}

/**
 * Mistakes people make and simply correct: a wrong PIN, a PIN try that needs the final-try confirmation first, a share
 * with a typo. Each attempt is journaled and counted (step.attempt-rejected), the holder types again, and no exception
 * with a written reason is asked for: those are kept for real deviations.
 */
export const EXPECTED_MISTAKES: ReadonlySet<string> = new Set(['PinIncorrect', 'PinFinalTryNeedsConfirmation', 'ChecksumError', 'NotAShare', 'MalformedShare']);

/** The token's PIN flags after a rejected try, as the PKCS#11 layer reports them in the error's details (no PIN). */
function pinCountersOf(error: unknown): JsonObject | undefined {
  const details = (error as { details?: Record<string, unknown> } | null)?.details;
  const counters = (details?.after ?? details?.before) as Record<string, unknown> | undefined;
  if (!counters || typeof counters !== 'object') return undefined;
  const flag = (name: string) => counters[name] === true;
  return {
    countLow: flag('countLow'),
    finalTry: flag('finalTry'),
    locked: flag('locked'),
    ...(typeof counters.triesLeft === 'number' ? { triesLeft: counters.triesLeft } : {}),
  };
}

export async function runActionStep(
  host: ActionStepHost,
  step: Extract<Step, { kind: 'action' | 'print' }>,
  actionName: string,
  attempt: number,
  params: JsonObject,
): Promise<void> {
  const definition = (host.options.actions ?? defaultActionRegistry).get(actionName);
  if (!definition) return host.fail(step, attempt, { code: CeremonyErrorCode.UnknownAction, message: `No action named ${actionName} is available.` });
  const written: OutputFile[] = [];
  const ctx = actionContext(host, step, attempt, written);
  // The step's device judged again before anything touches it: same mode as the ceremony, same device as before.
  const use = deviceUseOf(actionName, ctx, params);
  let checked;
  try {
    checked = await checkStepDevice(step, use, host.state.mode, host.state.devices, ctx.services);
  } catch (error) {
    host.secrets.dropInputs(step.id);
    return host.fail(step, attempt, reasonOf(error));
  }
  if (checked && 'refusal' in checked) {
    host.secrets.dropInputs(step.id);
    return host.fail(step, attempt, checked.refusal);
  }
  if (checked) await host.record(CeremonyEventType.DeviceAdded, { stepId: step.id, device: checked.added as unknown as JsonValue });
  const instruction =
    definition.notRetryable === undefined || typeof definition.notRetryable === 'string' ? definition.notRetryable : definition.notRetryable(host.id);
  if (attempt > 1 && !definition.checkEffect && instruction) {
    // Its effect cannot be checked and running it again is not safe: say what a person has to do instead.
    host.secrets.dropInputs(step.id);
    return host.fail(step, attempt, { code: CeremonyErrorCode.NotRetryable, message: instruction, retryable: false });
  }
  if (attempt > 1 && definition.checkEffect) {
    let check;
    try {
      check = await definition.checkEffect(ctx, params);
    } catch (error) {
      check = { state: 'unknown' as const, detail: reasonOf(error).message };
    }
    await host.record(CeremonyEventType.EffectChecked, {
      stepId: step.id,
      attempt,
      state: check.state,
      detail: 'detail' in check ? (check.detail ?? null) : null,
    });
    if (check.state === 'present' && check.publicResult) return host.complete(step, attempt, check.publicResult, { recoveredBy: 'checkEffect' });
    if (check.state === 'present') {
      host.secrets.dropInputs(step.id);
      return host.fail(step, attempt, {
        code: CeremonyErrorCode.EffectAlreadyPresent,
        message: `The action already took effect before the interruption${check.detail ? ` (${check.detail})` : ''}; it is not run twice.`,
      });
    }
    if (check.state === 'unknown') {
      host.secrets.dropInputs(step.id);
      return host.fail(step, attempt, {
        code: CeremonyErrorCode.EffectUnknown,
        message: `Cannot tell whether the action already took effect (${check.detail}); it is not run blindly.`,
      });
    }
  }
  const stepState = host.state.steps.find((s) => s.id === step.id)!;
  let result;
  try {
    const run = () => definition.run(ctx, params, actionInputs(stepState.publicInputs, host.secrets.inputsOf(step.id)));
    // a token a rehearsal step makes in the rehearsal store (a practice token) is recorded as a rehearsal token
    result = use && host.state.mode === 'rehearsal' ? await judgeOf(ctx.services).recordingNewTokens(use, run) : await run();
    for (const output of result.outputs ?? []) await ctx.outputs.write(output.name, output.content, { secret: output.secret === true });
  } catch (error) {
    host.secrets.dropInputs(step.id); // used once, then gone, success or not
    const reason = reasonOf(error);
    const pinCounters = pinCountersOf(error);
    // a wrong PIN that locked the token is no longer a mistake to correct: it is a deviation on record
    if (EXPECTED_MISTAKES.has(reason.code) && pinCounters?.locked !== true) {
      return host.record(CeremonyEventType.AttemptRejected, { stepId: step.id, attempt, reason, ...(pinCounters ? { pinCounters } : {}) });
    }
    return host.fail(step, attempt, instruction ? { code: reason.code, message: `${reason.message} ${instruction}`, retryable: false } : reason);
  }
  const revealKeys = Object.keys(result.reveal ?? {});
  for (const key of revealKeys) host.secrets.holdReveal(step.id, key, result.reveal![key]);
  try {
    // the typed inputs are still held here, so the journal's value guard refuses a result that echoes one
    await host.complete(step, attempt, result.publicResult, {
      outputs: written.map((f) => ({ name: f.name, sha256: f.sha256, size: f.size })),
      revealKeys,
    });
  } catch (error) {
    for (const key of revealKeys) host.secrets.dropReveal(step.id, key);
    host.secrets.dropInputs(step.id);
    if (error instanceof JournalError && (error.code === JournalErrorCode.SecretField || error.code === JournalErrorCode.SecretValue))
      return host.fail(step, attempt, reasonOf(error));
    throw error;
  } finally {
    host.secrets.dropInputs(step.id); // used once, then gone, success or not
  }
}

/** Failures a retry cannot mend: the secret is gone, the effect is already there, or the action says so. */
const NOT_RETRYABLE_CODES: ReadonlySet<string> = new Set([
  CeremonyErrorCode.SecretLost,
  CeremonyErrorCode.EffectAlreadyPresent,
  CeremonyErrorCode.NotRetryable,
]);

export function retryableByDefault(code: string): boolean {
  return !NOT_RETRYABLE_CODES.has(code);
}

/**
 * Runs an action outside its own step — the login a restart took away, made again before the step that needs it —
 * with the values just typed (secret ones zeroed afterwards, whatever happened). Journals nothing itself.
 */
export async function runActionOnce(
  host: ActionStepHost,
  step: Extract<Step, { kind: 'action' }>,
  params: JsonObject,
  values: { publicValues: Record<string, JsonValue>; secretValues: Record<string, Uint8Array> },
): Promise<JsonValue> {
  const definition = (host.options.actions ?? defaultActionRegistry).get(step.action);
  try {
    if (!definition) throw new CeremonyError(CeremonyErrorCode.UnknownAction, `No action named ${step.action} is available.`);
    const stepState = host.state.steps.find((s) => s.id === step.id)!;
    const result = await definition.run(actionContext(host, step, stepState.attempts, []), params, actionInputs(values.publicValues, values.secretValues));
    return result.publicResult;
  } finally {
    for (const bytes of Object.values(values.secretValues)) bytes.fill(0);
  }
}

function actionContext(host: ActionStepHost, step: Extract<Step, { kind: 'action' | 'print' }>, attempt: number, written: OutputFile[]): ActionContext {
  const devices = host.state.script.devices;
  return {
    ceremonyId: host.id,
    stepId: step.id,
    attempt,
    rehearsal: host.state.rehearsal,
    parameters: { ...host.state.parameters },
    device: step.kind === 'action' && step.device ? devices.find((d) => d.id === step.device) : undefined,
    devices,
    services: host.options.services ?? {},
    outputs: createOutputsWriter(join(host.dir, OUTPUTS_DIR), (file) => written.push(file), { rehearsal: host.state.mode === 'rehearsal' }),
    log: async (message, details) => {
      await host.record(CeremonyEventType.ActionNote, { stepId: step.id, message, ...(details ? { details } : {}) });
    },
    progress: (done, total, what) => host.progress(step.id, done, total, what),
  };
}
