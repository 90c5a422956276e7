import type { CeremonyView, CurrentStepView } from '../../../preload/api';

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
export function ResultLines({ result }: { result: unknown }) {
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

/** The previous step's full result — device words and all — folded inside a "details" disclosure. */
export function PreviousResult({ view, step }: { view: CeremonyView; step: CurrentStepView }) {
  const previous = view.steps[step.index - 1];
  if (!previous || previous.status !== 'completed' || (previous.kind !== 'action' && previous.kind !== 'print')) return null;
  return (
    <details className="previous-result" data-testid="previous-result">
      <summary>Details: what “{previous.title}” recorded</summary>
      <ResultLines result={previous.result} />
    </details>
  );
}
