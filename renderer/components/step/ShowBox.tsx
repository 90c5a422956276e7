import type { CurrentStepView } from '../../../preload/api';

/** A value the administrator reads aloud: hex in groups, and the words numbered so "word 13" means one word. */
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
      {show.words && (
        <ol className="words numbered-words" data-testid="show-words">
          {show.words.map((w, i) => (
            <li key={i}>
              <span className="word-no">{i + 1}</span> {w}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
