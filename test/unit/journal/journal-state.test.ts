import { randomBytes } from 'node:crypto';
import { readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { useTempJournal } from '../../fixtures/temp-journal';
import { Journal, journalStateOf, runVerifyCommand, VerifyExitCode } from '../../../main/journal';

const temp = useTempJournal('journal-state');
let path: string;
beforeEach(() => ({ path } = temp));

const genesis = { scriptSha256: 'cd'.repeat(32), appVersion: '0.1.0-test', devices: [] };

function verify(): { code: number; text: string } {
  const lines: string[] = [];
  const code = runVerifyCommand(path, (l) => lines.push(l));
  return { code, text: lines.join('\n') };
}

describe('journal states an auditor can read', () => {
  it('a completed and closed journal is COMPLETED, exit 0, with its chain head', async () => {
    const journal = await Journal.create(path, genesis);
    await journal.append('ceremony.completed', { steps: 1 });
    const last = await journal.close({ outcome: 'completed' });
    expect(journalStateOf(readFileSync(path))).toMatchObject({ state: 'completed', count: 3, head: last.hash });
    const { code, text } = verify();
    expect(code).toBe(VerifyExitCode.Closed);
    expect(text).toMatch(/^COMPLETED and closed: 3 events/);
    expect(text).toContain(last.hash);
  });

  it('an aborted journal is ABORTED with its reason, intact and closed (exit 0), not damaged', async () => {
    const journal = await Journal.create(path, genesis);
    await journal.append('ceremony.aborted', { reason: 'The witness had to leave', by: 'administrator', atStep: null });
    await journal.close({ outcome: 'aborted' });
    const { code, text } = verify();
    expect(code).toBe(0);
    expect(text).toContain('ABORTED and closed');
    expect(text).toContain('The witness had to leave');
  });

  it('an interrupted but intact journal is OPEN (exit 3), not "removed"', async () => {
    const journal = await Journal.create(path, genesis);
    await journal.append('step.started', { stepId: 'a' });
    await journal.release();
    const { code, text } = verify();
    expect(code).toBe(VerifyExitCode.Open);
    expect(text).toMatch(/^OPEN \(not finished\): 2 events, chain intact so far/);
    expect(text).not.toMatch(/removed|NOT VERIFIED/);
  });

  it('a torn last line is still OPEN, naming the unfinished bytes', async () => {
    const journal = await Journal.create(path, genesis);
    await journal.append('step.started', { stepId: 'a' });
    await journal.release();
    const size = readFileSync(path).length;
    truncateSync(path, size - 17); // cut the last event mid-line
    const report = journalStateOf(readFileSync(path));
    expect(report.state).toBe('open');
    expect(report.count).toBe(1);
    expect(report.tornBytes).toBeGreaterThan(0);
    expect(verify().code).toBe(VerifyExitCode.Open);
  });

  it('a changed event is DAMAGED (exit 1) naming the first bad event', async () => {
    const journal = await Journal.create(path, genesis);
    await journal.append('test.event', { amount: 100 });
    await journal.close();
    writeFileSync(path, readFileSync(path, 'utf8').replace('"amount":100', '"amount":900'));
    const { code, text } = verify();
    expect(code).toBe(VerifyExitCode.Damaged);
    expect(text).toMatch(/DAMAGED \(changed\)/);
    expect(text).toContain('First bad event: 2');
  });

  it.each([
    ['random binary', () => randomBytes(4096)],
    ['an empty file', () => Buffer.alloc(0)],
    ['a text file', () => Buffer.from('hello\nworld\n')],
    ['JSON that is not an event', () => Buffer.from('{"a":1}\n')],
  ])('%s is NOT A JOURNAL (exit 4), never "Events 1 to 0 verify"', (_name, content) => {
    writeFileSync(path, content());
    const { code, text } = verify();
    expect(code).toBe(VerifyExitCode.NotAJournal);
    expect(text).toMatch(/^NOT A JOURNAL/);
    expect(text).not.toContain('Events 1 to 0');
  });

  it('a missing file cannot be read and says so (exit 4)', () => {
    const { code, text } = verify();
    expect(code).toBe(VerifyExitCode.NotAJournal);
    expect(text).toContain('ENOENT');
  });
});
