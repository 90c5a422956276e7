import { readFileSync } from 'node:fs';
import { groupHex, hexToBytes, toWords } from '../fingerprint';
import { journalStateOf, type JournalState } from './state';

/** `custodian verify` exit codes: one per state an auditor must tell apart (2 is the CLI's usage error). */
export const VerifyExitCode = {
  /** intact and closed: completed, or aborted with its reason */
  Closed: 0,
  /** a real break in the chain */
  Damaged: 1,
  /** intact so far, not finished */
  Open: 3,
  /** not a journal, or the file cannot be read */
  NotAJournal: 4,
} as const;

const EXIT_BY_STATE: Record<JournalState, number> = {
  completed: VerifyExitCode.Closed,
  aborted: VerifyExitCode.Closed,
  open: VerifyExitCode.Open,
  damaged: VerifyExitCode.Damaged,
  'not-a-journal': VerifyExitCode.NotAJournal,
};

/**
 * `custodian verify <journal>`: says which state the journal is in, prints the chain head a witness compares with
 * the printed transcript (for an open or damaged journal, the head of the events that verify), and returns the
 * exit code for that state.
 */
export function runVerifyCommand(path: string, out: (line: string) => void): number {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(path));
  } catch (error) {
    out(`NOT A JOURNAL: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
    return VerifyExitCode.NotAJournal;
  }
  const report = journalStateOf(bytes);
  out(report.summary);
  if (report.state === 'damaged') {
    out(`First bad event: ${report.firstBadSeq}`);
    if (report.count > 0) out(`Events 1 to ${report.count} verify; their chain head is ${report.head}`);
    else out('No event verifies.');
  }
  if (report.state !== 'damaged' && report.count > 0) {
    out(`Chain head (hex):   ${report.head}`);
    for (const line of groupHex(report.head).split('\n')) out(`                    ${line}`);
    const words = toWords(hexToBytes(report.head));
    out(`Chain head (words): ${words.slice(0, 12).join(' ')}`);
    out(`                    ${words.slice(12).join(' ')}`);
  }
  return EXIT_BY_STATE[report.state];
}
