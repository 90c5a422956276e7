import { useState } from 'react';
import type { CurrentStepView } from '../../../preload/api';
import { useCeremonyStore } from '../../store';
import { onSubmitted } from './submit';

/**
 * After a restart, the one thing on screen: the person whose login the restart took away types the PIN again and
 * logs in. Nothing else of the step is offered until then; the step itself comes next, then its witness.
 */
export function ReloginBox({ step }: { step: CurrentStepView }) {
  const command = useCeremonyStore((s) => s.command);
  const busy = useCeremonyStore((s) => s.busy);
  const [pin, setPin] = useState('');
  const relogin = step.relogin!;
  const submit = async () => {
    await command({ kind: 'input', stepId: step.id, participantId: relogin.participantId, values: { pin } }, 'Logging in again…');
    setPin(''); // whatever happened, the typed PIN leaves the screen's state
  };
  return (
    <form className="form-grid banner banner-warn notice" data-testid="relogin" onSubmit={onSubmitted(submit)}>
      <p>
        <strong>{relogin.name} logs in again first.</strong> {relogin.message}
      </p>
      <label>
        <span>{relogin.name}’s PIN (not recorded)</span>
        <input name="pin" type="password" autoComplete="off" spellCheck={false} autoFocus value={pin} onChange={(e) => setPin(e.target.value)} />
      </label>
      <div className="actions">
        <button type="submit" className="primary" data-testid="relogin-submit" disabled={!pin || Boolean(busy)}>
          Log in again
        </button>
      </div>
    </form>
  );
}
