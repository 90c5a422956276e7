import { useState } from 'react';
import type { CeremonyView, CurrentStepView } from '../../preload/api';
import { useCeremonyStore } from '../store/ceremony-store';
import { RevealPanel } from './RevealPanel';

const RUN_LABEL: Record<string, string> = {
  announce: 'Done — next step',
  confirm: 'Next step',
  input: 'Next step',
  action: 'Run this step',
  show: 'Read aloud and confirmed — next step',
  reveal: 'Next step',
  print: 'Print',
};

function ConfirmBox({ step }: { step: CurrentStepView }) {
  const command = useCeremonyStore((s) => s.command);
  const confirm = step.confirm!;
  return (
    <div className="confirm" data-testid="confirm">
      <p>
        <strong>Needs:</strong> {confirm.description}
        {confirm.met ? ' — met' : confirm.missing.length ? ` — still missing: ${confirm.missing.join(', ')}` : ''}
      </p>
      {confirm.confirmedBy.length > 0 && <p className="small">Confirmed by {confirm.confirmedBy.join(', ')}</p>}
      <div className="buttons">
        {confirm.eligible.map((id) => (
          <button
            key={id}
            onClick={() =>
              void command({
                kind: 'confirm',
                stepId: step.id,
                participantIds: [id],
              })
            }
            data-confirm={id}
          >
            Confirm as {id}
          </button>
        ))}
      </div>
    </div>
  );
}

function InputBox({ step }: { step: CurrentStepView }) {
  const command = useCeremonyStore((s) => s.command);
  const inputs = step.inputs!;
  const [by, setBy] = useState(inputs.eligible[0] ?? '');
  const [values, setValues] = useState<Record<string, string>>({});
  if (inputs.provided) return <p className="small">Entered by {inputs.by}.</p>;
  const submit = async () => {
    const ok = await command({
      kind: 'input',
      stepId: step.id,
      participantId: by || inputs.eligible[0],
      values,
    });
    // Whatever happened, typed secrets leave the screen's state.
    setValues({});
    return ok;
  };
  return (
    <form
      className="form-grid"
      data-testid="inputs"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <label>
        <span>Entered by</span>
        <select name="by" value={by} onChange={(e) => setBy(e.target.value)}>
          {inputs.eligible.map((id) => (
            <option key={id}>{id}</option>
          ))}
        </select>
      </label>
      {inputs.fields.map((f) => (
        <label key={f.name}>
          <span>
            {f.label}
            {f.recorded === 'nothing' ? ' (secret — not recorded)' : f.recorded === 'commitment' ? ' (secret — only its hash is recorded)' : ''}
          </span>
          {f.type === 'boolean' ? (
            <input
              name={f.name}
              type="checkbox"
              checked={values[f.name] === 'true'}
              onChange={(e) => setValues({ ...values, [f.name]: e.target.checked ? 'true' : 'false' })}
            />
          ) : f.choices ? (
            <select name={f.name} value={values[f.name] ?? ''} onChange={(e) => setValues({ ...values, [f.name]: e.target.value })}>
              <option value="">— choose —</option>
              {f.choices.map((c) => (
                <option key={c}>{c}</option>
              ))}
            </select>
          ) : (
            <input
              name={f.name}
              type={f.secret ? 'password' : f.type === 'integer' ? 'number' : 'text'}
              autoComplete="off"
              spellCheck={false}
              value={values[f.name] ?? ''}
              onChange={(e) => setValues({ ...values, [f.name]: e.target.value })}
            />
          )}
        </label>
      ))}
      <div className="actions">
        <button type="submit" className="primary" disabled={inputs.eligible.length === 0}>
          Enter
        </button>
      </div>
    </form>
  );
}

function ShowBox({ step }: { step: CurrentStepView }) {
  const show = step.show!;
  const text = typeof show.value === 'string' || typeof show.value === 'number' ? String(show.value) : JSON.stringify(show.value, null, 2);
  return (
    <div className="show" data-testid="show">
      {show.grouped ? (
        <p className="big mono" data-testid="show-hex">
          {show.grouped}
        </p>
      ) : (
        <pre className="big mono">{text}</pre>
      )}
      {show.words && (
        <p className="words" data-testid="show-words">
          {show.words.join(' ')}
        </p>
      )}
    </div>
  );
}

