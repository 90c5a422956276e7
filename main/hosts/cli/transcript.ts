import { writeTranscript } from '../../ipc';
import type { PdfPrinter } from '../../transcript';

/** Prints <dir>/transcript.pdf from <dir>/journal.jsonl with the CLI's printer (Chromium), as the browser host does. */
export function writeTranscriptFor(dir: string, options: { paper: 'A4' | 'Letter'; printer: PdfPrinter }): Promise<{ path: string; pages: number }> {
  return writeTranscript(dir, options.paper, { printer: options.printer });
}
