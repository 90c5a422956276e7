import { useEffect, useState } from 'react';
import type { TemplateInfo } from '../../preload/api';
import { useAppStore, useCeremonyStore } from '../store';
import { utcWithLocal } from '../components';

function NewCeremony({ template, onCancel }: { template: TemplateInfo; onCancel(): void }) {
  const create = useCeremonyStore((s) => s.create);
  const go = useAppStore((s) => s.go);
  const [values, setValues] = useState<Record<string, string | boolean>>(() =>
    Object.fromEntries(
      template.parameters.map((p) => [
        p.name,
        p.default === null ? (p.type === 'boolean' ? false : '') : p.type === 'boolean' ? Boolean(p.default) : String(p.default),
      ]),
    ),
  );
  // An emptied text field stays empty (and is refused), never silently replaced by the default.
  const parameters = Object.fromEntries(
    template.parameters
      .filter((p) => !(p.type === 'integer' && values[p.name] === ''))
      .map((p) => [p.name, p.type === 'integer' ? Number(values[p.name]) : values[p.name]]),
  );
  const key = JSON.stringify(parameters);
  const [check, setCheck] = useState<{ key: string; problems: { code: string; message: string }[]; description: string } | null>(null);
  useEffect(() => {
    let current = true;
    const timer = setTimeout(() => {
      void window.custodian.ceremony.checkParameters({ template: template.name, parameters: JSON.parse(key) as Record<string, unknown> }).then((r) => {
        if (current && r.ok) setCheck({ key, ...r.value });
      });
    }, 150);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [key, template.name]);
  const problems = check?.key === key ? check.problems : [];
  const submit = async () => {
    if (problems.length > 0) return;
    const id = await create(template.name, parameters);
    if (id) go({ name: 'ceremony', id });
  };
  return (
    <section className="panel" data-testid="new-ceremony">
      <h3>New ceremony: {template.title}</h3>
      <p data-testid="template-description">{check?.description || template.description}</p>
      <form
        className="form-grid"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        {template.parameters.map((p) => (
          <label key={p.name} className={p.type === 'boolean' ? 'check-row' : undefined}>
            {p.type !== 'boolean' && <span>{p.description || p.name}</span>}
            {p.type === 'choice' && p.choices ? (
              <select name={p.name} value={String(values[p.name])} onChange={(e) => setValues({ ...values, [p.name]: e.target.value })}>
                {p.choices.map((c) => (
                  <option key={c}>{c}</option>
                ))}
              </select>
            ) : p.type === 'boolean' ? (
              <>
                <input type="checkbox" name={p.name} checked={Boolean(values[p.name])} onChange={(e) => setValues({ ...values, [p.name]: e.target.checked })} />
                <span>{p.description || p.name}</span>
              </>
            ) : (
              <input
                name={p.name}
                type={p.type === 'integer' ? 'number' : 'text'}
                value={String(values[p.name])}
                onChange={(e) => setValues({ ...values, [p.name]: e.target.value })}
              />
            )}
          </label>
        ))}
        {problems.length > 0 && (
          <ul className="form-problems" role="alert" data-testid="parameter-problems">
            {problems.map((p) => (
              <li key={p.message}>{p.message}</li>
            ))}
          </ul>
        )}
        <div className="actions">
          <button type="submit" className="primary" disabled={problems.length > 0 || check?.key !== key}>
            Start the ceremony
          </button>
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </form>
    </section>
  );
}

export function CeremoniesScreen() {
  const { templates, list, loadList, error, busy } = useCeremonyStore();
  const go = useAppStore((s) => s.go);
  const [chosen, setChosen] = useState<TemplateInfo | null>(null);
  useEffect(() => {
    void loadList();
  }, [loadList]);
  const inProgress = list.filter((c) => c.status === 'open' || c.status === 'paused');
  const finished = list.filter((c) => c.status !== 'open' && c.status !== 'paused');
  return (
    <main data-testid="ceremonies">
      <h2>Ceremonies</h2>
      {error && (
        <div className="banner banner-bad" role="alert">
          {error.message}
        </div>
      )}
      {busy && <p role="status">{busy}</p>}
      {chosen ? (
        <NewCeremony template={chosen} onCancel={() => setChosen(null)} />
      ) : (
        <section className="panel">
          <h3>Start a ceremony</h3>
          <ul className="templates">
            {templates.map((t) => (
              <li key={t.name}>
                <button className="primary" onClick={() => setChosen(t)} data-template={t.name}>
                  {t.title}
                </button>{' '}
                <span className="small">{t.description}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      <section className="panel">
        <h3>In progress</h3>
        {inProgress.length === 0 && <p>None.</p>}
        <CeremonyTable rows={inProgress} onOpen={(id) => go({ name: 'ceremony', id })} />
        <h3>Finished</h3>
        {finished.length === 0 && <p>None.</p>}
        <CeremonyTable rows={finished} onOpen={(id) => go({ name: 'ceremony', id })} />
      </section>
    </main>
  );
}

function CeremonyTable({ rows, onOpen }: { rows: ReturnType<typeof useCeremonyStore.getState>['list']; onOpen(id: string): void }) {
  if (!rows.length) return null;
  return (
    <table className="list">
      <tbody>
        {rows.map((c) => (
          <tr key={c.id} data-ceremony={c.id}>
            <td>
              <button onClick={() => onOpen(c.id)}>Open</button>
            </td>
            <td>{c.title}</td>
            <td className="mono small">{c.id}</td>
            <td>{c.status}</td>
            <td>{c.rehearsal ? 'REHEARSAL' : ''}</td>
            <td className="small" data-testid="updated-at">
              {utcWithLocal(c.updatedAt)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
