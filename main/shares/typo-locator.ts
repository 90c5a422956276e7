import { bech32m } from '@scure/base';

// When a typed share fails its checksum, point the custodian at the group to re-read.
// We try every single edit a hand makes — one wrong character, two neighbours swapped, one character
// left out, one typed twice — and keep the edits that yield a valid checksum. If they all fall within
// at most two groups, those groups are named. The repaired text is never used or shown: the custodian
// re-reads the card; a hint cannot put a wrong share into a ceremony.

const BECH32_ALPHABET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const HRP_AND_SEPARATOR = 'cshare1';
const GROUP_SIZE = 4;
// Same ceiling the decoder applies; duplicated rather than imported to keep this file free of cycles.
const MAX_LOCATABLE_DATA_LENGTH = 140;
const MAX_HINTED_GROUPS = 2;

function groupOf(position: number): number {
  return Math.floor(position / GROUP_SIZE) + 1;
}

function checksumHolds(data: string): boolean {
  return bech32m.decodeUnsafe(HRP_AND_SEPARATOR + data, false) !== undefined;
}

/** `data` is the normalised text after "cshare1". Returns 1-based group numbers, or [] when unclear. */
export function locateTypo(data: string): number[] {
  if (data.length > MAX_LOCATABLE_DATA_LENGTH) return [];

  // Characters no card can show are certain culprits; no search needed.
  const foreign = new Set<number>();
  for (let i = 0; i < data.length; i++) if (!BECH32_ALPHABET.includes(data[i])) foreign.add(groupOf(i));
  if (foreign.size > 0) return foreign.size <= MAX_HINTED_GROUPS ? [...foreign].sort((a, b) => a - b) : [];

  const suspects = new Set<number>();
  for (let i = 0; i < data.length; i++) {
    for (const c of BECH32_ALPHABET) {
      if (c !== data[i] && checksumHolds(data.slice(0, i) + c + data.slice(i + 1))) suspects.add(groupOf(i));
    }
    if (i + 1 < data.length && data[i] !== data[i + 1]) {
      if (checksumHolds(data.slice(0, i) + data[i + 1] + data[i] + data.slice(i + 2))) {
        suspects.add(groupOf(i)).add(groupOf(i + 1));
      }
    }
    if (checksumHolds(data.slice(0, i) + data.slice(i + 1))) suspects.add(groupOf(i));
  }
  for (let i = 0; i <= data.length; i++) {
    for (const c of BECH32_ALPHABET) {
      // A missing character at the very end belongs to the last group; clamp so we never name a group past it.
      if (checksumHolds(data.slice(0, i) + c + data.slice(i))) suspects.add(groupOf(Math.min(i, data.length - 1)));
    }
  }
  if (suspects.size === 0 || suspects.size > MAX_HINTED_GROUPS) return [];
  return [...suspects].sort((a, b) => a - b);
}
