import { useState } from 'react';
import type { CurrentStepView } from '../../../preload/api';
import { useCeremonyStore } from '../../store';
import { onSubmitted } from './submit';
import type { People } from './people';
import { ShareTypingStatus, useShareCheck } from './ShareTyping';

type Field = NonNullable<CurrentStepView['inputs']>['fields'][number];

/** The fields this attempt needs (a retry-only PIN only on a retry; a login lost to a restart has its own box). */
export function visibleFields(step: CurrentStepView): Field[] {
  return (step.inputs?.fields ?? []).filter((f) => f.needed !== false);
}

/** A label as the field is shown: a retry-only field appears only on a retry, so "— only when retrying …" is dropped. */
const shownLabel = (f: Field) => f.label.replace(/\s+—\s+only when retrying.*$/, '');

const isShare = (f: Field) => f.name === 'share';

/**
 * What a step asks its holder to type. Typing and pressing Enter is one action: the values are entered and, when
 * nothing else is needed, the step runs at once. A share is checked group by group while it is typed.
 */
export function InputBox({ step, people }: { step: CurrentStepView; people: People }) {
  const command = useCeremonyStore((s) => s.command);
  const busy = useCeremonyStore((s) => s.busy);
  const inputs = step.inputs!;
  const [by, setBy] = useState(inputs.eligible[0] ?? '');
  const [values, setValues] = useState<Record<string, string>>({});
  const [insist, setInsist] = useState(false);
  const shareField = inputs.fields.find(isShare);
  const shareCheck = useShareCheck(shareField ? (values[shareField.name] ?? '') : '');
  const fields = visibleFields(step);
  if (inputs.provided || fields.length === 0) return null;
  const who = by || inputs.eligible[0];
  const submit = async () => {
    // the share is checked once more as it stands now (the live check may still be on its way)
    const latest = shareField ? await window.custodian.shares.check({ text: values[shareField.name] ?? '' }) : null;
    if (shareField && !(latest?.ok && latest.value.ok)) {
      setInsist(true);
      document.querySelector<HTMLInputElement>(`[data-testid="inputs"] [name="${shareField.name}"]`)?.focus();
      return;
    }
    await command({ kind: 'input', stepId: step.id, participantId: who, values }, 'Entering…', (view) => {
      const now = view.current;
      const runs = now && now.id === step.id && now.canRun && (step.kind === 'action' || step.kind === 'input');
      return runs ? { command: { kind: 'run', stepId: step.id }, busyText: progressText(step) } : null;
    });
    // Whatever happened, typed secrets leave the screen's state.
    setValues({});
    setInsist(false);
  };
  return (
    <form className="form-grid" data-testid="inputs" onSubmit={onSubmitted(submit)}>
      {inputs.eligible.length > 1 ? (
        <label>
          <span>Who types</span>
          <select name="by" value={who} onChange={(e) => setBy(e.target.value)}>
            {inputs.eligible.map((id) => (
              <option key={id} value={id}>
                {people.nameWithRole(id)}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      {fields.map((f) => (
        <FieldInput key={f.name} field={f} value={values[f.name] ?? ''} onChange={(v) => setValues({ ...values, [f.name]: v })} autoFocus={f === fields[0]} />
      ))}
      {shareField && <ShareTypingStatus check={shareCheck} insist={insist} />}
      <div className="actions">
        <button type="submit" className="primary" data-testid="submit-input" disabled={inputs.eligible.length === 0 || Boolean(busy)}>
          {step.kind === 'action' ? step.title : 'Enter'}
        </button>
      </div>
    </form>
  );
}

function FieldInput({ field: f, value, onChange, autoFocus }: { field: Field; value: string; onChange(v: string): void; autoFocus: boolean }) {
  const note = f.recorded === 'nothing' ? 'not recorded' : f.recorded === 'commitment' ? 'only its hash is recorded' : '';
  if (f.type === 'boolean') {
    return (
      <label className="check-row">
        <input name={f.name} type="checkbox" checked={value === 'true'} onChange={(e) => onChange(e.target.checked ? 'true' : 'false')} />
        <span>{f.name === 'confirmFinalTry' ? 'The token allows one more try: a wrong PIN now locks it. I understand, try this PIN.' : f.label}</span>
      </label>
    );
  }
  return (
    <label>
      <span>
        {shownLabel(f)}
        {note && <span className="small"> ({note})</span>}
      </span>
      {f.choices ? (
        <select name={f.name} value={value} onChange={(e) => onChange(e.target.value)}>
          <option value="">— choose —</option>
          {f.choices.map((c) => (
            <option key={c}>{c}</option>
          ))}
        </select>
      ) : (
        <input
          name={f.name}
          // a share is typed group by group from the card, so its custodian sees it; a PIN is never shown
          type={f.secret && !isShare(f) ? 'password' : f.type === 'integer' ? 'number' : 'text'}
          className={isShare(f) ? 'mono share-input' : undefined}
          autoComplete="off"
          spellCheck={false}
          autoFocus={autoFocus}
          value={value}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
    </label>
  );
}

/** What the screen says while a step runs on the device. */
export function progressText(step: CurrentStepView): string {
  if (step.kind !== 'action' && step.kind !== 'print') return 'Working…';
  const where = step.action?.device ? ` (device “${step.action.device}”)` : '';
  return `${step.title}${where} — the device is working; a real HSM can take minutes.`;
}
