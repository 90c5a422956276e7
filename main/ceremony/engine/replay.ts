import { analyseChain, JournalEventType, readJournalBytes, type JournalEvent, type JsonValue, type TornFragment } from '../../journal';
import type { ActionRegistry } from '../actions';
import { CeremonyError, CeremonyErrorCode } from '../../errors';
import { parseScript, type ParsedScript } from '../script';
import { blockersOf } from './blockers';
import { devicesFromJournal } from './device-record';
import { applyEvent, initialState, runningSteps, type CeremonyState } from './state';
import { buildView, type CeremonyView } from './view';

/** Rebuilds a ceremony's state from its events alone: the script comes from the first event and must match its hash. */
export function replayJournalEvents(events: readonly JournalEvent[], actions?: ActionRegistry): { state: CeremonyState; parsed: ParsedScript } {
  const first = events[0];
  if (!first || first.type !== JournalEventType.Opened) {
    throw new CeremonyError(CeremonyErrorCode.NeverStarted, 'This journal does not start with a ceremony.');
  }
  const data = first.data as Record<string, JsonValue>;
  const parsed = parseScript(String(data.scriptText ?? ''), actions ? { knownActions: (n) => actions.has(n) } : {});
  if (parsed.sha256 !== data.scriptSha256) {
    throw new CeremonyError(CeremonyErrorCode.ScriptMismatch, 'The script in the journal does not match its recorded hash.');
  }
  const state = initialState(
    {
      ceremonyId: String(data.ceremonyId),
      title: String(data.title),
      rehearsal: data.rehearsal === true,
      scriptText: parsed.text,
      scriptSha256: parsed.sha256,
      parameters: (data.parameters ?? {}) as Record<string, JsonValue>,
      devices: devicesFromJournal(data.ceremonyDevices),
    },
    parsed.script,
  );
  for (const event of events) applyEvent(state, event);
  return { state, parsed };
}

export interface InspectedCeremony {
  view: CeremonyView;
  /** bytes of an unfinished write after the last event, if the app was killed mid-append */
  tornTail: TornFragment[];
  /** the step that was running when the app stopped (open() will record it as interrupted) */
  interruptedStepId: string | null;
}

/** Reads a ceremony without writing anything (for a viewer, a verifier, or the crash test). */
export async function inspectCeremony(journalPath: string): Promise<InspectedCeremony> {
  const analysis = analyseChain(await readJournalBytes(journalPath));
  if (!analysis.ok) throw new CeremonyError(CeremonyErrorCode.ScriptMismatch, `The journal does not verify: ${analysis.message}`);
  const { state } = replayJournalEvents(analysis.events);
  const interrupted = runningSteps(state)[0];
  if (interrupted) interrupted.status = 'interrupted';
  return { view: buildView(state, (s) => blockersOf(s).map((b) => b.message)), tornTail: analysis.tornTail, interruptedStepId: interrupted?.id ?? null };
}
