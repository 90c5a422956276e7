import { useEffect } from 'react';
import { useAppStore, useCeremonyStore } from '../store';

/** At the app's start and on Ceremonies: an unfinished ceremony is one button away, wherever the reload landed. */
export function ResumeBanner() {
  const screen = useAppStore((s) => s.screen);
  const go = useAppStore((s) => s.go);
  const list = useCeremonyStore((s) => s.list);
  const loadList = useCeremonyStore((s) => s.loadList);
  useEffect(() => {
    void loadList();
  }, [loadList]);
  const open = list.filter((c) => (c.status === 'open' || c.status === 'paused') && !(screen.name === 'ceremony' && screen.id === c.id));
  if (open.length === 0) return null;
  return (
    <div className="resume-banner" role="region" aria-label="Ceremonies in progress" data-testid="resume-banner">
      {open.map((c) => (
        <p key={c.id}>
          Ceremony in progress: <strong>{c.title}</strong>
          {c.progress ? `, step ${c.progress.step} of ${c.progress.of}` : ''}
          {c.status === 'paused' ? ' (paused)' : ''} —{' '}
          <button className="primary" data-resume={c.id} onClick={() => go({ name: 'ceremony', id: c.id })}>
            Resume
          </button>
        </p>
      ))}
    </div>
  );
}
