/** Prints <dir>/transcript.pdf from <dir>/journal.jsonl (filled in once main/transcript lands). */
export async function writeTranscriptFor(_dir: string, _options: { paper: 'A4' | 'Letter' }): Promise<{ path: string; pages: number }> {
  throw Object.assign(new Error('Transcript printing is not wired yet.'), { code: 'NotAvailable' });
}
