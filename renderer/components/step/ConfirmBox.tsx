import { useState } from 'react';
import type { CurrentStepView } from '../../../preload/api';
import { useCeremonyStore } from '../../store';
import { progressText } from './InputBox';
import type { People } from './people';

/** Steps whose whole work is the confirmation: the last confirm needed moves the ceremony on, in the same click. */
const DONE_BY_CONFIRM = new Set(['announce', 'confirm', 'show']);

/**
 * Each person who may confirm presses their own button, named with their name: one click. The button stays where it
 * was, pressed (✔ … confirmed), so the room sees who has confirmed; when that was the last confirmation a confirm
 * step needs, the step is done with the same click.
 */
export function ConfirmBox({ step, people }: { step: CurrentStepView; people: People }) {
  const command = useCeremonyStore((s) => s.command);
  const busy = useCeremonyStore((s) => s.busy);
  const [pressing, setPressing] = useState<string | null>(null);
  const confirm = step.confirm!;
  const press = async (id: string) => {
    setPressing(id);
    await command({ kind: 'confirm', stepId: step.id, participantIds: [id] }, 'Confirming…', (view) => {
      const now = view.current;
      const done = now && now.id === step.id && now.confirm?.met && now.canRun && DONE_BY_CONFIRM.has(step.kind);
      return done ? { command: { kind: 'run', stepId: step.id }, busyText: progressText(step) } : null;
    });
    setPressing(null);
  };
  const seats = [...confirm.confirmedBy, ...confirm.eligible.filter((id) => !confirm.confirmedBy.includes(id))];
  return (
    <div className="confirm" data-testid="confirm" data-met={confirm.met}>
      <p>
        <strong>Confirms:</strong> {confirm.description}
        {confirm.met ? ' — met' : ''}
      </p>
      <div className="buttons">
        {seats.map((id) => {
          const done = confirm.confirmedBy.includes(id) || pressing === id;
          return (
            <button
              key={id}
              className={done ? 'confirmed' : 'primary'}
              aria-pressed={done}
              aria-disabled={done || Boolean(busy) || confirm.met}
              onClick={() => void (!done && !busy && !confirm.met && press(id))}
              data-confirm={id}
              data-confirmed={done}
            >
              {done ? `✔ ${people.name(id)} confirmed` : `${people.name(id)} confirms`}
            </button>
          );
        })}
      </div>
    </div>
  );
}
