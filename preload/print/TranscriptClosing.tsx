import type { TranscriptModel } from './model';
import { DigestBlock } from './DigestBlock';
import { roleNoun } from './format';

export function ChainHeadSection({ model }: { model: TranscriptModel }) {
  return (
    <section className="print-section print-keep print-chain-head">
      <h2>Journal chain head</h2>
      <p>
        SHA-256 of event {model.journal.eventCount}, the last event of the journal
        {model.journal.closed
          ? ' (journal closed)'
          : model.journal.printStep
            ? ' when this transcript was printed by the ceremony’s print step; after it the journal records this print (the PDF’s SHA-256), the administrator’s confirmation and the closing'
            : ' (the journal was not closed: the ceremony did not finish)'}
        . Read it aloud; anyone can check it later with <span className="mono">custodian verify</span>.
      </p>
      <DigestBlock digest={model.journal.head} />
    </section>
  );
}

export function SignaturesSection({ model }: { model: TranscriptModel }) {
  return (
    <section className="print-section print-signatures print-keep">
      <h2>Signatures</h2>
      <p>
        By signing, I confirm that I was present, that the steps above happened as recorded, and that the chain head printed on this transcript is the one shown
        on screen at the end of ceremony <span className="mono nowrap">{model.ceremonyId}</span>.
      </p>
      <div className="signature-grid">
        {model.signatures.map((s) => (
          <div key={s.participantId} className="signature-block">
            <div className="signature-line" />
            <div>
              <strong>{s.name}</strong> — {roleNoun(s.role)} <span className="mono small">({s.participantId})</span>
            </div>
            <div className="signature-date">Date: ____________________</div>
          </div>
        ))}
      </div>
    </section>
  );
}
