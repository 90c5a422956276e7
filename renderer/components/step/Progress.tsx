import { useEffect, useState } from 'react';

/**
 * A spinner, the time since the work began, and what the device is doing: for anything that takes over a second.
 * `count` is how far a step over many items has come ("2 of 5 keys wrapped"), when it says.
 */
export function Progress({ text, since, count = null }: { text: string; since: number; count?: string | null }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const seconds = Math.max(0, Math.floor((now - since) / 1000));
  const elapsed = seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
  return (
    <div className="progress" role="status" aria-live="polite" data-testid="progress">
      <span className="spinner" aria-hidden="true" />
      <span>{text}</span>
      {count && (
        <span className="progress-count" data-testid="progress-count">
          {count}
        </span>
      )}
      <span className="elapsed" data-testid="elapsed">
        {elapsed}
      </span>
    </div>
  );
}
