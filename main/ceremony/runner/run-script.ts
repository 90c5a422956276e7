import { join } from 'node:path';
import { toWords } from '../../fingerprint';
import { journalExists, verifyJournalFile, type JournalEvent, type JsonValue } from '../../journal';
import type { ActionRegistry } from '../actions';
import { Ceremony, JOURNAL_FILE } from '../engine/ceremony';
import type { EngineOptions } from '../engine/options';
import type { CeremonyView } from '../engine/view';
import { CeremonyError, CeremonyErrorCode, reasonOf } from '../../errors';
import { parseScript, type ParsedScript } from '../script';
import { defaultActionRegistry } from '../actions';
import { parseAnswers, type Answers } from './answers';

export interface RunScriptOptions {
  /** the ceremony folder; if it already holds a journal, the run continues that ceremony from where it stopped */
  dir: string;
  /** secrets in the answers file are accepted only when this is true */
  rehearsal: boolean;
  actions?: ActionRegistry;
  services?: Record<string, unknown>;
  appVersion?: string;
  devicesPresent?: JsonValue;
  onAppended?: (event: JournalEvent) => void;
  /** a running step's reports of how far it has come (the CLI may print them) */
  onProgress?: EngineOptions['onProgress'];
  /** called when the run continues an existing ceremony, with the step it continues at */
  onResume?: (stepId: string | null) => void;
  /**
   * A real ceremony's secrets are typed by the people in the room, never read from the answers file: each secret field
   * is asked here (the CLI: on the terminal, without echo). Without it, a real ceremony that needs a secret is refused.
   */
  askSecret?: (request: SecretRequest) => Promise<string>;
  /**
   * A real ceremony's reveal (a share for one custodian) is shown to that person alone, here (the CLI: on the
   * terminal, after everyone else looks away, then wiped from the screen). Without it, a real ceremony refuses a
   * reveal step before it runs: a share shown to no one would be lost.
   */
  showSecret?: (request: RevealRequest) => Promise<void>;
  /** called once the ceremony exists (or is reopened), before check-in: its mode and the devices that decided it */
  onStart?: (view: CeremonyView) => void;
  /** why secrets cannot be asked (the CLI: "standard input is not a terminal"), for the refusal */
  noSecretPromptReason?: string;
}

export interface SecretRequest {
  stepId: string;
  participantId: string;
  /** the name the participant checked in with */
  name: string;
  field: string;
  label: string;
  /** for the screen: "Custodian 2 (Bob Ng) types their share" */
  prompt: string;
}

export interface RevealRequest {
  stepId: string;
  participantId: string;
  /** the name the participant checked in with */
  name: string;
  /** "Custodian 2 (Bob Ng)" */
  who: string;
  /** the step's title, e.g. "Custodian 2 receives their share" */
  title: string;
  /** the secret, as the screen shows it (text, or hex in groups of four) */
  value: string;
}

export interface RunScriptResult {
  status: 'completed' | 'failed' | 'aborted';
  ceremonyId: string;
  dir: string;
  /** the chain head (hex and words) once the journal is closed; the current head otherwise */
  head: string;
  headWords: string[];
  failedStep?: string;
  reason?: { code: string; message: string };
}

/**
 * Runs a ceremony without a UI, from an answers file, through exactly the commands the UI sends:
 * check-ins; then for each step its input, its confirmations, run, and for a reveal show + acknowledge.
 * So the UI and the CLI produce the same sequence of step events.
 */
