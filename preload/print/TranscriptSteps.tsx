import type { TranscriptException, TranscriptStep } from './model';
import { formatClock } from './format';

const OUTCOME_TEXT: Record<TranscriptStep['outcome'], string> = {
  completed: 'done',
  failed: 'FAILED',
  interrupted: 'INTERRUPTED',
  running: 'running',
  pending: 'not run',
  rejected: 'refused',
};

function StepRow({ step }: { step: TranscriptStep }) {
  const failures = step.attempts.filter((a) => a.outcome === 'failed' || a.outcome === 'interrupted');
  return (
    <tr className={step.outcome === 'completed' ? undefined : 'print-row-warn'}>
      <td className="num">{step.number}</td>
      <td>{step.title}</td>
      <td className="nowrap">{formatClock(step.completedAt ?? step.startedAt)}</td>
      <td>
        {step.outcome === 'completed' ? (step.line ?? 'Done') : OUTCOME_TEXT[step.outcome]}
        {step.rejectedTries ? ` (after ${step.rejectedTries} refused ${step.rejectedTries === 1 ? 'try' : 'tries'})` : ''}
        {failures.length > 0 ? ` — ${failures.length} failed ${failures.length === 1 ? 'attempt' : 'attempts'}, see exceptions` : ''}
      </td>
      <td>{step.confirmedBy.length === 0 ? '—' : step.confirmedBy.map((c) => c.name ?? c.participantId).join(', ')}</td>
    </tr>
  );
}

/** The appendix: every step's full result, outputs and attempts, as recorded in the journal. */
function StepDetailRow({ step }: { step: TranscriptStep }) {
  return (
    <tr>
      <td className="num">{step.number}</td>
      <td>
        <strong>{step.title}</strong>
        <div className="mono small">
          {step.id}
          {step.kind ? ` · ${step.kind}` : ''}
        </div>
      </td>
      <td>
        {step.attempts
          .filter((a) => a.reason)
          .map((a) => (
            <div key={a.attempt} className="small">
              attempt {a.attempt} {OUTCOME_TEXT[a.outcome]}: {a.reason}
            </div>
          ))}
        {step.result.map((line) => (
          <div key={line.label} className="small break">
            {line.label}: {line.value}
          </div>
        ))}
        {step.outputs.map((o) => (
          <div key={o.name} className="small break">
            output {o.name} ({o.size} bytes) sha256 {o.sha256}
          </div>
        ))}
        {step.inputBy && <div className="small">input by {step.inputBy}</div>}
        {step.revealedTo && <div className="small">shown only to {step.revealedTo}</div>}
      </td>
    </tr>
  );
}

export function StepResultsAppendix({ steps }: { steps: TranscriptStep[] }) {
  const recorded = steps.filter((s) => s.result.length > 0 || s.outputs.length > 0 || s.attempts.some((a) => a.reason));
  return (
    <section className="print-section">
      <h2>Step results in full</h2>
      <table className="print-table print-step-details">
        <thead>
          <tr>
            <th>#</th>
            <th>Step</th>
            <th>Recorded result</th>
          </tr>
        </thead>
        <tbody>
          {recorded.map((step) => (
            <StepDetailRow key={step.id} step={step} />
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function StepsSection({ steps, date }: { steps: TranscriptStep[]; date?: string }) {
  return (
    <section className="print-section">
      <h2>Steps</h2>
      <p className="small">Times are UTC{date ? ` on ${date}` : ''}, when each step finished. The full results are in the appendix.</p>
      <table className="print-table print-steps">
        <thead>
          <tr>
            <th>#</th>
            <th>Step</th>
            <th>Time</th>
            <th>Result</th>
            <th>Confirmed by</th>
          </tr>
        </thead>
        <tbody>
          {steps.map((step) => (
            <StepRow key={step.id} step={step} />
          ))}
        </tbody>
      </table>
    </section>
  );
}

const EXCEPTION_TEXT: Record<TranscriptException['kind'], string> = {
  failure: 'Step failed',
  interrupted: 'Step interrupted',
  retry: 'Retry',
  'effect-check': 'Checked before retry',
  pause: 'Paused',
  abort: 'ABORTED',
  'torn-tail': 'Unfinished write recovered',
  reopened: 'Reopened',
};

export function ExceptionsSection({ exceptions }: { exceptions: TranscriptException[] }) {
  return (
    <section className="print-section">
      <h2>Exceptions</h2>
      {exceptions.length === 0 ? (
        <p>None: no step failed, nothing was retried, paused, aborted or recovered.</p>
      ) : (
        <table className="print-table print-exceptions">
          <thead>
            <tr>
              <th>Event</th>
              <th>Time (UTC)</th>
              <th>What</th>
              <th>Step</th>
              <th>Details</th>
            </tr>
          </thead>
          <tbody>
            {exceptions.map((e) => (
              <tr key={`${e.seq}-${e.kind}`}>
                <td className="num">{e.seq}</td>
                <td className="nowrap">{formatClock(e.time)}</td>
                <td>{EXCEPTION_TEXT[e.kind]}</td>
                <td className="mono">{e.stepId ?? ''}</td>
                <td className="break">{e.text}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
