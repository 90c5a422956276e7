import { createHash } from 'node:crypto';
import { canonicalJson, type JsonValue } from '../../journal';
import type { JsonObject } from '../actions';
import { CeremonyError, CeremonyErrorCode, reasonOf } from '../../errors';
import { resolveReferences, type Step } from '../script';
import { CeremonyEventType } from './events';
import { checkInputs, inputRequestOf, mayProvide, type RawInputValue } from './inputs';
import { referenceSource } from './lookup';
import { runActionOnce, type ActionStepHost } from './run-action';
import { lostLoginOf } from './sessions';
import type { CheckIn, StepState } from './state';

/** What the input commands need from the Ceremony: its action host plus the memory of the last input per step. */
export interface InputHost extends ActionStepHost {
  /** per step, a salted digest of the input last accepted (memory only) */
  readonly lastInput: Map<string, string>;
  readonly inputSalt: Uint8Array;
}

function digestOf(host: InputHost, participantId: string, values: Record<string, RawInputValue>): string {
  return createHash('sha256')
    .update(host.inputSalt)
    .update(canonicalJson({ participantId, values } as unknown as JsonValue))
    .digest('hex');
}

/**
 * Accepts a participant's values for the current step: one step.input-provided event. An input already entered for
 * the coming attempt is not entered twice: the same values again are a no-op (a double click), others are refused.
 * Public values stay entered; secret ones count until an attempt or a restart drops them (then they are typed again).
 */
export async function acceptInput(host: InputHost, step: Step, stepState: StepState, checkIn: CheckIn, values: Record<string, RawInputValue>): Promise<void> {
  const request = inputRequestOf(step);
  if (!request) throw new CeremonyError(CeremonyErrorCode.InputNotExpected, `Step "${step.title}" takes no input.`);
  const participantId = checkIn.participantId;
  if (!mayProvide(request, participantId, checkIn.role)) {
    throw new CeremonyError(CeremonyErrorCode.WrongParticipant, `This input is for ${request.from}, not ${participantId}.`);
  }
  const digest = digestOf(host, participantId, values);
  const hasSecret = request.fields.some((f) => f.secret);
  if (stepState.inputBy !== undefined && (!hasSecret || stepState.inputAtAttempt === stepState.attempts)) {
    if (host.lastInput.get(step.id) === digest) return;
    throw new CeremonyError(CeremonyErrorCode.InputAlreadyProvided, `These values were already entered by ${stepState.inputBy}.`);
  }
  const checked = checkInputs(request, values);
  host.secrets.holdInputs(step.id, checked.secretValues);
  try {
    await host.record(CeremonyEventType.InputProvided, {
      stepId: step.id,
      participantId,
      values: checked.publicValues,
      secretFields: checked.secretFields,
    });
  } catch (error) {
    host.secrets.dropInputs(step.id);
    throw error;
  }
  host.lastInput.set(step.id, digest);
}

/** Runs the lost login's own action with the values typed now; journals step.relogin or step.relogin-failed. */
export async function makeLoginAgain(host: InputHost, step: Step, checkIn: CheckIn, values: Record<string, RawInputValue>): Promise<void> {
  const lost = lostLoginOf(host.state);
  if (!lost) throw new CeremonyError(CeremonyErrorCode.InputNotExpected, 'No login needs to be made again now.');
  const request = inputRequestOf(lost.loginStep)!;
  const participantId = checkIn.participantId;
  if (!mayProvide(request, participantId, checkIn.role)) {
    throw new CeremonyError(CeremonyErrorCode.WrongParticipant, `${lost.name} (${lost.participantId}) makes this login again, not ${participantId}.`);
  }
  const checked = checkInputs(request, values);
  let params: JsonObject;
  try {
    params = resolveReferences((lost.loginStep.params ?? {}) as JsonValue, referenceSource(host.state)) as JsonObject;
  } catch (error) {
    for (const bytes of Object.values(checked.secretValues)) bytes.fill(0);
    throw new CeremonyError(CeremonyErrorCode.ValueUnavailable, reasonOf(error).message);
  }
  const base = { stepId: step.id, loginStepId: lost.loginStep.id, participantId };
  let result: JsonValue;
  try {
    result = await runActionOnce(host, lost.loginStep, params, checked);
  } catch (error) {
    const reason = reasonOf(error);
    await host.record(CeremonyEventType.ReloginFailed, { ...base, reason });
    throw new CeremonyError(reason.code as CeremonyErrorCode, reason.message);
  }
  await host.record(CeremonyEventType.Relogin, { ...base, result });
}
