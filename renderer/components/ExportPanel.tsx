import { useEffect, useState } from 'react';
import type { ExportMediumView } from '../../preload/api';

/** Free space the way a person reads it: "3.2 GB free". */
function freeSpace(bytes: number | null): string {
  if (bytes === null) return 'free space unknown';
  const units = ['bytes', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]} free`;
}

type Described = { folder: string; medium: ExportMediumView } | { problem: string };

/**
 * Export to removable media: the folder chosen (never created) is described before anything is copied — its
 * device, file system and free space, and a warning naming the system disk when it is on this computer's own disk.
 */
export function ExportPanel({ ceremonyId }: { ceremonyId: string }) {
  const [destination, setDestination] = useState('');
  const [described, setDescribed] = useState<Described | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  useEffect(() => {
    setDescribed(null);
    const typed = destination.trim();
    if (!typed) return;
    let current = true;
    const timer = setTimeout(() => {
      void window.custodian.outputs.describeDestination({ destination: typed }).then((result) => {
        if (current) setDescribed(result.ok ? result.value : { problem: result.error.message });
      });
    }, 250);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [destination]);
  const chooseFolder = async () => {
    const result = await window.custodian.app.chooseFolder({ title: 'Export the ceremony outputs to…' });
    if (result.ok && result.value.path) setDestination(result.value.path);
    else if (!result.ok) setMessage(result.error.message);
  };
  const exportOutputs = async () => {
    const result = await window.custodian.ceremony.exportOutputs({ id: ceremonyId, destination: destination.trim() });
    setMessage(
      result.ok
        ? `Exported ${result.value.files.length} files to ${result.value.destination} (${result.value.medium.device}, ${result.value.medium.fsType}).${result.value.medium.warning ? ` Warning: ${result.value.medium.warning}` : ''}`
        : result.error.message,
    );
  };
  const ready = described !== null && 'folder' in described;
  return (
    <section aria-labelledby="export-title">
      <h3 id="export-title">Export to removable media</h3>
      <div className="actions">
        <label>
          Folder on the medium <input name="destination" value={destination} onChange={(e) => setDestination(e.target.value)} placeholder="/media/usb-stick" />
        </label>
        <button onClick={() => void chooseFolder()}>Choose folder…</button>
      </div>
      {described && 'problem' in described && (
        <p className="error" role="alert" data-testid="export-destination-problem">
          {described.problem}
        </p>
      )}
      {described && 'folder' in described && (
        <div data-testid="export-destination" aria-live="polite">
          <p>
            <span className="mono">{described.folder}</span> is on device <span className="mono">{described.medium.device}</span> ({described.medium.fsType},
            mounted at <span className="mono">{described.medium.mountPoint}</span>),{' '}
            <span data-testid="export-free-space">{freeSpace(described.medium.freeBytes)}</span>.
          </p>
          {described.medium.warning && (
            <p className="warning" role="alert" data-testid="export-warning">
              Warning: {described.medium.warning}
            </p>
          )}
        </div>
      )}
      <div className="actions">
        <button onClick={() => void exportOutputs()} disabled={!ready}>
          Export outputs
        </button>
      </div>
      {message && <p data-testid="export-message">{message}</p>}
    </section>
  );
}