function Recovery({ view, step }: { view: CeremonyView; step: CurrentStepView }) {
  const command = useCeremonyStore((s) => s.command);
  const [reason, setReason] = useState('');
  if (step.status !== 'failed' && step.status !== 'interrupted') return null;
  return (
    <div className="banner banner-warn" data-testid="step-problem">
      <p>
        {step.status === 'interrupted'
          ? 'This step was interrupted (the application stopped while it ran). Its effect on the device is checked before it runs again.'
          : `This step failed: ${step.failure?.message ?? 'see the exceptions below'}.`}
      </p>
      <label>
        Reason for retrying (goes into the transcript) <input name="retryReason" value={reason} onChange={(e) => setReason(e.target.value)} />
      </label>{' '}
      <button
        disabled={!reason.trim() || view.status !== 'open'}
        onClick={() =>
          void command({
            kind: 'retry',
            stepId: step.id,
            reason: reason.trim(),
          })
        }
      >
        Retry the step
      </button>
    </div>
  );
}

/** One value of a step result: PEM blocks folded away, nested objects as nested lists, long hex grouped. */
function ResultValue({ value }: { value: unknown }) {
  if (typeof value === 'string' && value.includes('-----BEGIN')) {
    const kind = /-----BEGIN ([A-Z ]+)-----/.exec(value)?.[1] ?? 'PEM';
    return (
      <details>
        <summary>{kind.toLowerCase()} (PEM)</summary>
        <pre className="mono small">{value}</pre>
      </details>
    );
  }
  if (typeof value === 'string' && /^[0-9a-f]{32,}$/.test(value)) return <span className="mono">{value.match(/.{1,4}/g)!.join(' ')}</span>;
  if (Array.isArray(value)) return <span className="mono">{value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(', ')}</span>;
  if (value && typeof value === 'object') return <ResultLines result={value} />;
  return <span className="mono">{String(value)}</span>;
}

/** A step's journaled result as readable lines (public facts only: that is all a result holds). */
function ResultLines({ result }: { result: unknown }) {
  if (result === null || result === undefined) return null;
  if (typeof result !== 'object') return <p className="mono">{String(result)}</p>;
  return (
    <dl className="result">
      {Object.entries(result as Record<string, unknown>).map(([key, value]) => (
        <div key={key} className="result-row">
          <dt>{key.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()}</dt>
          <dd>
            <ResultValue value={value} />
          </dd>
        </div>
      ))}
    </dl>
  );
}

function PreviousResult({ view, step }: { view: CeremonyView; step: CurrentStepView }) {
  const previous = view.steps[step.index - 1];
  if (!previous || previous.status !== 'completed' || (previous.kind !== 'action' && previous.kind !== 'print')) return null;
  return (
    <details className="previous-result" open={step.kind !== 'show'} data-testid="previous-result">
      <summary>Result of “{previous.title}”</summary>
      <ResultLines result={previous.result} />
    </details>
  );
}

export function StepPanel({ view, step }: { view: CeremonyView; step: CurrentStepView }) {
  const { command, busy } = useCeremonyStore();
  const runLabel = step.kind === 'action' && step.action ? `Run: ${step.title}` : RUN_LABEL[step.kind];
  return (
    <section className="panel step" data-testid="current-step" data-step={step.id} data-kind={step.kind}>
      <p className="small">
        Step {step.index + 1} of {view.steps.length} · {step.kind}
        {step.attempts > 1 ? ` · attempt ${step.attempts}` : ''}
      </p>
      <h2>{step.title}</h2>
      {step.text && <p className="read-aloud">{step.text}</p>}
      <PreviousResult view={view} step={step} />
      <Recovery view={view} step={step} />
      {step.kind === 'show' && <ShowBox step={step} />}
      {step.inputs && <InputBox step={step} />}
      {step.kind === 'reveal' && !step.reveal?.shown && <RevealPanel step={step} names={Object.fromEntries(view.participants.map((p) => [p.id, p.name]))} />}
      {step.kind === 'reveal' && step.reveal?.shown && <p>Shown to {step.reveal.to} and hidden again.</p>}
      {step.confirm && <ConfirmBox step={step} />}
      {step.blockers.length > 0 && (
        <ul className="blockers" data-testid="blockers">
          {step.blockers.map((b) => (
            <li key={b}>{b}</li>
          ))}
        </ul>
      )}
      <div className="actions">
        {step.kind !== 'reveal' && (
          <button
            className="primary"
            data-testid="run-step"
            disabled={!step.canRun || Boolean(busy) || view.status !== 'open'}
            onClick={() => void command({ kind: 'run', stepId: step.id }, step.kind === 'action' ? 'Working on the device… this can take a while.' : undefined)}
          >
            {runLabel}
          </button>
        )}
        {busy && (
          <span className="busy" role="status">
            {busy}
          </span>
        )}
      </div>
    </section>
  );
}
