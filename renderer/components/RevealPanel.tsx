import type { CurrentStepView } from '../../preload/api';
import { useCeremonyStore } from '../store';

/**
 * The privacy screen: a secret is shown to one participant only, after everyone else has looked away, and leaves
 * the renderer's state the moment that participant confirms.
 */
export function RevealPanel({ step, names }: { step: CurrentStepView; names: Record<string, string | undefined> }) {
  const { revealed, reveal, acknowledgeReveal, command } = useCeremonyStore();
  const seat = step.reveal!.to;
  // The person's name, as checked in, so nobody has to map "custodian-2" to a face under pressure.
  const to = names[seat] ? `${names[seat]} (${seat})` : seat;
  const showing = revealed && revealed.stepId === step.id ? revealed : null;
  if (!showing) {
    return (
      <div className="privacy" data-testid="privacy-screen">
        <p className="privacy-title">{to} only — everyone else looks away</p>
        <p>
          When only {to} can see the screen, {to} presses the button.
        </p>
        <button
          className="primary"
          disabled={step.reveal!.shown}
          onClick={async () => {
            // The step starts (journaled) when the participant is ready; only then is the secret handed over.
            if (step.status !== 'running' && !(await command({ kind: 'run', stepId: step.id }))) return;
            await reveal(step.id, seat);
          }}
        >
          I am {names[seat] ?? seat}: show it to me
        </button>
      </div>
    );
  }
  return (
    <div className="privacy privacy-open" data-testid="revealed">
      <p className="privacy-title">{to} only</p>
      <SecretOnScreen value={showing.value} />
      {isShare(showing.value) && (
        <p data-testid="compare-with-card">Compare your card with the screen, group by group: each numbered group must match. Then hide it.</p>
      )}
      <button className="primary" onClick={() => void acknowledgeReveal(step.id, seat)}>
        I have it — hide it now
      </button>
    </div>
  );
}

/** a share in Custodian's text form (cshare1…), which its card prints in numbered groups */
const isShare = (value: string) => value.replace(/\s+/g, '').toLowerCase().startsWith('cshare1');

/**
 * A share on screen in the same numbered groups of four as its card (the numbers are drawn by CSS and are not part of
 * the text); any other secret as one line.
 */
function SecretOnScreen({ value }: { value: string }) {
  const compact = value.replace(/\s+/g, '').toLowerCase();
  if (!isShare(value)) {
    return (
      <p className="secret mono" data-testid="revealed-value">
        {value}
      </p>
    );
  }
  const groups = compact.slice('cshare1'.length).match(/.{1,4}/g) ?? [];
  return (
    <div className="secret mono" data-testid="revealed-value">
      <span className="share-prefix">cshare1</span>
      <ol className="share-groups-screen">
        {groups.map((g, i) => (
          <li key={i}>{g}</li>
        ))}
      </ol>
    </div>
  );
}
