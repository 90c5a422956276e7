import type { TranscriptDevice, TranscriptModel } from './model';
import { DigestBlock } from './DigestBlock';
import { formatTime, roleNoun } from './format';

function deviceLine(d: TranscriptDevice): string {
  const what = [d.vendor, d.model].filter(Boolean).join(' ') || d.description || d.kind || 'device';
  const facts = [d.serial ? `serial ${d.serial}` : '', d.firmware ? `firmware ${d.firmware}` : '', d.label ? `token “${d.label}”` : ''].filter(Boolean);
  return `${d.id ? `${d.id}: ` : ''}${what}${facts.length ? ` — ${facts.join(', ')}` : ''}`;
}

/**
 * Page 1, for the witness who signs: what was made (keys with their fingerprints, certificates with their hashes,
 * share sets), who was present, on which devices, and whether it was a rehearsal.
 */
export function SummarySection({ model }: { model: TranscriptModel }) {
  const summary = model.summary ?? { keys: [], certificates: [] };
  const nothing = summary.keys.length === 0 && summary.certificates.length === 0 && model.shareSets.length === 0;
  return (
    <section className="print-section print-summary">
      <h2>Summary</h2>
      <p className="print-mode">
        Mode: <strong>{model.rehearsal ? 'REHEARSAL — rehearsal devices only; nothing here protects a real key' : 'REAL — production devices'}</strong>
      </p>
      <h3>What was made</h3>
      {nothing && <p>No key, certificate or share set was made.</p>}
      {summary.keys.map((k) => (
        <div key={`${k.label}-${k.id ?? ''}`} className="print-keep print-summary-key">
          <p>
            <strong>Key “{k.label}”</strong>
            {k.algorithm ? ` · ${k.algorithm}` : ''}
            {k.id ? (
              <>
                {' '}
                · id <span className="mono">{k.id}</span>
              </>
            ) : null}
            {k.policy ? ` · policy: ${k.policy}` : ''}
          </p>
          {k.fingerprint && (
            <>
              <p className="small">Public key fingerprint (SHA-256 of the public key), hex and words:</p>
              <DigestBlock digest={k.fingerprint} />
            </>
          )}
        </div>
      ))}
      {summary.certificates.map((c, i) => (
        <div key={`${c.kind}-${c.file ?? i}`} className="print-keep print-summary-cert">
          <p>
            <strong>{c.kind === 'certificate' ? 'Certificate' : 'Certificate request'}</strong>
            {c.subject ? (
              <>
                {' '}
                · subject <span className="nowrap">{c.subject}</span>
              </>
            ) : null}
            {c.file ? <span className="small"> ({c.file})</span> : null}
          </p>
          {c.notBefore && (
            <p>
              Valid from {formatTime(c.notBefore)} to {formatTime(c.notAfter)}
              {c.serialNumber ? (
                <>
                  {' '}
                  · serial <span className="mono">{c.serialNumber}</span>
                </>
              ) : null}
            </p>
          )}
          {c.sha256 && (
            <p>
              SHA-256 <span className="mono">{c.sha256.match(/.{1,4}/g)!.join(' ')}</span>
            </p>
          )}
        </div>
      ))}
      {model.shareSets.map((set) => (
        <p key={set.setId}>
          <strong>Share set</strong> <span className="mono">{set.setId}</span>: any {set.m} of {set.n} custodians restore; check value{' '}
          <span className="mono">{set.checkValueText}</span>
        </p>
      ))}
      <h3>Who was present</h3>
      <ul className="print-present">
        {model.participants.map((p) => (
          <li key={p.id}>
            <strong>{p.name}</strong>, {roleNoun(p.role).toLowerCase()} — {p.identityCheck}
          </li>
        ))}
      </ul>
      <h3>Devices</h3>
      <ul className="print-present">
        {model.devices.length === 0 && <li>No device was recorded.</li>}
        {model.devices.map((d, i) => (
          <li key={`${d.id ?? ''}-${i}`}>{deviceLine(d)}</li>
        ))}
      </ul>
    </section>
  );
}
