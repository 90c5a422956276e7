import { GENESIS_PREV, JournalEventType, type JournalEvent, type TornFragment } from '../journal';
import type {
  StepOutcome,
  TranscriptAttempt,
  TranscriptException,
  TranscriptHost,
  TranscriptModel,
  TranscriptParticipant,
  TranscriptStep,
} from '../../preload/print';
import { modeDevices, readDevices } from './devices';
import { collectEvidence, digestText, emptyEvidence, resultLines } from './evidence';
import { outlineScript, type ScriptOutline } from './script-outline';
import { collectSummary, oneLine } from './summary';

/**
 * The event types the ceremony engine writes (main/ceremony/engine/events.ts, CeremonyEventType). Repeated as
 * strings: the transcript reads journals, including old ones, and must not change meaning when the engine does.
 */
export const CeremonyEvents = {
  CheckedIn: 'participant.checked-in',
  Confirmed: 'step.confirmed',
  InputProvided: 'step.input-provided',
  StepStarted: 'step.started',
  EffectChecked: 'step.effect-checked',
  StepCompleted: 'step.completed',
  StepFailed: 'step.failed',
  StepInterrupted: 'step.interrupted',
  StepRetry: 'step.retry',
  AttemptRejected: 'step.attempt-rejected',
  RevealShown: 'reveal.shown',
  Paused: 'ceremony.paused',
  Resumed: 'ceremony.resumed',
  Aborted: 'ceremony.aborted',
  Completed: 'ceremony.completed',
  Reopened: 'ceremony.reopened',
} as const;

export interface TranscriptModelOptions {
  /** overrides the journal's own rehearsal flag (a ceremony is REHEARSAL if either says so) */
  rehearsal?: boolean;
  /** overrides the ceremony id recorded in the journal's first event */
  ceremonyId?: string;
  title?: string;
  /** when the transcript is printed; defaults to now */
  generatedAt?: Date | string;
  /** bytes after the last event that the verifier found (a crash mid-write) and no event has recorded yet */
  tornTail?: TornFragment[];
  /** step titles and devices when the journal's first event carries no script text */
  script?: Partial<ScriptOutline>;
  /** printed by the ceremony's own print step: the journal goes on after this print (its record, the confirmation, the closing) */
  printStep?: boolean;
}

type Data = Record<string, unknown>;
const dataOf = (event: JournalEvent): Data => (event.data !== null && typeof event.data === 'object' && !Array.isArray(event.data) ? (event.data as Data) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);

function reasonText(reason: unknown): string {
  if (reason && typeof reason === 'object' && 'message' in reason) {
    const { code, message } = reason as { code?: unknown; message?: unknown };
    return code ? `${String(code)}: ${String(message)}` : String(message);
  }
  return reason === undefined || reason === null ? '' : String(reason);
}

function hostOf(value: unknown): TranscriptHost | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const h = value as Data;
  const up = Array.isArray(h.interfacesUp) ? h.interfacesUp : [];
  return {
    hostname: str(h.hostname),
    platform: str(h.platform),
    osRelease: str(h.osRelease),
    arch: str(h.arch),
    airGapped: typeof h.airGapped === 'boolean' ? h.airGapped : undefined,
    interfacesUp: up.map((i) => {
      const entry = (i ?? {}) as Data;
      const addresses = Array.isArray(entry.addresses) ? entry.addresses.map(String).join(' ') : '';
      return [str(entry.name) ?? String(i), addresses].filter(Boolean).join(' ');
    }),
  };
}

/** A step as it is built up while reading the events in order. */
interface StepDraft extends TranscriptStep {
  confirmedIds: Set<string>;
}

/**
 * Builds the transcript's model from the journal's events (all of them, in order, as the verifier returns them):
 * who was there, which devices, every step with its attempts and confirmations, every exception, the public
 * evidence the steps produced, and the chain head. Pure: the same events give the same model.
 */
