import type { CurrentStepView } from '../../../preload/api';
import { DigestWords } from '../../../preload/print';

/** A value the administrator reads aloud: hex in groups, and the words numbered as on paper ("13. word"). */
export function ShowBox({ step }: { step: CurrentStepView }) {
  const show = step.show!;
  const text = typeof show.value === 'string' || typeof show.value === 'number' ? String(show.value) : JSON.stringify(show.value, null, 2);
  return (
    <div className="show" data-testid="show">
      {show.grouped ? (
        <p className="big mono" data-testid="show-hex">
          {show.grouped}
        </p>
      ) : (
        <pre className="big mono show-text">{text}</pre>
      )}
      {show.words && <DigestWords words={show.words} testId="show-words" />}
    </div>
  );
}
