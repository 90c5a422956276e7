import type { CurrentStepView } from '../../../preload/api';
import { useCeremonyStore } from '../../store';
import type { People } from './people';

/** Each person who may confirm presses their own button, named with their name. */
export function ConfirmBox({ step, people }: { step: CurrentStepView; people: People }) {
  const command = useCeremonyStore((s) => s.command);
  const busy = useCeremonyStore((s) => s.busy);
  const confirm = step.confirm!;
  return (
    <div className="confirm" data-testid="confirm">
      <p>
        <strong>Confirms:</strong> {confirm.description}
        {confirm.met ? ' — met' : ''}
      </p>
      {confirm.confirmedBy.length > 0 && <p className="small">Confirmed by {confirm.confirmedBy.map(people.name).join(', ')}</p>}
      <div className="buttons">
        {confirm.eligible.map((id) => (
          <button key={id} disabled={Boolean(busy)} onClick={() => void command({ kind: 'confirm', stepId: step.id, participantIds: [id] })} data-confirm={id}>
            {people.name(id)} confirms
          </button>
        ))}
      </div>
    </div>
  );
}
