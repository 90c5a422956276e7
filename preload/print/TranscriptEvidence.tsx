import type { TranscriptCheckValue, TranscriptFingerprint, TranscriptPem, TranscriptShareSet } from './model';
import { DigestBlock } from './DigestBlock';

export function FingerprintsSection({ fingerprints }: { fingerprints: TranscriptFingerprint[] }) {
  if (fingerprints.length === 0) return null;
  return (
    <section className="print-section">
      <h2>Fingerprints</h2>
      {fingerprints.map((f, i) => (
        <div key={`${f.label}-${i}`} className="print-keep">
          <h3>{f.label}</h3>
          <DigestBlock digest={f.digest} />
        </div>
      ))}
    </section>
  );
}

export function SharesSection({ shareSets, checkValues }: { shareSets: TranscriptShareSet[]; checkValues: TranscriptCheckValue[] }) {
  if (shareSets.length === 0 && checkValues.length === 0) return null;
  return (
    <section className="print-section">
      <h2>Share sets and check values</h2>
      {shareSets.map((set) => (
        <div key={set.setId} className="print-keep">
          <h3>
            Set {set.setId}: {set.n} shares, any {set.m} restore
          </h3>
          <p>
            Check value <span className="mono">{set.checkValueText}</span>
            {set.stepId ? <span className="small"> (step {set.stepId})</span> : null}
          </p>
          <table className="print-table">
            <thead>
              <tr>
                <th>Share</th>
                <th>Commitment (SHA-256)</th>
              </tr>
            </thead>
            <tbody>
              {set.commitments.map((c) => (
                <tr key={c.index}>
                  <td className="num">
                    {c.index} of {set.n}
                  </td>
                  <td className="mono small">{c.commitment}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
      {checkValues.length > 0 && (
        <dl className="print-facts">
          {checkValues.map((c, i) => (
            <div key={`${c.label}-${i}`} className="print-fact-row">
              <dt>{c.label}</dt>
              <dd className="mono">{c.text}</dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}

export function PemSection({ pems }: { pems: TranscriptPem[] }) {
  if (pems.length === 0) return null;
  return (
    <section className="print-section">
      <h2>Public keys and certificates</h2>
      {pems.map((p, i) => (
        <div key={`${p.label}-${i}`} className="print-keep">
          <h3>
            {p.label} <span className="small">({p.pemType})</span>
          </h3>
          <pre className="print-pem">{p.pem}</pre>
        </div>
      ))}
    </section>
  );
}
