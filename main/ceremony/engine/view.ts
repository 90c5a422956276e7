import { hexToBytes, toWords } from '../../fingerprint';
import { counterSentence } from '../actions';
import type { CeremonyView, CurrentStepView, StepSummaryView } from '../../../preload/api';
import { custodiansRequired, expectedParticipants, Role } from '../script';
import { inputRequestOf, mayProvide } from './inputs';
import { tryResolve } from './lookup';
import { mayConfirm, quorumProgress, requiredQuorum } from './quorum';
import { lostLoginOf } from './sessions';
import type { CeremonyState } from './state';

/**
 * Plain JSON the UI renders; sent over IPC as is. The types come from the strict schema in preload (the contract), so
 * main cannot build a view with a field the contract does not declare.
 */
export type { CeremonyView, CurrentStepView, ParticipantView, StepSummaryView } from '../../../preload/api';

export function checkInStatus(state: CeremonyState): { complete: boolean; missing: string[] } {
  const seats = expectedParticipants(state.script.roles);
  const missing = seats.filter((s) => s.required && !state.checkIns[s.id]).map((s) => s.id);
  const custodiansIn = seats.filter((s) => s.role === Role.Custodian && state.checkIns[s.id]).length;
  const needed = custodiansRequired(state.script.roles);
  if (custodiansIn < needed && missing.every((m) => !m.startsWith('custodian-'))) missing.push(`${needed - custodiansIn} more custodian(s)`);
  return { complete: missing.length === 0, missing };
}

export function buildView(state: CeremonyState, blockersOf: (state: CeremonyState) => string[]): CeremonyView {
  const seats = expectedParticipants(state.script.roles);
  const steps: StepSummaryView[] = state.steps.map((s) => {
    const step = state.script.steps[s.index];
    return {
      id: s.id,
      index: s.index,
      kind: step.kind,
      title: step.title,
      status: s.status,
      attempts: s.attempts,
      confirmedBy: [...s.confirmedBy],
      result: s.result,
      failure: s.failure ? { ...s.failure } : undefined,
    };
  });
  return {
    ceremonyId: state.ceremonyId,
    title: state.title,
    description: state.script.metadata.description,
    rehearsal: state.rehearsal,
    mode: state.mode,
    devices: state.devices.map((d) => ({ id: d.id, kind: d.kind, description: d.description, rehearsal: d.rehearsal, reason: d.reason })),
    status: state.status,
    pauseReason: state.pauseReason,
    abortReason: state.abortReason,
    journal: { head: state.head, words: /^[0-9a-f]{64}$/.test(state.head) ? toWords(hexToBytes(state.head)) : [], count: state.lastSeq },
    checkIn: checkInStatus(state),
    participants: seats.map((seat) => {
      const c = state.checkIns[seat.id];
      return {
        id: seat.id,
        role: seat.role,
        expectedName: seat.expectedName,
        required: seat.required,
        checkedIn: !!c,
        name: c?.name,
        identityCheck: c?.identityCheck,
        checkedBy: c?.checkedBy,
        time: c?.time,
      };
    }),
    steps,
    current: state.currentIndex < state.steps.length && state.status !== 'aborted' ? currentView(state, steps[state.currentIndex], blockersOf(state)) : null,
    exceptions: [...state.exceptions],
  };
}

