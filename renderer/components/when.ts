const pad = (n: number) => String(n).padStart(2, '0');

/**
 * A moment as the journal and the transcript give it, in UTC, with the workstation's local time beside it:
 * "2026-12-07 07:45 UTC (08:45 local)". `seconds` adds the seconds to both.
 */
export function utcWithLocal(iso: string | number | Date, { seconds = false } = {}): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  const s = (h: number, m: number, sec: number) => `${pad(h)}:${pad(m)}${seconds ? `:${pad(sec)}` : ''}`;
  const utc = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${s(d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds())} UTC`;
  const sameDay = d.getFullYear() === d.getUTCFullYear() && d.getMonth() === d.getUTCMonth() && d.getDate() === d.getUTCDate();
  const local = `${sameDay ? '' : `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} `}${s(d.getHours(), d.getMinutes(), d.getSeconds())}`;
  return `${utc} (${local} local)`;
}
