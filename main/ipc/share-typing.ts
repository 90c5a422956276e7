import { checkShareText, looksLikeYubicoShare, normalizeShareText, SHARE_GROUP_SIZE, SHARE_PREFIX, shareTextLength, MAX_SECRET_BYTES } from '../shares';

/** The 32 characters a share card can hold after "cshare1" (bech32): anything else is a misreading. */
const CARD_ALPHABET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';

/** Lengths a whole share can have (one per secret length): below the shortest, the text is still being typed. */
const SHARE_LENGTHS = new Set(Array.from({ length: MAX_SECRET_BYTES }, (_, i) => shareTextLength(i + 1)));
const SHORTEST = Math.min(...SHARE_LENGTHS);

export interface ShareTypingCheck {
  ok: boolean;
  complete: boolean;
  suspiciousGroups: number[];
  groupsTyped: number;
  summary: string;
}

/**
 * Checks a share while its custodian types it, group by group: a character no card carries names its group at
 * once; when the text has a whole share's length, the checksum decides and the typo locator names the group to
 * re-read. Nothing of the share is kept or logged; the answer holds only what the card itself prints.
 */
export function checkShareAsTyped(text: string): ShareTypingCheck {
  // a share written by Yubico's tools ("2-1-…", yubihsm-restore with shareFormat yubico): only its form can be checked
  if (looksLikeYubicoShare(text)) {
    const yubico = checkShareText(text);
    return { ok: yubico.ok, complete: yubico.ok, suspiciousGroups: [], groupsTyped: 0, summary: yubico.summary };
  }
  const normalized = normalizeShareText(text);
  const data = normalized.startsWith(SHARE_PREFIX) ? normalized.slice(SHARE_PREFIX.length) : normalized;
  const groupsTyped = Math.ceil(data.length / SHARE_GROUP_SIZE);
  if (normalized.length > 0 && !SHARE_PREFIX.startsWith(normalized.slice(0, SHARE_PREFIX.length))) {
    return { ok: false, complete: false, suspiciousGroups: [], groupsTyped, summary: `A share starts with “${SHARE_PREFIX}”, as on the card.` };
  }
  const badGroups = new Set<number>();
  for (let i = 0; i < data.length; i++) if (!CARD_ALPHABET.includes(data[i])) badGroups.add(Math.floor(i / SHARE_GROUP_SIZE) + 1);
  if (badGroups.size > 0) {
    const groups = [...badGroups];
    return {
      ok: false,
      complete: false,
      suspiciousGroups: groups,
      groupsTyped,
      summary: `${groups.length === 1 ? `Group ${groups[0]} has` : `Groups ${groups.join(', ')} have`} a character no share card carries (cards never use b, i, o or 1 after the prefix). Re-read ${groups.length === 1 ? 'it' : 'them'} on the card.`,
    };
  }
  if (normalized.length < SHORTEST || !SHARE_LENGTHS.has(normalized.length)) {
    return { ok: false, complete: false, suspiciousGroups: [], groupsTyped, summary: `${groupsTyped} groups typed so far.` };
  }
  const check = checkShareText(normalized);
  if (check.ok) return { ok: true, complete: true, suspiciousGroups: [], groupsTyped, summary: check.summary };
  return { ok: false, complete: true, suspiciousGroups: [...check.suspiciousGroups], groupsTyped, summary: check.summary };
}
