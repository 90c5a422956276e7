import { useEffect, useRef, useState } from 'react';
import type { CeremonyView, CurrentStepView } from '../../preload/api';
import { useCeremonyStore } from '../store';
import { RevealPanel } from './RevealPanel';
import { ConfirmBox, InputBox, peopleOf, PreviousResult, Progress, progressText, ReloginBox, ShowBox, visibleFields, type People } from './step';

const RUN_LABEL: Record<string, string> = {
  announce: 'Done — next step',
  confirm: 'Next step',
  input: 'Next step',
  show: 'Read aloud and confirmed — next step',
  reveal: 'Next step',
  print: 'Print',
};

/**
 * Who confirms: "A confirms"; "A, B and C confirm" when every one of them is still needed (a closing signed by all);
 * "A or B confirms" when any of them will do.
 */
function confirmersOf(confirm: NonNullable<CurrentStepView['confirm']>, people: People): string {
  const names = confirm.eligible.map(people.name);
  if (names.length === 1) return `${names[0]} confirms`;
  if (confirm.needed >= names.length) return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]} confirm`;
  return `${names.join(' or ')} confirms`;
}

/** Who acts now, by the name they checked in with: the line the room reads first. */
function actorOf(view: CeremonyView, step: CurrentStepView, people: People): string {
  if (step.relogin) return `${step.relogin.name} logs in again`;
  if (step.kind === 'reveal' && step.reveal) return `${people.name(step.reveal.to)} only`;
  if (step.inputs && !step.inputs.provided && visibleFields(step).length > 0) {
    const who = step.inputs.eligible.map(people.name);
    return who.length === 1 ? `${who[0]} types` : who.length === 2 ? `${who[0]} or ${who[1]} types` : 'A custodian types (choose who below)';
  }
  if (step.confirm && !step.confirm.met && step.confirm.eligible.length > 0) return confirmersOf(step.confirm, people);
  const admin = view.participants.find((p) => p.role === 'administrator');
  return admin?.name ? `${admin.name} runs this step` : 'The administrator runs this step';
}

/** A wrong PIN or a mistyped share: what the token said, how many tries were made, and that its holder types again. */
function RejectionNotice({ step }: { step: CurrentStepView }) {
  const rejection = step.rejection;
  if (!rejection || step.status !== 'pending') return null;
  return (
    <div className="banner banner-warn notice" role="alert" data-testid="rejection">
      <p>
        <strong>{rejection.message}</strong>
      </p>
      <p className="small">
        {rejection.count} {rejection.count === 1 ? 'try was' : 'tries were'} refused; each is recorded. Type it again below.
      </p>
    </div>
  );
}

/** A failed or interrupted step: retry with a reason on record when it can succeed, otherwise abort. */
function Recovery({ view, step }: { view: CeremonyView; step: CurrentStepView }) {
  const command = useCeremonyStore((s) => s.command);
  const [reason, setReason] = useState('');
  if (step.status !== 'failed' && step.status !== 'interrupted') return null;
  const retryable = (step.failure as { retryable?: boolean } | undefined)?.retryable !== false;
  return (
    <div className="banner banner-warn notice" data-testid="step-problem">
      <p>
        {step.status === 'interrupted'
          ? 'This step was interrupted (the application stopped while it ran). Its effect on the device is checked before it runs again.'
          : `This step failed: ${step.failure?.message ?? 'see the exceptions below'}`}
      </p>
      {!retryable && <p>Running it again cannot succeed. Abort the ceremony and start a new one with corrected values.</p>}
      <label>
        {retryable ? 'Reason for retrying' : 'Reason for aborting'} (goes into the transcript){' '}
        <input name={retryable ? 'retryReason' : 'abortReason'} value={reason} onChange={(e) => setReason(e.target.value)} />
      </label>{' '}
      {retryable ? (
        <button disabled={!reason.trim() || view.status !== 'open'} onClick={() => void command({ kind: 'retry', stepId: step.id, reason: reason.trim() })}>
          Retry the step
        </button>
      ) : (
        <button className="danger" disabled={!reason.trim()} onClick={() => void command({ kind: 'abort', reason: reason.trim() })}>
          Abort the ceremony
        </button>
      )}
    </div>
  );
}

/**
 * One action on screen at a time, in the order the room does them: a login a restart took away, then the step's own
 * decision (retry or abort a failed or interrupted attempt), then what its holder types, then the confirmations,
 * then running it.
 */
type Phase = 'relogin' | 'recovery' | 'inputs' | 'confirm' | 'run';

function phaseOf(step: CurrentStepView): Phase {
  if (step.relogin) return 'relogin';
  if (step.status === 'failed' || step.status === 'interrupted') return 'recovery';
  if (step.inputs && !step.inputs.provided && visibleFields(step).length > 0) return 'inputs';
  if (step.confirm && !step.confirm.met && step.confirm.eligible.length > 0) return 'confirm';
  return 'run';
}

/** When the step or its phase changes, the focus goes to the step's title, so the next Tab is the step's control. */
function useStepFocus(key: string) {
  const title = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    const panel = title.current?.closest('[data-testid="current-step"]');
    if (title.current && !panel?.contains(document.activeElement)) title.current.focus();
  }, [key]);
  return title;
}

export function StepPanel({ view, step }: { view: CeremonyView; step: CurrentStepView }) {
  const { command, busy, busySince, progress } = useCeremonyStore();
  const people = peopleOf(view);
  const phase = phaseOf(step);
  const title = useStepFocus(`${step.id}|${phase}`);
  const typing = phase === 'inputs';
  const runLabel = step.kind === 'action' ? step.title : RUN_LABEL[step.kind];
  // what the input form and the confirm buttons already say by name is not repeated as a blocker
  const confirmShown = step.confirm !== null && step.confirm.eligible.length > 0;
  const blockers = step.blockers.filter((b) => !(typing && /enter:/.test(b)) && !(confirmShown && /^Waiting for confirmation/.test(b))).map(people.inWords);
  return (
    <section className="panel step" data-testid="current-step" data-step={step.id} data-kind={step.kind} data-phase={phase} aria-labelledby="step-title">
      <p className="small">
        Step {step.index + 1} of {view.steps.length}
      </p>
      <h2 id="step-title" tabIndex={-1} ref={title}>
        {step.title}
      </h2>
      <p className="actor" data-testid="actor">
        {actorOf(view, step, people)}
      </p>
      {phase === 'relogin' ? (
        <ReloginBox step={step} />
      ) : (
        <>
          {step.text && <p className="read-aloud">{people.inWords(step.text)}</p>}
          {phase === 'inputs' && <RejectionNotice step={step} />}
          {phase === 'recovery' && <Recovery view={view} step={step} />}
          {step.kind === 'show' && phase !== 'recovery' && <ShowBox step={step} />}
          {step.inputs && phase === 'inputs' && <InputBox key={`${step.id}-${step.rejection?.count ?? 0}-${step.attempts}`} step={step} people={people} />}
          {step.kind === 'reveal' && !step.reveal?.shown && (
            <RevealPanel step={step} names={Object.fromEntries(view.participants.map((p) => [p.id, p.name]))} />
          )}
          {step.kind === 'reveal' && step.reveal?.shown && <p>Shown to {people.name(step.reveal.to)} and hidden again.</p>}
          {step.confirm && (phase === 'confirm' || phase === 'run') && <ConfirmBox step={step} people={people} />}
        </>
      )}
      {phase === 'run' && blockers.length > 0 && !busy && (
        <ul className="blockers" data-testid="blockers">
          {blockers.map((b) => (
            <li key={b}>{b}</li>
          ))}
        </ul>
      )}
      <div className="actions">
        {step.kind !== 'reveal' && phase === 'run' && (
          <button
            className="primary"
            data-testid="run-step"
            disabled={!step.canRun || Boolean(busy) || view.status !== 'open'}
            onClick={() => void command({ kind: 'run', stepId: step.id }, progressText(step))}
          >
            {runLabel}
          </button>
        )}
        {busy && busySince !== null && (
          <Progress
            text={busy}
            since={busySince}
            count={progress && progress.stepId === step.id ? `${progress.done} of ${progress.total} ${progress.what}` : null}
          />
        )}
      </div>
      <PreviousResult view={view} step={step} />
    </section>
  );
}
