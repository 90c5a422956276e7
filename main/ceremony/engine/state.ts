import { JournalEventType, type JournalEvent, type JsonValue } from '../../journal';
import type { CeremonyScript } from '../script';
import { devicesFromJournal, type CeremonyDevice, type CeremonyMode } from './device-record';
import { CeremonyEventType } from './events';

export type StepStatus = 'pending' | 'running' | 'completed' | 'failed' | 'interrupted';
export type CeremonyStatus = 'open' | 'paused' | 'aborted' | 'completed';

export interface CheckIn {
  participantId: string;
  role: string;
  name: string;
  identityCheck: string;
  checkedBy: string;
  time: string;
  seq: number;
}

export interface StepState {
  id: string;
  index: number;
  status: StepStatus;
  attempts: number;
  /** participant ids, in the order they confirmed */
  confirmedBy: string[];
  inputBy?: string;
  publicInputs: Record<string, JsonValue>;
  /** secret fields provided for the coming attempt (the values are in memory only) */
  secretFieldsProvided: string[];
  result?: JsonValue;
  failure?: { code: string; message: string };
  revealShownTo?: string;
  startedAt?: string;
  completedAt?: string;
}

export interface CeremonyException {
  seq: number;
  time: string;
  type: string;
  stepId?: string;
  reason: string;
}

/** Everything the engine knows, rebuilt purely from journal events by applyEvent. */
export interface CeremonyState {
  ceremonyId: string;
  title: string;
  rehearsal: boolean;
  /** decided by the devices when the ceremony was created (rehearsal exactly when all of them are rehearsal devices) */
  mode: CeremonyMode;
  /** the devices that decided it, and those first used later */
  devices: CeremonyDevice[];
  scriptText: string;
  scriptSha256: string;
  script: CeremonyScript;
  parameters: Record<string, JsonValue>;
  status: CeremonyStatus;
  pauseReason?: string;
  abortReason?: string;
  checkIns: Record<string, CheckIn>;
  steps: StepState[];
  /** step id → index into steps */
  stepIndexById: Record<string, number>;
  /** index of the first step not completed (steps.length when all are) */
  currentIndex: number;
  exceptions: CeremonyException[];
  lastSeq: number;
  head: string;
}

export function initialState(
  created: {
    ceremonyId: string;
    title: string;
    rehearsal: boolean;
    scriptText: string;
    scriptSha256: string;
    parameters: Record<string, JsonValue>;
    devices?: CeremonyDevice[];
  },
  script: CeremonyScript,
): CeremonyState {
  return {
    ...created,
    mode: created.rehearsal ? 'rehearsal' : 'real',
    devices: [...(created.devices ?? [])],
    script,
    status: 'open',
    checkIns: {},
    steps: script.steps.map((s, index) => ({ id: s.id, index, status: 'pending', attempts: 0, confirmedBy: [], publicInputs: {}, secretFieldsProvided: [] })),
    stepIndexById: Object.fromEntries(script.steps.map((s, index) => [s.id, index])),
    currentIndex: 0,
    exceptions: [],
    lastSeq: 0,
    head: '',
  };
}

type Data = Record<string, JsonValue>;

/**
 * Applies one journal event to the state. The live engine and the replay after a restart both go through
 * here, so what the screen shows is always exactly what the journal says.
 */
export function applyEvent(state: CeremonyState, event: JournalEvent): void {
  state.lastSeq = event.seq;
  state.head = event.hash;
  const data = (event.data ?? {}) as Data;
  const step = typeof data.stepId === 'string' ? state.steps[state.stepIndexById[data.stepId]] : undefined;
  const exception = (reason: string) => state.exceptions.push({ seq: event.seq, time: event.time, type: event.type, stepId: step?.id, reason });
  switch (event.type) {
    case CeremonyEventType.DeviceAdded:
      state.devices.push(...devicesFromJournal([data.device ?? null]));
      break;
    case CeremonyEventType.CheckedIn:
      state.checkIns[data.participantId as string] = {
        participantId: data.participantId as string,
        role: data.role as string,
        name: data.name as string,
        identityCheck: data.identityCheck as string,
        checkedBy: data.checkedBy as string,
        time: event.time,
        seq: event.seq,
      };
      break;
    case CeremonyEventType.Confirmed:
      if (step && !step.confirmedBy.includes(data.participantId as string)) step.confirmedBy.push(data.participantId as string);
      break;
    case CeremonyEventType.InputProvided:
      if (step) {
        step.inputBy = data.participantId as string;
        Object.assign(step.publicInputs, data.values as Data);
        step.secretFieldsProvided = ((data.secretFields as { name: string }[]) ?? []).map((f) => f.name);
      }
      break;
    case CeremonyEventType.StepStarted:
      if (step) {
        step.status = 'running';
        step.attempts = data.attempt as number;
        step.startedAt = event.time;
        step.failure = undefined;
      }
      break;
    case CeremonyEventType.StepCompleted:
      if (step) {
        step.status = 'completed';
        step.result = data.result;
        step.completedAt = event.time;
        step.secretFieldsProvided = [];
        state.currentIndex = Math.max(state.currentIndex, step.index + 1);
      }
      break;
    case CeremonyEventType.StepFailed:
      if (step) {
        step.status = 'failed';
        step.failure = data.reason as { code: string; message: string };
        step.secretFieldsProvided = []; // secrets are dropped after every attempt; a retry asks again
        exception(`${step.failure.code}: ${step.failure.message}`);
      }
      break;
    case CeremonyEventType.StepInterrupted:
      if (step) {
        step.status = 'interrupted';
        step.secretFieldsProvided = [];
        exception(`Step interrupted (attempt ${String(data.attempt)}): ${String(data.reason ?? 'the application stopped before it finished')}`);
      }
      break;
    case CeremonyEventType.StepRetry:
      if (step) {
        step.status = 'pending';
        exception(`Retry requested by ${String(data.by)}: ${String(data.reason)}`);
      }
      break;
    case CeremonyEventType.EffectChecked:
      if (data.state !== 'absent') exception(`Before retrying, the effect was found ${String(data.state)}: ${String(data.detail ?? '')}`);
      break;
    case CeremonyEventType.RevealShown:
      if (step) step.revealShownTo = data.participantId as string;
      break;
    case CeremonyEventType.Paused:
      state.status = 'paused';
      state.pauseReason = data.reason as string;
      exception(`Paused by ${String(data.by)}: ${String(data.reason)}`);
      break;
    case CeremonyEventType.Resumed:
      state.status = 'open';
      state.pauseReason = undefined;
      break;
    case CeremonyEventType.Aborted:
      state.status = 'aborted';
      state.abortReason = data.reason as string;
      exception(`Aborted by ${String(data.by)}: ${String(data.reason)}`);
      break;
    case CeremonyEventType.Completed:
      state.status = 'completed';
      break;
    case JournalEventType.TailRecovered:
      exception('The application stopped in the middle of writing an event; the unfinished bytes are kept and recorded.');
      break;
    default:
      break; // journal.opened, ceremony.created, ceremony.reopened, action.note: nothing to change
  }
}

/** Steps whose last event was step.started and nothing after: the process stopped while they ran. */
export function runningSteps(state: CeremonyState): StepState[] {
  return state.steps.filter((s) => s.status === 'running');
}
