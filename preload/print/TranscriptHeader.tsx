import type { TranscriptModel } from './model';
import { formatTime } from './format';
import { RehearsalNotice } from './RehearsalWatermark';

export function TranscriptHeader({ model }: { model: TranscriptModel }) {
  const host = model.host;
  return (
    <header className="print-header">
      <p className="print-kicker">Key ceremony transcript</p>
      <h1>{model.title}</h1>
      {model.description && <p className="print-description">{model.description}</p>}
      {model.rehearsal && <RehearsalNotice what="ceremony" />}
      <dl className="print-facts">
        <dt>Ceremony</dt>
        <dd className="mono">{model.ceremonyId}</dd>
        <dt>Status</dt>
        <dd>{model.status}</dd>
        <dt>Journal</dt>
        <dd>
          {model.journal.eventCount} events, {formatTime(model.journal.firstTime)} to {formatTime(model.journal.lastTime)}
          {model.journal.closed ? ', closed' : ', not closed'}
        </dd>
        {model.appVersion && (
          <>
            <dt>Custodian version</dt>
            <dd>{model.appVersion}</dd>
          </>
        )}
        {model.script && (
          <>
            <dt>Script SHA-256</dt>
            <dd className="mono small">{model.script.sha256}</dd>
          </>
        )}
        {host && (
          <>
            <dt>Workstation</dt>
            <dd>{[host.hostname, host.platform, host.osRelease, host.arch].filter(Boolean).join(' · ')}</dd>
            <dt>Air gap</dt>
            <dd className={host.airGapped === false ? 'print-bad' : undefined}>
              {host.airGapped === false
                ? `NOT air-gapped: network interfaces up: ${host.interfacesUp.join(', ')}`
                : host.airGapped
                  ? 'no network interface up (loopback excluded)'
                  : 'not recorded'}
            </dd>
          </>
        )}
        <dt>Printed</dt>
        <dd>{formatTime(model.generatedAt)}</dd>
      </dl>
    </header>
  );
}
