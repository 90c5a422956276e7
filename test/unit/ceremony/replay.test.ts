import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ActionRegistry, Ceremony, CeremonyErrorCode, inspectCeremony, JOURNAL_FILE } from '../../../main/ceremony';
import { checkInEveryone, demoCeremony, oneActionScript, useTempDir } from './fixtures';

const tmp = useTempDir();

describe('rebuilding a ceremony from its journal', () => {
  it('reopens at the step after the last completed one, with participants and confirmations intact', async () => {
    const first = await demoCeremony(tmp.dir);
    await checkInEveryone(first);
    await first.confirm('welcome', 'administrator');
    await first.runCurrentStep('welcome');
    await first.confirm('roll-dice', 'custodian-1');
    const before = first.view();
    await first.release();

    const reopened = await Ceremony.open(tmp.dir);
    const after = reopened.view();
    expect(after.current).toMatchObject({ id: 'roll-dice', confirmedBy: ['custodian-1'] });
    expect(after.participants).toEqual(before.participants);
    expect(after.steps[0]).toEqual(before.steps[0]);
    await reopened.confirm('roll-dice', 'custodian-2');
    await reopened.runCurrentStep('roll-dice');
    expect(reopened.view().steps[1].status).toBe('completed');
    await reopened.release();
  });

  it('marks a step that started and never finished as interrupted, and calls checkEffect before running it again', async () => {
    let effectChecked = 0;
    let hang: () => void = () => undefined;
    let runs = 0;
    const until = async (condition: () => boolean) => {
      for (let i = 0; i < 500 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
    };
    const actions = new ActionRegistry().register('test.slow', {
      run: () =>
        new Promise((resolve) => {
          runs++;
          hang = () => resolve({ publicResult: { done: true } });
        }),
      async checkEffect() {
        effectChecked++;
        return { state: 'absent' };
      },
    });
    const first = await Ceremony.create(oneActionScript('test.slow'), {}, tmp.dir, { actions });
    await first.checkIn({ participantId: 'administrator', name: 'Ada', identityCheck: 'passport', checkedBy: 'witness-1' });
    await first.checkIn({ participantId: 'witness-1', name: 'Wendy', identityCheck: 'passport', checkedBy: 'administrator' });
    await first.confirm('hello', 'administrator');
    await first.runCurrentStep('hello');
    void first.runCurrentStep('act'); // "crashes" while the action runs: step.started is on disk, nothing after
    await until(() => runs === 1);

    const inspected = await inspectCeremony(join(tmp.dir, JOURNAL_FILE));
    expect(inspected.interruptedStepId).toBe('act');

    const reopened = await Ceremony.open(tmp.dir, { actions });
    expect(reopened.view().current).toMatchObject({ id: 'act', status: 'interrupted', attempts: 1 });
    expect(reopened.view().exceptions.some((e) => e.type === 'step.interrupted')).toBe(true);
    const runAgain = reopened.runCurrentStep('act');
    await until(() => runs === 2);
    hang();
    const view = await runAgain;
    expect(effectChecked).toBe(1);
    expect(view.steps[1]).toMatchObject({ status: 'completed', attempts: 2 });
    const types = readFileSync(join(tmp.dir, JOURNAL_FILE), 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l).type);
    expect(types).toEqual(expect.arrayContaining(['ceremony.reopened', 'step.interrupted', 'step.effect-checked']));
    await reopened.release();
  });

  it('records torn bytes left by a crash when it reopens, and goes on', async () => {
    const first = await demoCeremony(tmp.dir);
    await checkInEveryone(first);
    await first.release();
    appendFileSync(join(tmp.dir, JOURNAL_FILE), '{"seq":6,"time":"2025-01-0');
    const inspected = await inspectCeremony(join(tmp.dir, JOURNAL_FILE));
    expect(inspected.tornTail).toHaveLength(1);
    const reopened = await Ceremony.open(tmp.dir);
    expect(reopened.view().exceptions.map((e) => e.type)).toContain('journal.tail-recovered');
    await reopened.confirm('welcome', 'administrator');
    await reopened.release();
  });

  it('refuses to reopen a journal whose script was altered', async () => {
    const first = await demoCeremony(tmp.dir);
    await first.release();
    const path = join(tmp.dir, JOURNAL_FILE);
    const text = readFileSync(path, 'utf8');
    const { writeFileSync } = await import('node:fs');
    const altered = text.replace('count: 3', 'count: 1');
    expect(altered).not.toBe(text);
    writeFileSync(path, altered);
    await expect(Ceremony.open(tmp.dir)).rejects.toMatchObject({ code: 'Corrupt' });
  });

  it('refuses to create a second ceremony in the same folder', async () => {
    const first = await demoCeremony(tmp.dir);
    await first.release();
    await expect(demoCeremony(tmp.dir)).rejects.toMatchObject({ code: CeremonyErrorCode.AlreadyExists });
  });
});
