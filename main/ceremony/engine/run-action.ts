import { join } from 'node:path';
import { JournalError, JournalErrorCode, type JsonValue } from '../../journal';
import { defaultActionRegistry, type ActionContext, type JsonObject } from '../actions';
import { CeremonyErrorCode, reasonOf } from '../errors';
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
  fail(step: Step, attempt: number, reason: { code: string; message: string }): Promise<void>;
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
    return host.fail(step, attempt, reasonOf(error));
  } finally {
    host.secrets.dropInputs(step.id); // used once, then gone, success or not
  }
  const revealKeys = Object.keys(result.reveal ?? {});
  for (const key of revealKeys) host.secrets.holdReveal(step.id, key, result.reveal![key]);
  try {
    await host.complete(step, attempt, result.publicResult, {
      outputs: written.map((f) => ({ name: f.name, sha256: f.sha256, size: f.size })),
      revealKeys,
    });
  } catch (error) {
    for (const key of revealKeys) host.secrets.dropReveal(step.id, key);
    if (error instanceof JournalError && error.code === JournalErrorCode.SecretField) return host.fail(step, attempt, reasonOf(error));
    throw error;
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
  };
}
