import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { answersExample, Ceremony, CeremonyErrorCode, JOURNAL_FILE, listTemplates, parseAnswers, runScript, STEP_EVENT_TYPES } from '../../../main/ceremony';
import { fromWords } from '../../../main/fingerprint';
import { verifyJournalFile } from '../../../main/journal';
import { checkInEveryone, demo, useTempDir, readJournal } from './fixtures';

const tmp = useTempDir();

const stepEventTypes = (d: string) =>
  readJournal(d)
    .filter((e) => STEP_EVENT_TYPES.has(e.type))
    .map((e) => `${e.type} ${e.data.stepId}`);

describe('non-interactive runner', () => {
  it('runs the demo template from its answers file to a closed, verifying journal', async () => {
    const result = await runScript(demo(), answersExample('dry-run-demo')!, { dir: tmp.dir, rehearsal: true });
    expect(result).toMatchObject({ status: 'completed' });
    const verified = await verifyJournalFile(join(tmp.dir, JOURNAL_FILE), { requireClosed: true });
    expect(verified.ok && verified.head).toBe(result.head);
    expect(Buffer.from(fromWords(result.headWords)).toString('hex')).toBe(result.head);
    expect(listTemplates().map((t) => t.name)).toContain('dry-run-demo');
  });

  it('refuses an answers file with secret values unless rehearsal is on', async () => {
    await expect(runScript(demo(), answersExample('dry-run-demo')!, { dir: tmp.dir, rehearsal: false })).rejects.toMatchObject({
      code: CeremonyErrorCode.SecretsNeedRehearsal,
    });
    const noSecrets = answersExample('dry-run-demo')!.replace(/rehearsalPin: ["']123456["']/, 'unknownField: 1');
    expect(() => parseAnswers(noSecrets, demo().script, { rehearsal: true })).toThrow(/no input field "unknownField"/);
  });

  it('reports an unknown field in the answers file with its line', () => {
    const text = answersExample('dry-run-demo')!.replace('  welcome:\n    confirmations', '  welcome:\n    confirmation');
    const line = text.split('\n').findIndex((l) => l.includes('confirmation:')) + 1;
    expect(() => parseAnswers(text, demo().script, { rehearsal: true })).toThrow(new RegExp(`line ${line}: steps.welcome.confirmation: unknown field`));
  });

  it('stops with a failed status when an answer is missing, and says which step', async () => {
    const text = answersExample('dry-run-demo')!.replace('  show-roll:\n    confirmations: [witness-1]\n', '');
    const result = await runScript(demo(), text, { dir: tmp.dir, rehearsal: true });
    expect(result).toMatchObject({ status: 'failed', failedStep: 'show-roll', reason: { code: CeremonyErrorCode.QuorumNotMet } });
  });

  it('produces the same step events as a UI driving the engine command by command', async () => {
    await runScript(demo(), answersExample('dry-run-demo')!, { dir: join(tmp.dir, 'cli'), rehearsal: true });
    const ui = await Ceremony.create(demo(), {}, join(tmp.dir, 'ui'));
    await checkInEveryone(ui);
    // what the screens send, one small request at a time
    for (;;) {
      const current = ui.view().current;
      if (!current) break;
      if (current.inputs && !current.inputs.provided) {
        const values: Record<string, string> = current.id === 'enter-phrase' ? { phrase: 'typed on screen' } : { rehearsalPin: '0000' };
        await ui.provideInput(
          current.id,
          current.inputs.eligible.find((p) => p === 'custodian-1')!,
          values,
        );
      }
      // each person in the room presses "I confirm" while their role is still wanted
      for (const id of ui.view().current?.confirm?.eligible ?? []) {
        const missing = ui.view().current?.confirm?.missing.join(' ') ?? '';
        if (missing.includes(id.replace(/-\d+$/, ''))) await ui.confirm(current.id, id);
      }
      const after = await ui.runCurrentStep(current.id);
      if (after.current?.kind === 'reveal' && after.current.status === 'running') {
        await ui.takeReveal(current.id, after.current.reveal!.to);
        await ui.acknowledgeReveal(current.id, after.current.reveal!.to);
      }
    }
    expect(ui.view().status).toBe('completed');
    expect(stepEventTypes(join(tmp.dir, 'ui'))).toEqual(stepEventTypes(join(tmp.dir, 'cli')));
  });
});