function currentView(state: CeremonyState, summary: StepSummaryView, blockers: string[]): CurrentStepView {
  const step = state.script.steps[summary.index];
  const stepState = state.steps[summary.index];
  const checkedIn = Object.values(state.checkIns);
  const quorum = requiredQuorum(step);
  const progress = quorum ? quorumProgress(quorum, stepState.confirmedBy, state.checkIns) : null;
  const request = inputRequestOf(step);
  const finalTry = atFinalTry(state, stepState);
  const retrying = stepState.status === 'failed' || stepState.status === 'interrupted';
  const shownText = step.text === undefined ? undefined : countersAsRejected(step, stepState);
  const text = shownText === undefined ? undefined : ((tryResolve(shownText, state) as string | undefined) ?? shownText);
  const view: CurrentStepView = {
    ...summary,
    text,
    confirm:
      quorum && progress
        ? {
            description: progress.description,
            confirmedBy: [...stepState.confirmedBy],
            missing: progress.missing,
            needed: progress.needed,
            met: progress.met,
            eligible: checkedIn
              .filter((c) => mayConfirm(quorum, c.participantId, c.role) && !stepState.confirmedBy.includes(c.participantId))
              .map((c) => c.participantId),
          }
        : null,
    inputs: request
      ? {
          from: request.from,
          eligible: checkedIn.filter((c) => mayProvide(request, c.participantId, c.role)).map((c) => c.participantId),
          fields: request.fields.map((f) => ({
            name: f.name,
            label: f.label,
            type: f.type,
            secret: f.secret,
            recorded: f.secret ? (f.journal === 'commitment' ? 'commitment' : 'nothing') : 'value',
            optional: f.optional,
            choices: f.choices,
            needed: f.name === 'confirmFinalTry' ? finalTry : f.optional && f.secret && f.name === 'pin' ? retrying : true,
          })),
          provided:
            stepState.inputBy !== undefined &&
            request.fields.every((f) => f.optional || (f.secret ? stepState.secretFieldsProvided.includes(f.name) : f.name in stepState.publicInputs)) &&
            // After a failed or interrupted attempt the secrets were dropped: the box comes back so they can be typed for the retry.
            !(
              stepState.attempts > 0 &&
              stepState.status !== 'completed' &&
              request.fields.some((f) => f.secret) &&
              stepState.secretFieldsProvided.length === 0
            ),
          by: stepState.inputBy,
        }
      : null,
    ...(stepState.rejection ? { rejection: { ...stepState.rejection } } : {}),
    finalTry,
    blockers,
    canRun: blockers.length === 0,
  };
  if (step.kind === 'show') {
    const value = tryResolve(step.value, state) ?? null;
    view.show = { value, format: step.format };
    if (typeof value === 'string' && (step.format === 'fingerprint' || step.format === 'hex' || step.format === 'words') && /^[0-9a-f]{64}$/.test(value)) {
      view.show.grouped = value.match(/.{4}/g)!.join(' ');
      view.show.words = toWords(hexToBytes(value));
    }
  }
  const lost = lostLoginOf(state);
  if (lost) view.relogin = { participantId: lost.participantId, name: lost.name, message: lost.message };
  if (step.kind === 'reveal') view.reveal = { to: step.to, shown: stepState.revealShownTo !== undefined };
  if (step.kind === 'action') view.action = { name: step.action, device: step.device };
  if (step.kind === 'print') view.print = { document: step.document };
  return view;
}

/**
 * A login's read-aloud text quotes the counters read before it (`${steps.token-status.result.userPinStatus}`); after a
 * rejected try those are stale, so the text quotes the counters that rejection reported instead, and the counter line
 * agrees with the rejection's message.
 */
function countersAsRejected(step: CeremonyState['script']['steps'][number], stepState: CeremonyState['steps'][number]): string | undefined {
  const text = step.text;
  const counters = stepState.rejection?.pinCounters;
  if (typeof text !== 'string' || !counters || step.kind !== 'action') return text;
  const who = (step.params as Record<string, unknown> | undefined)?.user === 'SO' ? 'SO' : 'user';
  const reference = new RegExp(`\\$\\{steps\\.[A-Za-z0-9_-]+\\.result\\.${who === 'SO' ? 'soPinStatus' : 'userPinStatus'}\\}`, 'g');
  return text.replace(reference, counterSentence(who, counters));
}

/**
 * Whether the token is at its final PIN try for this step: what the last rejected try reported, or before any try,
 * what the latest earlier step read from the token (its userPinCounters / soPinCounters).
 */
function atFinalTry(state: CeremonyState, stepState: CeremonyState['steps'][number]): boolean {
  const rejection = stepState.rejection;
  if (rejection) return rejection.code === 'PinFinalTryNeedsConfirmation' || rejection.pinCounters?.finalTry === true;
  for (let i = stepState.index - 1; i >= 0; i--) {
    const result = state.steps[i].result as Record<string, unknown> | undefined;
    if (!result || typeof result !== 'object') continue;
    const counters = (result.after ?? result.userPinCounters) as Record<string, unknown> | undefined;
    if (counters && typeof counters === 'object' && 'finalTry' in counters) return counters.finalTry === true;
  }
  return false;
}
