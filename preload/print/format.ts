// Small presentation helpers shared by the printed documents (pure; no I/O).

/** "2025-01-31 09:15:02 UTC" from an ISO time; the input unchanged if it is not one. */
export function formatTime(iso: string | undefined): string {
  if (!iso) return '';
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})/.exec(iso);
  return match ? `${match[1]} ${match[2]} UTC` : iso;
}

/** "09:15:02" from an ISO time: the steps table shows the date once, in the header. */
export function formatClock(iso: string | undefined): string {
  if (!iso) return '';
  const match = /T(\d{2}:\d{2}:\d{2})/.exec(iso);
  return match ? match[1] : iso;
}

/** "2025-01-31" from an ISO time. */
export function formatDate(iso: string | undefined): string {
  return iso ? iso.slice(0, 10) : '';
}

/** The words in rows of `perRow`, each word with its 1-based number, so a witness can say "word 13: maple". */
export function numberedRows(words: string[], perRow: number): { n: number; word: string }[][] {
  const rows: { n: number; word: string }[][] = [];
  for (let i = 0; i < words.length; i += perRow) rows.push(words.slice(i, i + perRow).map((word, k) => ({ n: i + k + 1, word })));
  return rows;
}

export function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export function roleNoun(role: string): string {
  switch (role) {
    case 'administrator':
      return 'Ceremony administrator';
    case 'custodian':
      return 'Custodian';
    case 'witness':
      return 'Witness';
    case 'auditor':
      return 'Auditor';
    default:
      return role;
  }
}
