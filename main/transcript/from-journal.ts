import { analyseChain, readJournalBytes, verifyJournalBytes } from '../journal';
import type { TranscriptModel } from '../../preload/print';
import { buildTranscriptModel, type TranscriptModelOptions } from './build-model';
import { TranscriptError, TranscriptErrorCode } from '../errors';

/**
 * Verifies a journal (a file path, or its content as bytes) and builds the transcript model from it. A journal
 * whose chain is broken gets no transcript: a printed page must never lend credibility to altered records. A
 * journal that ends in an unfinished write (a crash) verifies up to it; the transcript says so under Exceptions.
 */
export async function transcriptModelFromJournal(journal: string | Uint8Array, options: TranscriptModelOptions = {}): Promise<TranscriptModel> {
  const bytes = typeof journal === 'string' ? await readJournalBytes(journal) : journal;
  const result = verifyJournalBytes(bytes);
  if (result.ok) return buildTranscriptModel(result.events, options);
  if (result.kind === 'torn') {
    const analysis = analyseChain(bytes); // the valid prefix: what was acknowledged before the crash
    if (analysis.ok && analysis.events.length > 0) return buildTranscriptModel(analysis.events, { ...options, tornTail: analysis.tornTail });
  }
  if (result.kind === 'removed' && result.firstBadSeq === 1) {
    throw new TranscriptError(TranscriptErrorCode.JournalEmpty, 'The journal is empty: there is nothing to print.');
  }
  throw new TranscriptError(TranscriptErrorCode.JournalInvalid, `The journal does not verify, so no transcript is printed: ${result.message}`);
}
