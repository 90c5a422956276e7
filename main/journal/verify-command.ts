import { groupHex } from '../fingerprint';
import { readFileSync } from 'node:fs';
import { verifyJournalBytes, type VerifyOptions } from './verify';

/**
 * `custodian verify <journal>`: prints what a witness needs to compare with the printed transcript and
 * returns the exit code (0 verified, 1 anything else). A journal that was never closed fails unless
 * `requireClosed: false` is given, because a missing ending cannot be told apart from a removed one.
 */
export function runVerifyCommand(path: string, out: (line: string) => void, options: VerifyOptions = { requireClosed: true }): number {
  let result;
  try {
    result = verifyJournalBytes(new Uint8Array(readFileSync(path)), options);
  } catch (error) {
    out(`NOT VERIFIED: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
    return 1;
  }
  if (!result.ok) {
    out(`NOT VERIFIED (${result.kind}): ${result.message}`);
    out(`First bad event: ${result.firstBadSeq}`);
    if (result.tornTail && result.head) {
      out(`Events 1 to ${result.count} verify; their chain head is ${result.head}`);
    }
    return 1;
  }
  out(`VERIFIED: ${result.count} events, chain intact${result.closed ? ', journal closed' : ' (journal not closed)'}.`);
  out(`Chain head (hex):   ${result.head}`);
  for (const line of groupHex(result.head).split('\n')) out(`                    ${line}`);
  out(`Chain head (words): ${result.headWords.slice(0, 12).join(' ')}`);
  out(`                    ${result.headWords.slice(12).join(' ')}`);
  return 0;
}
