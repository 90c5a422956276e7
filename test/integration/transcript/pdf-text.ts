// Reading printed PDFs back the way a person would: poppler's pdftotext (layout kept) and pdfinfo.
import { execFileSync } from 'node:child_process';

export function pdfPages(path: string): number {
  const info = execFileSync('pdfinfo', [path], { encoding: 'utf8' });
  return Number(/^Pages:\s+(\d+)/m.exec(info)![1]);
}

export function pdfPageSize(path: string): string {
  return /^Page size:\s+(.+)$/m.exec(execFileSync('pdfinfo', [path], { encoding: 'utf8' }))![1];
}

/** The text of each page, in order (pdftotext ends every page with a form feed). */
export function pdfPageTexts(path: string): string[] {
  const text = execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' });
  const pages = text.split('\f');
  if (pages[pages.length - 1].trim() === '') pages.pop();
  return pages;
}

/** Text with all white space removed, for values that may wrap across lines (hex). */
export const squeeze = (text: string) => text.replace(/\s+/g, '');
