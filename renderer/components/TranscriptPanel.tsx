import { useState } from 'react';
import type { CeremonyView, TranscriptModel } from '../../preload/api';
import { DigestWords, PrintPreview, TranscriptDocument } from '../../preload/print';
import { ExportPanel } from './ExportPanel';

/** The end of a ceremony: the chain head to read aloud, the transcript (preview, PDF, print), and export to removable media. */
export function TranscriptPanel({ view }: { view: CeremonyView }) {
  const [paper, setPaper] = useState<'A4' | 'Letter'>('A4');
  const [pdf, setPdf] = useState<string | null>(null);
  const [preview, setPreview] = useState<TranscriptModel | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = view.ceremonyId;
  const makePdf = async () => {
    setBusy(true);
    const result = await window.custodian.ceremony.transcriptPdf({ id, paper });
    setBusy(false);
    if (result.ok) setPdf(`${result.value.path} (${result.value.pages} pages)`);
    else setMessage(result.error.message);
  };
  const showPreview = async () => {
    const result = await window.custodian.ceremony.transcriptModel({ id });
    if (result.ok) setPreview(result.value);
    else setMessage(result.error.message);
  };
  const print = async () => {
    const result = await window.custodian.ceremony.printTranscript({ id, paper });
    setMessage(result.ok ? (result.value.printed ? 'Sent to the printer.' : 'Printing was cancelled.') : result.error.message);
  };
  return (
    <section className="panel" data-testid="transcript-panel">
      <h2>{view.status === 'completed' ? 'Ceremony complete' : `Ceremony ${view.status}`}</h2>
      <p>
        Chain head of the journal — the SHA-256 of event {view.journal.count}, the last one
        {view.status === 'completed' || view.status === 'aborted' ? ' (journal closed)' : ''}. Read it aloud and compare it with the printed transcript and with{' '}
        <span className="mono">custodian verify</span>:
      </p>
      <p className="big mono" data-testid="chain-head" data-events={view.journal.count}>
        {view.journal.head.match(/.{1,4}/g)?.join(' ')}
      </p>
      <DigestWords words={view.journal.words} testId="chain-head-words" />
      <div className="actions">
        <label>
          Paper{' '}
          <select value={paper} onChange={(e) => setPaper(e.target.value as 'A4' | 'Letter')}>
            <option>A4</option>
            <option>Letter</option>
          </select>
        </label>
        <button onClick={() => void showPreview()}>Preview the transcript</button>
        <button className="primary" onClick={() => void makePdf()} disabled={busy}>
          {busy ? 'Printing…' : 'Print the transcript (PDF)'}
        </button>
        <button onClick={() => void print()}>Print…</button>
      </div>
      {pdf && <p data-testid="transcript-pdf">Transcript written: {pdf}</p>}
      <ExportPanel ceremonyId={id} />
      {message && <p data-testid="transcript-message">{message}</p>}
      {preview && (
        <div data-testid="transcript-preview">
          <PrintPreview label="Transcript preview">
            <TranscriptDocument model={preview} paper={paper} />
          </PrintPreview>
        </div>
      )}
    </section>
  );
}
