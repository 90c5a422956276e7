import { useState } from 'react';
import type { CeremonyView } from '../../preload/api';

/** The end of a ceremony: the chain head to read aloud, the transcript PDF, and export to removable media. */
export function TranscriptPanel({ view }: { view: CeremonyView }) {
  const [paper, setPaper] = useState<'A4' | 'Letter'>('A4');
  const [pdf, setPdf] = useState<string | null>(null);
  const [destination, setDestination] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const makePdf = async () => {
    setBusy(true);
    const result = await window.custodian.ceremony.transcriptPdf({ id: view.ceremonyId, paper });
    setBusy(false);
    if (result.ok) setPdf(`${result.value.path} (${result.value.pages} pages)`);
    else setMessage(result.error.message);
  };
  const exportOutputs = async () => {
    const result = await window.custodian.ceremony.exportOutputs({ id: view.ceremonyId, destination });
    setMessage(result.ok ? `Exported ${result.value.files.length} files to ${result.value.destination}` : result.error.message);
  };
  return (
    <section className="panel" data-testid="transcript-panel">
      <h2>{view.status === 'completed' ? 'Ceremony complete' : `Ceremony ${view.status}`}</h2>
      <p>Chain head of the journal — read it aloud and compare it with the printed transcript:</p>
      <p className="big mono" data-testid="chain-head">
        {view.journal.head.match(/.{1,4}/g)?.join(' ')}
      </p>
      <div className="actions">
        <label>
          Paper{' '}
          <select value={paper} onChange={(e) => setPaper(e.target.value as 'A4' | 'Letter')}>
            <option>A4</option>
            <option>Letter</option>
          </select>
        </label>
        <button className="primary" onClick={() => void makePdf()} disabled={busy}>
          {busy ? 'Printing…' : 'Print the transcript (PDF)'}
        </button>
      </div>
      {pdf && <p data-testid="transcript-pdf">Transcript written: {pdf}</p>}
      <h3>Export to removable media</h3>
      <div className="actions">
        <input name="destination" value={destination} onChange={(e) => setDestination(e.target.value)} placeholder="/media/usb-stick" />
        <button onClick={() => void exportOutputs()} disabled={!destination.trim()}>
          Export outputs
        </button>
      </div>
      {message && <p data-testid="transcript-message">{message}</p>}
    </section>
  );
}
