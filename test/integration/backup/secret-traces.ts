import { execFileSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { combineShareTexts, decodeShareText, normalizeShareText, type CheckValue } from '../../../main/shares';

/**
 * The secret-hygiene search: the KEK (rebuilt here from the revealed shares with main/shares — production code exposes
 * nothing) and every share, in raw bytes, hex, base64 and the share encoding (compact, grouped, upper case), looked
 * for in every file under the given folders and in the text of every PDF. Share cards are the one allowed place.
 */
export async function secretNeedles(shareTexts: string[], checkValue: CheckValue, m: number): Promise<Array<{ what: string; value: Buffer }>> {
  const kek = Buffer.from(await combineShareTexts(shareTexts.slice(0, m), { checkValue }));
  const needles: Array<{ what: string; value: Buffer }> = [];
  const add = (what: string, bytes: Buffer) => {
    needles.push({ what: `${what} (raw)`, value: bytes });
    needles.push({ what: `${what} (hex)`, value: Buffer.from(bytes.toString('hex')) });
    needles.push({ what: `${what} (HEX)`, value: Buffer.from(bytes.toString('hex').toUpperCase()) });
    needles.push({ what: `${what} (base64)`, value: Buffer.from(bytes.toString('base64').replace(/=+$/, '')) });
  };
  add('KEK', kek);
  shareTexts.forEach((text, i) => {
    const decoded = decodeShareText(text);
    add(`share ${i + 1} bytes`, Buffer.from(decoded.bytes));
    const compact = normalizeShareText(text);
    needles.push({ what: `share ${i + 1} text`, value: Buffer.from(compact) });
    needles.push({ what: `share ${i + 1} text upper`, value: Buffer.from(compact.toUpperCase()) });
    // 60 characters after "cshare1": found even when a page numbers the groups (see the PDF reading below)
    needles.push({ what: `share ${i + 1} text (head)`, value: Buffer.from(compact.slice(7, 67)) });
    // the grouped form minus the prefix: what a reveal or a card shows
    needles.push({
      what: `share ${i + 1} grouped`,
      value: Buffer.from(
        text
          .replace(/^cshare1\s*/, '')
          .split(' ')
          .slice(0, 6)
          .join(' '),
      ),
    });
  });
  return needles;
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const files: string[] = [];
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) files.push(...(await filesUnder(path)));
    else if (e.isFile()) files.push(path);
  }
  return files;
}

export interface Trace {
  file: string;
  what: string;
}

export async function findSecretTraces(
  roots: string[],
  needles: Array<{ what: string; value: Buffer }>,
  allowed: (file: string) => boolean,
): Promise<{ traces: Trace[]; filesSearched: number; pdfsRead: number }> {
  const traces: Trace[] = [];
  let filesSearched = 0;
  let pdfsRead = 0;
  for (const root of roots) {
    for (const file of await filesUnder(root)) {
      if (allowed(file)) continue;
      filesSearched++;
      const contents = [await readFile(file)];
      if (file.endsWith('.pdf')) {
        pdfsRead++;
        const text = execFileSync('pdftotext', ['-layout', file, '-']);
        const tokens = text.toString('utf8').split(/\s+/);
        // as printed: squeezed, and with one- and two-digit group numbers dropped (a card numbers its groups)
        contents.push(
          text,
          Buffer.from(tokens.join('')),
          Buffer.from(
            tokens
              .filter((t) => !/^\d{1,2}$/.test(t))
              .join('')
              .toLowerCase(),
          ),
        );
      }
      for (const needle of needles) if (contents.some((c) => c.includes(needle.value))) traces.push({ file, what: needle.what });
    }
  }
  return { traces, filesSearched, pdfsRead };
}
