import { useState } from 'react';
import type { CeremonyView, CurrentStepView } from '../../preload/api';
import { useCeremonyStore } from '../store';
import { RevealPanel } from './RevealPanel';
import { ConfirmBox, InputBox, peopleOf, PreviousResult, Progress, progressText, ShowBox, visibleFields, type People } from './step';

const RUN_LABEL: Record<string, string> = {
  announce: 'Done — next step',
  confirm: 'Next step',
  input: 'Next step',
  show: 'Read aloud and confirmed — next step',
  reveal: 'Next step',
  print: 'Print',
};

/** Who acts now, by the name they checked in with: the line the room reads first. */
function actorOf(view: CeremonyView, step: CurrentStepView, people: People): string {
  if (step.relogin) return `${step.relogin.name} logs in again`;
  if (step.kind === 'reveal' && step.reveal) return `${people.name(step.reveal.to)} only`;
  if (step.inputs && !step.inputs.provided && visibleFields(step).length > 0) {
    const who = step.inputs.eligible.map(people.name);
    return who.length === 1 ? `${who[0]} types` : who.length === 2 ? `${who[0]} or ${who[1]} types` : 'A custodian types (choose who below)';
  }
  if (step.confirm && !step.confirm.met && step.confirm.eligible.length > 0) return `${step.confirm.eligible.map(people.name).join(' or ')} confirms`;
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

/** After a restart: what must be redone before the step runs. */
function ReloginNotice({ step }: { step: CurrentStepView }) {
  if (!step.relogin) return null;
  return (
    <div className="banner banner-warn notice" role="alert" data-testid="relogin">
      <p>
        <strong>{step.relogin.name} logs in again first.</strong> {step.relogin.message}
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

export function StepPanel({ view, step }: { view: CeremonyView; step: CurrentStepView }) {
  const { command, busy, busySince, progress } = useCeremonyStore();
  const people = peopleOf(view);
  const typing = step.inputs && !step.inputs.provided && visibleFields(step).length > 0;
  const runLabel = step.kind === 'action' ? step.title : RUN_LABEL[step.kind];
  // what the input form and the confirm buttons already say by name is not repeated as a blocker
  const confirmShown = step.confirm !== null && step.confirm.eligible.length > 0;
  const blockers = step.blockers.filter((b) => !(typing && /enter:/.test(b)) && !(confirmShown && /^Waiting for confirmation/.test(b))).map(people.inWords);
  return (
    <section className="panel step" data-testid="current-step" data-step={step.id} data-kind={step.kind} aria-labelledby="step-title">
      <p className="small">
        Step {step.index + 1} of {view.steps.length}
      </p>
      <h2 id="step-title">{step.title}</h2>
      <p className="actor" data-testid="actor">
        {actorOf(view, step, people)}
      </p>
      {step.text && <p className="read-aloud">{people.inWords(step.text)}</p>}
      <ReloginNotice step={step} />
      <RejectionNotice step={step} />
      <Recovery view={view} step={step} />
      {step.kind === 'show' && <ShowBox step={step} />}
      {step.inputs && <InputBox key={`${step.id}-${step.rejection?.count ?? 0}-${step.attempts}`} step={step} people={people} />}
      {step.kind === 'reveal' && !step.reveal?.shown && <RevealPanel step={step} names={Object.fromEntries(view.participants.map((p) => [p.id, p.name]))} />}
      {step.kind === 'reveal' && step.reveal?.shown && <p>Shown to {people.name(step.reveal.to)} and hidden again.</p>}
      {step.confirm && <ConfirmBox step={step} people={people} />}
      {blockers.length > 0 && !busy && (
        <ul className="blockers" data-testid="blockers">
          {blockers.map((b) => (
            <li key={b}>{b}</li>
          ))}
        </ul>
      )}
      <div className="actions">
        {step.kind !== 'reveal' && !typing && (
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
