import { formatCheckValue, type CheckValue } from './check-value';
import type { ShareSet } from './share-set';
import type { ShareFormatVersion } from './share-text';

// What one custodian's printed share card shows. A plain data type so the renderer's print view can
// lay it out without importing anything from main/ (it crosses IPC as JSON).

export interface ShareCardData {
  ceremonyId: string;
  setId: string;
  index: number;
  n: number;
  m: number;
  /** e.g. "Share 2 of 5 — any 3 of the 5 shares restore the secret". */
  caption: string;
  /** "cshare1 " then groups of four, as typed back at restore. */
  groupedText: string;
  /** The groups alone, so the card can number them (typo hints name groups by these numbers, from 1). */
  groups: string[];
  /**
   * The share in one piece, upper case: QR alphanumeric mode stores it more compactly, and the reader
   * folds case, so it is the same share as the printed text.
   */
  qrPayload: string;
  checkValue: CheckValue;
  /** e.g. "AES-KCV 1a2b3c". */
  checkValueText: string;
  /** Public hash recorded in the journal for this share. */
  commitment: string;
  /** ISO date (YYYY-MM-DD) of the backup. */
  date: string;
  custodianName: string;
  formatVersion: ShareFormatVersion;
}

export interface ShareCardDetails {
  ceremonyId: string;
  custodianName: string;
  date: Date | string;
}

export function shareCardCaption(index: number, n: number, m: number): string {
  return `Share ${index} of ${n} — any ${m} of the ${n} shares restore the secret`;
}

export function makeShareCard(set: ShareSet, index: number, details: ShareCardDetails): ShareCardData {
  const entry = set.shares.find((share) => share.index === index);
  if (!entry) throw new RangeError(`Set ${set.setId} has no share ${index}`);
  const date = typeof details.date === 'string' ? details.date : details.date.toISOString().slice(0, 10);
  return {
    ceremonyId: details.ceremonyId,
    setId: set.setId,
    index,
    n: set.n,
    m: set.m,
    caption: shareCardCaption(index, set.n, set.m),
    groupedText: entry.grouped,
    groups: [...entry.groups],
    qrPayload: entry.text.toUpperCase(),
    checkValue: { ...set.checkValue },
    checkValueText: formatCheckValue(set.checkValue),
    commitment: entry.commitment,
    date,
    custodianName: details.custodianName,
    formatVersion: set.formatVersion,
  };
}