export async function runScript(script: ParsedScript | string, answersInput: Answers | string, options: RunScriptOptions): Promise<RunScriptResult> {
  const registry = options.actions ?? defaultActionRegistry;
  const parsed = parseScript(typeof script === 'string' ? script : script.text, { knownActions: (n) => registry.has(n) });
  const answers = typeof answersInput === 'string' ? parseAnswers(answersInput, parsed.script, { rehearsal: options.rehearsal }) : answersInput;
  const engineOptions = {
    actions: registry,
    services: options.services,
    appVersion: options.appVersion,
    devicesPresent: options.devicesPresent,
    rehearsal: options.rehearsal,
    onAppended: options.onAppended,
    onProgress: options.onProgress,
  };
  const resuming = await journalExists(join(options.dir, JOURNAL_FILE));
  const ceremony = resuming ? await Ceremony.open(options.dir, engineOptions) : await Ceremony.create(parsed, answers.parameters, options.dir, engineOptions);
  if (resuming) options.onResume?.(ceremony.view().current?.id ?? null);
  options.onStart?.(ceremony.view());

  const finish = async (status: RunScriptResult['status'], extra: Partial<RunScriptResult> = {}): Promise<RunScriptResult> => {
    const view = ceremony.view();
    if (view.status === 'open' || view.status === 'paused') await ceremony.release();
    const verified = await verifyJournalFile(ceremony.journalPath);
    const head = verified.ok ? verified.head : view.journal.head;
    return { status, ceremonyId: ceremony.id, dir: options.dir, head, headWords: toWords(Buffer.from(head, 'hex')), ...extra };
  };

  try {
    // A closed journal (killed after it was closed, or run again): nothing is added; the host finishes the rest.
    if (ceremony.view().status === 'completed') return finish('completed');
    if (ceremony.view().status === 'aborted') return finish('aborted', { reason: { code: 'Aborted', message: ceremony.view().abortReason ?? '' } });
    for (const checkIn of answers.checkIns) {
      if (ceremony.view().participants.find((p) => p.id === checkIn.participant)?.checkedIn) continue;
      await ceremony.checkIn({ participantId: checkIn.participant, name: checkIn.name, identityCheck: checkIn.identityCheck, checkedBy: checkIn.checkedBy });
    }
    for (;;) {
      let view = ceremony.view();
      const current = view.current;
      if (view.status === 'completed') return finish('completed');
      if (view.status === 'aborted') return finish('aborted');
      if (!current) return finish('completed');
      if (current.status === 'failed') {
        const failure = current.failure ?? { code: 'ActionFailed', message: '', retryable: true };
        // A step that cannot be tried again (its secret was lost to a restart, or repeating it is not safe) leaves the
        // room one way on, the one its instruction names: abort. The CLI does so, so the journal closes with the
        // reason and the transcript prints it, instead of every later run stopping at the same step.
        if (!failure.retryable && view.status === 'open') {
          await ceremony.abort(`Step “${current.title}” cannot be run again: ${failure.message}`);
          return finish('aborted', { failedStep: current.id, reason: { code: failure.code, message: failure.message } });
        }
        return finish('failed', { failedStep: current.id, reason: { code: failure.code, message: failure.message } });
      }
      const answer = answers.steps[current.id] ?? {};
      if (current.relogin) {
        // A restart took away the login this step acts in: the login's own answer makes it again.
        const loginStepId = ceremony.loginToMakeAgain();
        const loginAnswer = loginStepId ? answers.steps[loginStepId]?.input : undefined;
        if (!loginAnswer)
          return finish('failed', { failedStep: current.id, reason: { code: CeremonyErrorCode.ReloginNeeded, message: current.relogin.message } });
        await ceremony.relogin(current.id, loginAnswer.by, loginAnswer.values);
        continue;
      }
      if (view.mode === 'real' && current.kind === 'reveal' && current.status !== 'running' && !options.showSecret) {
        return finish('failed', {
          failedStep: current.id,
          reason: {
            code: 'SecretsNeedTerminal',
            message: `This is a real ceremony: the secret of step "${current.id}" is shown to its holder alone, on a screen, and ${options.noSecretPromptReason ?? 'there is no terminal to show it on'}. Nothing was shown or lost.`,
          },
        });
      }
      if (current.status !== 'running') {
        // the secrets this attempt needs: not the retry-only PIN of a step whose session is still there
        const secretFields = current.inputs?.fields.filter((f) => f.secret && f.needed !== false) ?? [];
        if (view.mode === 'real' && current.inputs && !current.inputs.provided && secretFields.length > 0) {
          if (!options.askSecret) {
            return finish('failed', {
              failedStep: current.id,
              reason: {
                code: 'SecretsNeedTerminal',
                message: `This is a real ceremony: its secrets are typed by the people in the room, never read from a file, and ${options.noSecretPromptReason ?? 'there is no terminal to type them on'}.`,
              },
            });
          }
          const by = answer.input?.by ?? (current.inputs.eligible.length === 1 ? current.inputs.eligible[0] : undefined);
          if (!by) {
            return finish('failed', {
              failedStep: current.id,
              reason: {
                code: 'InputsMissing',
                message: `Several people may type the secret of step "${current.id}": the answers file says who (steps.${current.id}.input.by), with no secret value.`,
              },
            });
          }
          const values: Record<string, string | number | boolean> = { ...(answer.input?.values ?? {}) };
          const name = view.participants.find((p) => p.id === by)?.name ?? by;
          for (const field of secretFields) {
            const typed = await options.askSecret({
              stepId: current.id,
              participantId: by,
              name,
              field: field.name,
              label: field.label,
              prompt: secretPrompt(by, name, field),
            });
            if (typed !== '' || !field.optional) values[field.name] = typed;
          }
          view = await ceremony.provideInput(current.id, by, values);
        } else if (current.inputs && !current.inputs.provided && answer.input) {
          view = await ceremony.provideInput(current.id, answer.input.by, answer.input.values);
        }
        const pending = (answer.confirmations ?? []).filter((id) => !current.confirmedBy.includes(id));
        if (pending.length > 0) view = await ceremony.confirm(current.id, pending);
        view = await ceremony.runCurrentStep(current.id);
      }
      const after = view.current;
      // A rejected try (wrong PIN, mistyped share) is typed again by a person; a script would only repeat its mistake.
      if (after && after.id === current.id && (after.rejection?.count ?? 0) > (current.rejection?.count ?? 0)) {
        return finish('failed', { failedStep: current.id, reason: { code: after.rejection!.code, message: after.rejection!.message } });
      }
      if (after && after.id === current.id && after.kind === 'reveal' && after.status === 'running') {
        const by = answer.acknowledgedBy ?? after.reveal!.to;
        const secret = await ceremony.takeReveal(current.id, by);
        if (view.mode === 'real' && options.showSecret) {
          // a real ceremony's share reaches its holder; a rehearsal run has no screen (its cards are printed)
          const name = view.participants.find((p) => p.id === by)?.name ?? by;
          try {
            await options.showSecret({ stepId: current.id, participantId: by, name, who: seatOf(by), title: after.title, value: secret.value });
          } finally {
            secret.value = '';
          }
        }
        await ceremony.acknowledgeReveal(current.id, by);
      }
    }
  } catch (error) {
    if (error instanceof CeremonyError) {
      const current = ceremony.view().current;
      return finish('failed', { failedStep: current?.id, reason: reasonOf(error) });
    }
    await ceremony.release().catch(() => undefined);
    throw error;
  }
}

/** "custodian-2" → "Custodian 2", "administrator" → "Administrator" */
function seatOf(participantId: string): string {
  const seat = /^([a-z]+)-(\d+)$/.exec(participantId);
  return seat ? `${seat[1].charAt(0).toUpperCase()}${seat[1].slice(1)} ${seat[2]}` : `${participantId.charAt(0).toUpperCase()}${participantId.slice(1)}`;
}

/** "Custodian 2 (Bob Ng) types their share", "Administrator (Ada Admin) types: New password of the admin key" */
export function secretPrompt(participantId: string, name: string, field: { name: string; label: string }): string {
  const who = seatOf(participantId);
  return field.name === 'share' ? `${who} (${name}) types their share` : `${who} (${name}) types: ${field.label}`;
}
