import type { TranscriptDevice, TranscriptParticipant } from './model';
import { formatClock, roleNoun } from './format';

export function ParticipantsSection({ participants }: { participants: TranscriptParticipant[] }) {
  return (
    <section className="print-section">
      <h2>Participants</h2>
      {participants.length === 0 ? (
        <p>Nobody checked in.</p>
      ) : (
        <table className="print-table print-participants">
          <thead>
            <tr>
              <th>Seat</th>
              <th>Name</th>
              <th>Role</th>
              <th>Identity check</th>
              <th>Checked by</th>
              <th>Time (UTC)</th>
            </tr>
          </thead>
          <tbody>
            {participants.map((p) => (
              <tr key={p.id}>
                <td className="mono">{p.id}</td>
                <td>{p.name}</td>
                <td>{roleNoun(p.role)}</td>
                <td>{p.identityCheck}</td>
                <td className="mono">{p.checkedBy}</td>
                <td className="nowrap">{formatClock(p.time)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function DevicesSection({ devices }: { devices: TranscriptDevice[] }) {
  return (
    <section className="print-section">
      <h2>Devices</h2>
      {devices.length === 0 ? (
        <p>No device was recorded.</p>
      ) : (
        <table className="print-table">
          <thead>
            <tr>
              <th>Device</th>
              <th>Vendor</th>
              <th>Model</th>
              <th>Serial</th>
              <th>Firmware</th>
              <th>Module path</th>
            </tr>
          </thead>
          <tbody>
            {devices.map((d, i) => (
              <tr key={`${d.id ?? ''}-${d.serial ?? ''}-${i}`}>
                <td>
                  {d.id && <span className="mono">{d.id}</span>}
                  {d.label && <div>label {d.label}</div>}
                  {d.kind && <div className="small">{d.kind}</div>}
                  {d.description && <div className="small">{d.description}</div>}
                </td>
                <td>{d.vendor ?? ''}</td>
                <td>{d.model ?? ''}</td>
                <td className="mono">{d.serial ?? ''}</td>
                <td>{d.firmware ?? ''}</td>
                <td className="mono small break">{d.modulePath ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
