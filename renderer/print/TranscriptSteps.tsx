import type { TranscriptException, TranscriptStep } from './model';
import { formatClock } from './format';

const OUTCOME_TEXT: Record<TranscriptStep['outcome'], string> = {
  completed: 'done',
  failed: 'FAILED',
  interrupted: 'INTERRUPTED',
  running: 'running',
  pending: 'not run',
};

function StepRow({ step }: { step: TranscriptStep }) {
  const retried = step.attempts.length > 1;
  return (
    <tr className={step.outcome === 'completed' ? undefined : 'print-row-warn'}>
      <td className="num">{step.number}</td>
      <td>
        <strong>{step.title}</strong>
        <div className="mono small">
          {step.id}
          {step.kind ? ` · ${step.kind}` : ''}
        </div>
      </td>
      <td className="nowrap">
        {formatClock(step.startedAt)}
        {step.completedAt && step.completedAt !== step.startedAt ? <div>{formatClock(step.completedAt)}</div> : null}
      </td>
      <td>
        <div className="print-outcome">
          {OUTCOME_TEXT[step.outcome]}
          {retried ? ` after ${step.attempts.length} attempts` : ''}
        </div>
        {step.attempts
          .filter((a) => a.reason)
          .map((a) => (
            <div key={a.attempt} className="small">
              attempt {a.attempt}: {a.reason}
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
      <td>
        {step.confirmedBy.length === 0
          ? '—'
          : step.confirmedBy.map((c) => (
              <div key={c.participantId}>
                {c.name ? `${c.name} (${c.participantId})` : c.participantId}
                <span className="small"> {formatClock(c.time)}</span>
              </div>
            ))}
      </td>
    </tr>
  );
}

export function StepsSection({ steps, date }: { steps: TranscriptStep[]; date?: string }) {
  return (
    <section className="print-section">
      <h2>Steps</h2>
      <p className="small">Times are UTC{date ? ` on ${date}` : ''}; a second time is when the step finished.</p>
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