export function buildTranscriptModel(events: readonly JournalEvent[], options: TranscriptModelOptions = {}): TranscriptModel {
  const opened = events.find((e) => e.type === JournalEventType.Opened);
  const first = opened ? dataOf(opened) : {};
  const parsed = outlineScript(str(first.scriptText));
  const outline: ScriptOutline = {
    title: options.script?.title ?? parsed.title,
    description: options.script?.description ?? parsed.description,
    steps: options.script?.steps ?? parsed.steps,
    devices: options.script?.devices ?? parsed.devices,
  };

  const participants = new Map<string, TranscriptParticipant>();
  const nameOf = (id: string) => participants.get(id)?.name;
  const steps = new Map<string, StepDraft>();
  const stepOf = (id: unknown): StepDraft | undefined => {
    const key = str(id);
    if (key === undefined) return undefined;
    let step = steps.get(key);
    if (!step) {
      const known = outline.steps.find((s) => s.id === key);
      step = {
        id: key,
        number: 0,
        title: known?.title ?? key,
        kind: known?.kind,
        outcome: 'pending',
        attempts: [],
        confirmedBy: [],
        confirmedIds: new Set(),
        result: [],
        outputs: [],
      };
      steps.set(key, step);
    }
    return step;
  };
  outline.steps.forEach((s) => stepOf(s.id)); // script order first; steps only the journal knows come after
  const exceptions: TranscriptException[] = [];
  const evidence = emptyEvidence();
  const summary: TranscriptModel['summary'] = { keys: [], certificates: [] };
  let status = 'open';

  const currentAttempt = (step: StepDraft, attempt: unknown): TranscriptAttempt => {
    const n = typeof attempt === 'number' ? attempt : step.attempts.length || 1;
    let entry = step.attempts.find((a) => a.attempt === n);
    if (!entry) {
      entry = { attempt: n, outcome: 'running' };
      step.attempts.push(entry);
    }
    return entry;
  };
  const finish = (step: StepDraft, event: JournalEvent, outcome: StepOutcome, reason?: string) => {
    const attempt = currentAttempt(step, dataOf(event).attempt);
    attempt.outcome = outcome;
    attempt.endedAt = event.time;
    if (reason) attempt.reason = reason;
    step.outcome = outcome;
  };
  const confirm = (step: StepDraft, participantId: string, time: string) => {
    if (step.confirmedIds.has(participantId)) return;
    step.confirmedIds.add(participantId);
    step.confirmedBy.push({ participantId, name: nameOf(participantId), time });
  };
  const exception = (event: JournalEvent, kind: TranscriptException['kind'], text: string, stepId?: string) =>
    exceptions.push({ seq: event.seq, time: event.time, kind, stepId, text });

  for (const event of events) {
    const data = dataOf(event);
    const step = data.stepId !== undefined ? stepOf(data.stepId) : undefined;
    switch (event.type) {
      case CeremonyEvents.CheckedIn: {
        const id = str(data.participantId) ?? `participant-${participants.size + 1}`;
        participants.set(id, {
          id,
          role: str(data.role) ?? '',
          name: str(data.name) ?? '',
          identityCheck: str(data.identityCheck) ?? '',
          checkedBy: str(data.checkedBy) ?? '',
          time: event.time,
        });
        break;
      }
      case CeremonyEvents.Confirmed:
        if (step && str(data.participantId)) confirm(step, str(data.participantId)!, event.time);
        break;
      case CeremonyEvents.InputProvided:
        if (step) step.inputBy = str(data.participantId);
        break;
      case CeremonyEvents.StepStarted:
        if (step) {
          const attempt = currentAttempt(step, data.attempt);
          attempt.startedAt = event.time;
          step.startedAt ??= event.time;
          step.kind ??= str(data.kind);
          step.outcome = 'running';
        }
        break;
      case CeremonyEvents.StepCompleted:
        if (step) {
          finish(step, event, 'completed');
          step.completedAt = event.time;
          for (const id of Array.isArray(data.confirmedBy) ? data.confirmedBy : []) confirm(step, String(id), event.time);
          step.result = resultLines(data.result, new Set(['confirmedBy']));
          step.outputs = (Array.isArray(data.outputs) ? data.outputs : []).map((o) => {
            const f = (o ?? {}) as Data;
            return { name: String(f.name), sha256: String(f.sha256), size: Number(f.size) };
          });
          collectEvidence(data.result, step.id, step.title, evidence);
          collectSummary(data.result, step.id, summary);
          step.line = oneLine(step, data.result);
          const result = (data.result ?? {}) as Data;
          if ((result.format === 'fingerprint' || result.format === 'words') && typeof result.shown === 'string' && /^[0-9a-f]{64}$/i.test(result.shown)) {
            evidence.fingerprints.push({ label: step.title, stepId: step.id, digest: digestText(result.shown) });
          }
        }
        break;
      case CeremonyEvents.StepFailed:
        if (step) {
          finish(step, event, 'failed', reasonText(data.reason));
          exception(event, 'failure', `Attempt ${String(data.attempt ?? '')} failed — ${reasonText(data.reason)}`, step.id);
        }
        break;
      case CeremonyEvents.StepInterrupted:
        if (step) {
          finish(step, event, 'interrupted', reasonText(data.reason) || 'the application stopped before the step finished');
          exception(event, 'interrupted', `Attempt ${String(data.attempt ?? '')} was interrupted: ${reasonText(data.reason)}`, step.id);
        }
        break;
      case CeremonyEvents.StepRetry:
        if (step) {
          step.outcome = 'pending';
          const by = str(data.by) ?? '';
          exception(event, 'retry', `Retry requested by ${nameOf(by) ? `${nameOf(by)} (${by})` : by}: ${reasonText(data.reason)}`, step.id);
        }
        break;
      case CeremonyEvents.AttemptRejected:
        // an expected mistake (a wrong PIN, a mistyped share): counted on the step, not an exception
        if (step) {
          step.rejectedTries = (step.rejectedTries ?? 0) + 1;
          const reason = (data.reason ?? {}) as Data;
          finish(step, event, 'rejected', str(reason.message) ?? 'refused');
          step.outcome = 'pending';
        }
        break;
      case CeremonyEvents.EffectChecked:
        exception(
          event,
          'effect-check',
          `Before attempt ${String(data.attempt ?? '')}, the action's effect was checked and found ${String(data.state)}${data.detail ? `: ${String(data.detail)}` : ''}`,
          step?.id,
        );
        break;
      case CeremonyEvents.RevealShown:
        if (step) step.revealedTo = str(data.participantId);
        break;
      case CeremonyEvents.Paused:
        status = 'paused';
        exception(event, 'pause', `Paused by ${String(data.by ?? '')}: ${reasonText(data.reason)}`);
        break;
      case CeremonyEvents.Resumed:
        status = 'open';
        break;
      case CeremonyEvents.Aborted:
        status = 'aborted';
        exception(event, 'abort', `Aborted by ${String(data.by ?? '')}${data.atStep ? ` at step ${String(data.atStep)}` : ''}: ${reasonText(data.reason)}`);
        break;
      case CeremonyEvents.Completed:
        status = 'completed';
        break;
      case CeremonyEvents.Reopened:
      case JournalEventType.Reopened:
        exception(event, 'reopened', `The application was restarted and the ceremony reopened${data.atStep ? ` at step ${String(data.atStep)}` : ''}.`);
        break;
      case JournalEventType.TailRecovered: {
        const fragments = Array.isArray(data.fragments) ? data.fragments : [];
        const bytes = fragments.reduce<number>((n, f) => n + Number((f as Data)?.length ?? 0), 0);
        exception(
          event,
          'torn-tail',
          `The application stopped in the middle of writing an event; ${bytes} unfinished bytes are kept in the file and recorded here.`,
        );
        break;
      }
      default:
        break;
    }
  }

  const last = events[events.length - 1];
  if (options.tornTail && options.tornTail.length > 0) {
    const bytes = options.tornTail.reduce((n, f) => n + f.length, 0);
    exceptions.push({
      seq: (last?.seq ?? 0) + 1,
      time: last?.time ?? '',
      kind: 'torn-tail',
      text: `The journal ends with ${bytes} bytes of an unfinished write after event ${last?.seq ?? 0} (a crash or power cut); everything before it verifies.`,
    });
  }

  const orderedSteps: TranscriptStep[] = [...steps.values()].map(({ confirmedIds: _ids, ...step }, i) => ({ ...step, number: i + 1 }));
  for (const step of orderedSteps) step.confirmedBy = step.confirmedBy.map((c) => ({ ...c, name: c.name ?? nameOf(c.participantId) }));
  const participantList = [...participants.values()];
  const scriptSha256 = str(first.scriptSha256);
  const generatedAt = options.generatedAt ?? new Date();

  return {
    ceremonyId: options.ceremonyId ?? str(first.ceremonyId) ?? 'unknown',
    title: options.title ?? str(first.title) ?? outline.title ?? 'Key ceremony',
    description: outline.description,
    rehearsal: options.rehearsal === true || first.rehearsal === true,
    status,
    generatedAt: typeof generatedAt === 'string' ? generatedAt : generatedAt.toISOString(),
    appVersion: str(first.appVersion),
    script: scriptSha256 && /^[0-9a-f]{64}$/.test(scriptSha256) ? { sha256: scriptSha256, words: digestText(scriptSha256).words } : undefined,
    host: hostOf(first.host),
    journal: {
      eventCount: events.length,
      firstTime: events[0]?.time,
      lastTime: last?.time,
      closed: last?.type === JournalEventType.Closed,
      ...(options.printStep ? { printStep: true } : {}),
      head: digestText(last?.hash ?? GENESIS_PREV),
    },
    participants: participantList,
    devices: [
      ...modeDevices([
        first.ceremonyDevices,
        ...events.filter((e) => e.type === 'ceremony.device-added').map((e) => (e.data as Record<string, unknown> | null)?.device),
      ]),
      ...readDevices(first.devices, outline.devices),
    ],
    steps: orderedSteps,
    exceptions,
    ...evidence,
    signatures: participantList.map((p) => ({ participantId: p.id, role: p.role, name: p.name })),
    summary,
  };
}
