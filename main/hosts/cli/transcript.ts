import { writeTranscript } from '../../core/ceremonies';

/** Prints <dir>/transcript.pdf from <dir>/journal.jsonl with Chromium (page.pdf), as the browser host does. */
export function writeTranscriptFor(dir: string, options: { paper: 'A4' | 'Letter' }): Promise<{ path: string; pages: number }> {
  return writeTranscript(dir, options.paper);
}
