/** A small labelled state marker; tone carries meaning (ok, warn, bad) and the text says it in words too. */
export function Flag({ label, tone }: { label: string; tone: 'ok' | 'warn' | 'bad' | 'neutral' }) {
  return <span className={`flag flag-${tone}`}>{label}</span>;
}
