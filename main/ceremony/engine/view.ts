import { hexToBytes, toWords } from '../../fingerprint';
import type { JsonValue } from '../../journal';
import { custodiansRequired, expectedParticipants, Role, type StepKind } from '../script';
import { inputRequestOf, mayProvide } from './inputs';
import { tryResolve } from './lookup';
import { mayConfirm, quorumProgress, requiredQuorum } from './quorum';
import type { CeremonyException, CeremonyState, CeremonyStatus, StepStatus } from './state';

/** Plain JSON the UI renders; sent over IPC as is. */
export interface CeremonyView {
  ceremonyId: string;
  title: string;
  description?: string;
  rehearsal: boolean;
  /** decided by the devices: rehearsal exactly when every device the ceremony uses is a rehearsal device */
  mode: 'rehearsal' | 'real';
  /** the devices the ceremony uses, each marked rehearsal or real, and why */
  devices: { id: string; kind: 'pkcs11' | 'yubihsm'; description: string; rehearsal: boolean; reason: string }[];
  status: CeremonyStatus;
  pauseReason?: string;
  abortReason?: string;
  journal: { head: string; count: number };
  checkIn: { complete: boolean; missing: string[] };
  participants: ParticipantView[];
  steps: StepSummaryView[];
  current: CurrentStepView | null;
  exceptions: CeremonyException[];
}

export interface ParticipantView {
  id: string;
  role: Role;
  expectedName?: string;
  required: boolean;
  checkedIn: boolean;
  name?: string;
  identityCheck?: string;
  checkedBy?: string;
  time?: string;
}

export interface StepSummaryView {
  id: string;
  index: number;
  kind: StepKind;
  title: string;
  status: StepStatus;
  attempts: number;
  confirmedBy: string[];
  result?: JsonValue;
  failure?: { code: string; message: string };
}

export interface CurrentStepView extends StepSummaryView {
  text?: string;
  confirm: { description: string; confirmedBy: string[]; missing: string[]; met: boolean; eligible: string[] } | null;
  inputs: {
    from: string;
    eligible: string[];
    fields: {
      name: string;
      label: string;
      type: string;
      secret: boolean;
      recorded: 'value' | 'commitment' | 'nothing';
      optional: boolean;
      choices?: string[];
    }[];
    provided: boolean;
    by?: string;
  } | null;
  show?: { value: JsonValue | null; format: string; grouped?: string; words?: string[] };
  reveal?: { to: string; shown: boolean };
  action?: { name: string; device?: string };
  print?: { document: string };
  /** what still stands in the way of runCurrentStep, in words */
  blockers: string[];
  canRun: boolean;
}

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
      failure: s.failure,
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
    journal: { head: state.head, count: state.lastSeq },
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
  const text = step.text === undefined ? undefined : ((tryResolve(step.text, state) as string | undefined) ?? step.text);
  const view: CurrentStepView = {
    ...summary,
    text,
    confirm:
      quorum && progress
        ? {
            description: progress.description,
            confirmedBy: [...stepState.confirmedBy],
            missing: progress.missing,
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
  if (step.kind === 'reveal') view.reveal = { to: step.to, shown: stepState.revealShownTo !== undefined };
  if (step.kind === 'action') view.action = { name: step.action, device: step.device };
  if (step.kind === 'print') view.print = { document: step.document };
  return view;
}
