import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ActionRegistry, Ceremony, CeremonyErrorCode, JOURNAL_FILE, runScript } from '../../../main/ceremony';
import { oneActionScript, useTempDir, readJournal } from './fixtures';

const tmp = useTempDir();

const events = () => readJournal(tmp.dir);

const INSTRUCTION = 'Abort, and ask the Security Officer to remove the key.';
const answers = `checkIns:
  - { participant: administrator, name: Ada Admin, identityCheck: passport, checkedBy: witness-1 }
  - { participant: witness-1, name: Wendy Witness, identityCheck: passport, checkedBy: administrator }
steps:
  hello: { confirmations: [administrator] }
`;

/** A ceremony whose not-retryable step "act" was running when the process was killed. */
async function killedDuring(actions: ActionRegistry): Promise<void> {
  const ceremony = await Ceremony.create(oneActionScript('test.once'), {}, tmp.dir, { actions });
  await ceremony.checkIn({ participantId: 'administrator', name: 'Ada Admin', identityCheck: 'passport', checkedBy: 'witness-1' });
  await ceremony.checkIn({ participantId: 'witness-1', name: 'Wendy Witness', identityCheck: 'passport', checkedBy: 'administrator' });
  const confirm = ceremony.view().current?.confirm;
  if (confirm && !confirm.met) await ceremony.confirm('hello', confirm.eligible.slice(0, 1));
  await ceremony.runCurrentStep('hello');
  void ceremony.runCurrentStep('act');
  for (let i = 0; i < 200 && !events().some((e) => e.type === 'step.started' && e.data.stepId === 'act'); i++) await new Promise((r) => setTimeout(r, 5));
}

describe('a run again at a step that cannot run again', () => {
  it('aborts the ceremony with the step instruction as the reason; later runs report the abort and add nothing', async () => {
    let runs = 0;
    const actions = new ActionRegistry().register('test.once', {
      notRetryable: INSTRUCTION,
      run: async () => {
        runs++;
        return new Promise(() => undefined); // the process is "killed" while it runs
      },
    });
    await killedDuring(actions);

    const rerun = await runScript(oneActionScript('test.once'), answers, { dir: tmp.dir, rehearsal: true, actions });
    expect(runs).toBe(1);
    expect(rerun).toMatchObject({ status: 'aborted', failedStep: 'act', reason: { code: CeremonyErrorCode.NotRetryable, message: INSTRUCTION } });
    const journal = events();
    const failed = journal.filter((e) => e.type === 'step.failed');
    expect(failed.map((e) => e.data.retryable)).toEqual([false]);
    const aborted = journal.find((e) => e.type === 'ceremony.aborted');
    expect(aborted?.data).toMatchObject({ atStep: 'act' });
    expect(String(aborted?.data.reason)).toBe(`Step “Act” cannot be run again: ${INSTRUCTION}`);
    expect(journal.at(-1)).toMatchObject({ type: 'journal.closed', data: { outcome: 'aborted' } });

    const before = readFileSync(join(tmp.dir, JOURNAL_FILE));
    const again = await runScript(oneActionScript('test.once'), answers, { dir: tmp.dir, rehearsal: true, actions });
    expect(again.status).toBe('aborted');
    expect(again.reason?.message).toContain(INSTRUCTION);
    expect(readFileSync(join(tmp.dir, JOURNAL_FILE)).equals(before)).toBe(true);
  });

  it('a step that failed and can be retried is left open for the room (not aborted)', async () => {
    const actions = new ActionRegistry().register('test.once', {
      run: async () => {
        throw new Error('token removed');
      },
    });
    const result = await runScript(oneActionScript('test.once'), answers, { dir: tmp.dir, rehearsal: true, actions });
    expect(result, result.reason?.message).toMatchObject({ status: 'failed', failedStep: 'act' });
    expect(events().some((e) => e.type === 'ceremony.aborted')).toBe(false);
    expect(events().at(-1)?.type).not.toBe('journal.closed');
  });
});
