import { useEffect, useState } from 'react';
import type { ShareCheck } from '../../../preload/api';

/** Asks main whether the share reads correctly so far (the same locator as `custodian share check`). */
export function useShareCheck(text: string): ShareCheck | null {
  const [check, setCheck] = useState<ShareCheck | null>(null);
  useEffect(() => {
    if (!text.trim()) {
      setCheck(null);
      return;
    }
    let current = true;
    const timer = setTimeout(() => {
      void window.custodian.shares.check({ text }).then((result) => {
        if (current && result.ok) setCheck(result.value);
      });
    }, 120);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [text]);
  return check;
}

/** What the custodian sees under the share while typing: groups so far, and the group to re-read when one is wrong. */
export function ShareTypingStatus({ check, insist }: { check: ShareCheck | null; insist: boolean }) {
  if (!check) return <p className="small share-status">Type the groups as printed on your card; spaces and case do not matter.</p>;
  const tone = check.ok ? 'ok' : check.suspiciousGroups.length > 0 || (insist && check.complete) ? 'bad' : 'neutral';
  const text = check.ok
    ? `✔ ${check.summary}`
    : check.suspiciousGroups.length > 0 || (insist && check.complete)
      ? `✖ ${check.summary}`
      : insist
        ? `✖ The share is not complete: ${check.groupsTyped} groups typed. Type every group on your card.`
        : check.summary;
  return (
    <p className={`share-status share-${tone}`} data-testid="share-check" data-ok={check.ok} role={tone === 'bad' ? 'alert' : undefined}>
      {text}
    </p>
  );
}
