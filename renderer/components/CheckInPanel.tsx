import { useState } from 'react';
import type { CeremonyView } from '../../preload/api';
import { useCeremonyStore } from '../store';

/** A seat as words ("witness-1" → "Witness 1"): shown only beside a name, or until the person has given theirs. */
export function seatWords(id: string): string {
  const words = id.replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

type Participant = CeremonyView['participants'][number];

/** A person by the name they checked in with (or the name the plan expects), the seat after it as a detail. */
const personOf = (p: Participant) => {
  const name = p.name ?? p.expectedName;
  return name ? `${name} (${seatWords(p.id).toLowerCase()})` : seatWords(p.id);
};

/** Every participant checks in: name, the identity check done, and who did it. */
export function CheckInPanel({ view }: { view: CeremonyView }) {
  const command = useCeremonyStore((s) => s.command);
  const pending = view.participants.filter((p) => !p.checkedIn);
  const checkedIn = view.participants.filter((p) => p.checkedIn);
  const [who, setWho] = useState(pending[0]?.id ?? '');
  const [name, setName] = useState('');
  const [identityCheck, setIdentityCheck] = useState('');
  const [checkedBy, setCheckedBy] = useState('');
  const current = pending.find((p) => p.id === who) ?? pending[0];
  const named = (id: string | undefined) => view.participants.find((p) => p.id === id)?.name ?? (id ? seatWords(id) : '');
  const submit = async () => {
    if (!current) return;
    const ok = await command({ kind: 'checkIn', participantId: current.id, name: name.trim(), identityCheck: identityCheck.trim(), checkedBy });
    if (ok) {
      setName('');
      setIdentityCheck('');
      setWho('');
    }
  };
  return (
    <section className="panel" data-testid="check-in">
      <h3>Check-in</h3>
      <p>Before the first step, everyone present checks in. Another participant confirms each person’s identity.</p>
      {!view.checkIn.complete && (
        <p className="small">
          Still to check in:{' '}
          {view.checkIn.missing
            .map((id) => {
              const p = view.participants.find((x) => x.id === id);
              return p ? personOf(p) : id;
            })
            .join(', ')}
        </p>
      )}
      {current && (
        <form
          className="form-grid"
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <label>
            <span>Who checks in</span>
            <select name="participant" value={current.id} onChange={(e) => setWho(e.target.value)}>
              {pending.map((p) => (
                <option key={p.id} value={p.id}>
                  {personOf(p)}
                  {p.required ? '' : ' — optional'}
                </option>
              ))}
            </select>
          </label>
          <label>
            <span>Full name</span>
            <input name="name" value={name} onChange={(e) => setName(e.target.value)} />
          </label>
          <label>
            <span>Identity check done</span>
            <input
              name="identityCheck"
              value={identityCheck}
              placeholder="Passport checked against the roster"
              onChange={(e) => setIdentityCheck(e.target.value)}
            />
          </label>
          <label>
            <span>Checked by</span>
            <select name="checkedBy" value={checkedBy} onChange={(e) => setCheckedBy(e.target.value)}>
              <option value="">— choose —</option>
              {view.participants
                .filter((p) => p.id !== current.id)
                .map((p) => (
                  <option key={p.id} value={p.id}>
                    {personOf(p)}
                  </option>
                ))}
            </select>
          </label>
          <div className="actions">
            <button
              type="submit"
              className="primary"
              data-testid="check-in-submit"
              data-participant={current.id}
              disabled={!name.trim() || !identityCheck.trim() || !checkedBy}
            >
              Check in {name.trim() || seatWords(current.id)}
            </button>
          </div>
        </form>
      )}
      {checkedIn.length > 0 && (
        <table className="list" data-testid="checked-in">
          <tbody>
            {checkedIn.map((p) => (
              <tr key={p.id} data-participant={p.id}>
                <td>{p.name}</td>
                <td className="small">{seatWords(p.id)}</td>
                <td className="small">
                  {p.identityCheck} — checked by {named(p.checkedBy)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
