import { formatCheckValue } from './check-value';
import type { ShareSet } from './share-set';
import type { ShareCardView } from '../../preload/print';

// A custodian's share card: the print layer's model (preload/print's ShareCardView), made from a share set.

export interface ShareCardDetails {
  ceremonyId: string;
  custodianName: string;
  date: Date | string;
}

export function shareCardCaption(index: number, n: number, m: number): string {
  return `Share ${index} of ${n} — any ${m} of the ${n} shares restore the secret`;
}

export function makeShareCard(set: ShareSet, index: number, details: ShareCardDetails): ShareCardView {
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
