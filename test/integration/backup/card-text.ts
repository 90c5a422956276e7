import { pdfPageTexts } from '../transcript/pdf-text';

/**
 * Reads a share back from a printed share card the way a custodian would: the numbered groups of four after
 * "cshare1", in the order of their numbers (the card lays them out in rows). Only rehearsal cards exist as files.
 */
export function shareFromCardText(pageText: string): string {
  const start = pageText.indexOf('cshare1');
  const end = pageText.indexOf('Type the groups', start);
  if (start < 0 || end < 0) throw new Error('No share text on this card page');
  const body = pageText.slice(start + 'cshare1'.length, end);
  const groups = [...body.matchAll(/(\d+)\s+([qpzry9x8gf2tvdw0s3jn54khce6mua7l]{1,4})(?=\s|$)/g)]
    .map((m) => ({ n: Number(m[1]), group: m[2] }))
    .sort((a, b) => a.n - b.n);
  return `cshare1 ${groups.map((g) => g.group).join(' ')}`;
}

export function shareFromCardPdf(path: string): string {
  return shareFromCardText(pdfPageTexts(path)[0]);
}
