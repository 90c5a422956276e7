import { CeremonyErrorCode } from '../../errors';
import { inputRequestOf } from './inputs';
import { tryResolve } from './lookup';
import { quorumProgress, requiredQuorum } from './quorum';
import { lostLoginOf } from './sessions';
import type { CeremonyState } from './state';
import { checkInStatus } from './view';

export interface Blocker {
  code: CeremonyErrorCode;
  message: string;
}

/** Everything that stops the current step from running now, most fundamental first. */
export function blockersOf(state: CeremonyState): Blocker[] {
  if (state.status === 'aborted' || state.status === 'completed') {
    return [{ code: CeremonyErrorCode.Finished, message: `The ceremony is ${state.status}.` }];
  }
  if (state.status === 'paused') return [{ code: CeremonyErrorCode.Paused, message: `The ceremony is paused: ${state.pauseReason ?? ''}` }];
  const blockers: Blocker[] = [];
  const checkIn = checkInStatus(state);
  if (!checkIn.complete) blockers.push({ code: CeremonyErrorCode.CheckInIncomplete, message: `Still to check in: ${checkIn.missing.join(', ')}.` });
  const stepState = state.steps[state.currentIndex];
  if (!stepState) return blockers;
  const step = state.script.steps[stepState.index];
  if (stepState.status === 'failed') {
    blockers.push({
      code: CeremonyErrorCode.StepFailed,
      message:
        stepState.failure?.retryable === false
          ? `This step failed and cannot be retried (${stepState.failure.message}). Abort the ceremony.`
          : `This step failed (${stepState.failure?.message ?? 'no reason'}). Retry it or abort the ceremony.`,
    });
  }
  const lost = lostLoginOf(state);
  if (lost) blockers.push({ code: CeremonyErrorCode.ReloginNeeded, message: lost.message });
  if (stepState.status === 'running') {
    blockers.push({
      code: CeremonyErrorCode.StepRunning,
      message: step.kind === 'reveal' ? `Waiting for ${step.to} to acknowledge.` : 'This step is running.',
    });
  }
  const request = inputRequestOf(step);
  if (request) {
    const missing = request.fields.filter(
      (f) => !f.optional && (f.secret ? !stepState.secretFieldsProvided.includes(f.name) : !(f.name in stepState.publicInputs)),
    );
    if (missing.length > 0)
      blockers.push({ code: CeremonyErrorCode.InputsMissing, message: `Waiting for ${request.from} to enter: ${missing.map((f) => f.label).join(', ')}.` });
  }
  const quorum = requiredQuorum(step);
  if (quorum) {
    const progress = quorumProgress(quorum, stepState.confirmedBy, state.checkIns);
    if (!progress.met)
      blockers.push({
        code: CeremonyErrorCode.QuorumNotMet,
        message: `Waiting for confirmation from ${progress.missing.join(' and ')} (needs ${progress.description}).`,
      });
  }
  if (step.kind === 'show' && tryResolve(step.value, state) === undefined) {
    blockers.push({ code: CeremonyErrorCode.ValueUnavailable, message: `The value to show (${step.value}) is not available.` });
  }
  return blockers;
}
