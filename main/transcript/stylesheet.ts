import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TranscriptError, TranscriptErrorCode } from '../errors';

/**
 * Where renderer/print/print.css may be: next to the source tree (tsx, vitest, the CLI), under the working directory,
 * or where a bundled build copied it (CUSTODIAN_PRINT_CSS names it). The renderer imports the same file through its
 * bundler, so screen and paper use one stylesheet.
 */
function candidates(): string[] {
  const list: string[] = [];
  if (process.env.CUSTODIAN_PRINT_CSS) list.push(process.env.CUSTODIAN_PRINT_CSS);
  try {
    // beside a bundle (out/node copies it there), or in the source tree
    list.push(fileURLToPath(new URL('./print.css', import.meta.url)));
    list.push(fileURLToPath(new URL('../../renderer/print/print.css', import.meta.url)));
  } catch {
    // import.meta.url is not a file: URL in some bundles
  }
  list.push(join(process.cwd(), 'renderer', 'print', 'print.css'));
  return list;
}

let cached: string | null = null;

/** The print stylesheet's text, read once. */
export function loadPrintStylesheet(): string {
  if (cached !== null) return cached;
  for (const path of candidates()) {
    if (existsSync(path)) {
      cached = readFileSync(path, 'utf8');
      return cached;
    }
  }
  throw new TranscriptError(
    TranscriptErrorCode.StylesheetMissing,
    'The print stylesheet (renderer/print/print.css) was not found; set CUSTODIAN_PRINT_CSS to its path.',
  );
}
