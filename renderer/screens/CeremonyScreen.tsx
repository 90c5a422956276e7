import { useEffect, useState } from 'react';
import type { CeremonyView } from '../../preload/api';
import { useAppStore, useCeremonyStore } from '../store';
import { CheckInPanel, Flag, StepPanel, TranscriptPanel, utcWithLocal } from '../components';

const STATUS_MARK: Record<string, string> = { completed: '✔', failed: '✖', interrupted: '!', running: '…', pending: '' };

function StepList({ view }: { view: CeremonyView }) {
  const runningStepId = useCeremonyStore((s) => s.runningStepId);
  return (
    <ol className="step-list" data-testid="step-list" aria-label="Steps">
      {view.steps.map((s) => {
        const running = s.status === 'running' || runningStepId === s.id;
        const current = view.current?.id === s.id;
        return (
          <li
            key={s.id}
            className={`step-${running ? 'running' : s.status}${current ? ' step-current' : ''}`}
            data-step={s.id}
            data-status={running ? 'running' : s.status}
            aria-current={current ? 'step' : undefined}
          >
            <span className="mark" aria-hidden="true">
              {running ? <span className="spinner spinner-small" /> : STATUS_MARK[s.status]}
            </span>{' '}
            {s.title}
            {running && <span className="sr-only"> (running)</span>}
          </li>
        );
      })}
    </ol>
  );
}

function ExceptionDialog({ view }: { view: CeremonyView }) {
  const command = useCeremonyStore((s) => s.command);
  const [mode, setMode] = useState<null | 'pause' | 'abort'>(null);
  const [reason, setReason] = useState('');
  if (view.status === 'completed' || view.status === 'aborted') return null;
  return (
    <div className="exception-controls">
      {view.status === 'paused' ? (
        <button onClick={() => void command({ kind: 'resume' })}>Resume the ceremony</button>
      ) : (
        <button onClick={() => setMode('pause')}>Pause…</button>
      )}
      <button className="danger" onClick={() => setMode('abort')}>
        Abort…
      </button>
      {mode && (
        <div className="dialog" role="dialog" aria-label={mode === 'abort' ? 'Abort the ceremony' : 'Pause the ceremony'}>
          <h3>{mode === 'abort' ? 'Abort the ceremony' : 'Pause the ceremony'}</h3>
          <p>{mode === 'abort' ? 'An aborted ceremony cannot be continued. ' : ''}The reason is recorded in the journal and printed in the transcript.</p>
          <input name="exceptionReason" value={reason} onChange={(e) => setReason(e.target.value)} placeholder="Reason" />
          <button
            className={mode === 'abort' ? 'danger' : 'primary'}
            disabled={!reason.trim()}
            onClick={() => {
              void command(mode === 'abort' ? { kind: 'abort', reason: reason.trim() } : { kind: 'pause', reason: reason.trim() });
              setMode(null);
              setReason('');
            }}
          >
            {mode === 'abort' ? 'Abort' : 'Pause'}
          </button>
          <button onClick={() => setMode(null)}>Cancel</button>
        </div>
      )}
    </div>
  );
}

/** Which devices the ceremony uses and the mode they make, shown from before check-in on. */
function DevicesLine({ view }: { view: CeremonyView }) {
  // select the store's own array (a stable reference) and map it here: a selector that builds a new array on every
  // call makes React re-render without end (error #185)
  const interfacesUp = useAppStore((s) => s.snapshot?.network.interfacesUp);
  const up = (interfacesUp ?? []).map((i) => i.name);
  return (
    <div className="small" data-testid="ceremony-mode" data-mode={view.mode}>
      {view.mode === 'rehearsal' && up.length > 0 && (
        <p className="banner banner-warn" data-testid="airgap-notice">
          Notice: this machine is not air-gapped (network up: {up.join(', ')}). A rehearsal runs anyway; a real ceremony would be refused.
        </p>
      )}
      {view.mode === 'rehearsal' ? <Flag label="REHEARSAL" tone="warn" /> : <Flag label="REAL CEREMONY" tone="bad" />}{' '}
      {view.devices.length === 0
        ? 'No device: practice only.'
        : view.devices.map((d, i) => (
            // one device after another, "; " between; the library a token is reached through is for the details (its title)
            <span key={d.id} className="ceremony-device" title={`${d.description} — ${d.reason}`}>
              {i > 0 && '; '}
              {d.description.replace(/ of \/\S+/, '')} ({d.rehearsal ? 'rehearsal device' : 'real device'})
            </span>
          ))}
    </div>
  );
}

export function CeremonyScreen({ id }: { id: string }) {
  const { view, error, open, clearError, busy } = useCeremonyStore();
  useEffect(() => {
    void open(id);
    return window.custodian.on('ceremony.changed', (e) => {
      if (e.id !== id) return;
      // while a command runs the view is its answer; a change meanwhile is the running step's progress
      if (useCeremonyStore.getState().busy) void useCeremonyStore.getState().refreshProgress(id);
      else void open(id);
    });
  }, [id, open]);
  if (!view) return <main>{error ? <p className="error">{error.message}</p> : <p>Opening the ceremony…</p>}</main>;
  return (
    <main
      className="ceremony"
      data-testid="ceremony"
      data-ceremony={view.ceremonyId}
      data-status={view.status}
      data-events={view.journal.count}
      data-busy={busy ? 'true' : 'false'}
    >
      <div className="ceremony-head">
        <h2>{view.title}</h2>
        <p className="small mono">{view.ceremonyId}</p>
        <p className="small">
          Status: <strong data-testid="ceremony-status">{view.status}</strong>
          {view.pauseReason ? ` — ${view.pauseReason}` : ''}
          {view.abortReason ? ` — ${view.abortReason}` : ''} · journal: {view.journal.count} events
        </p>
        <DevicesLine view={view} />
      </div>
      {error && (
        <div className="banner banner-bad" role="alert" data-testid="ceremony-error">
          {error.message} <button onClick={clearError}>Dismiss</button>
        </div>
      )}
      <div className="ceremony-body">
        <aside>
          <StepList view={view} />
        </aside>
        <div className="ceremony-main">
          {!view.checkIn.complete && view.status === 'open' ? (
            <CheckInPanel view={view} />
          ) : view.current ? (
            <StepPanel view={view} step={view.current} />
          ) : (
            <TranscriptPanel view={view} />
          )}
          {view.exceptions.length > 0 && (
            <section className="panel" data-testid="exceptions">
              <h3>Exceptions</h3>
              <ul>
                {view.exceptions.map((x) => (
                  <li key={x.seq}>
                    #{x.seq} {utcWithLocal(x.time, { seconds: true })} {x.type}
                    {x.stepId ? ` (${x.stepId})` : ''}: {x.reason}
                  </li>
                ))}
              </ul>
            </section>
          )}
          {/* after the step, so the step's own controls come first in the Tab order and Abort… after them */}
          <ExceptionDialog view={view} />
        </div>
      </div>
    </main>
  );
}
