import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ActionRegistry, Ceremony, CeremonyErrorCode, defaultActionRegistry, JOURNAL_FILE } from '../../../main/ceremony';
import { verifyJournalFile } from '../../../main/journal';
import { checkInEveryone, demoCeremony, oneActionScript, useTempDir, readJournal } from './fixtures';

const tmp = useTempDir();

const journalTypes = (d: string) => readJournal(d).map((e) => e.type);
const journalText = (d: string) => readFileSync(join(d, JOURNAL_FILE), 'utf8');

describe('ceremony engine', () => {
  it('refuses to start the first step before everyone has checked in', async () => {
    const ceremony = await demoCeremony(tmp.dir);
    await ceremony.checkIn({ participantId: 'administrator', name: 'Ada', identityCheck: 'passport', checkedBy: 'witness-1' });
    await expect(ceremony.confirm('welcome', 'custodian-1')).rejects.toMatchObject({ code: CeremonyErrorCode.NotCheckedIn });
    await ceremony.confirm('welcome', 'administrator');
    await expect(ceremony.runCurrentStep('welcome')).rejects.toMatchObject({ code: CeremonyErrorCode.CheckInIncomplete });
    expect(ceremony.view().current?.blockers.join(' ')).toMatch(/custodian-1, custodian-2, custodian-3, witness-1/);
    expect(journalTypes(tmp.dir)).not.toContain('step.started');
    await ceremony.release();
  });

  it('refuses a check-in without an identity check or by oneself, and one with the wrong name', async () => {
    const ceremony = await Ceremony.create(
      `metadata: { id: named, title: Named }\nroles:\n  administrator: { name: Ada Lovelace }\n  witnesses: { names: [Wendy] }\nsteps:\n  - { id: hi, kind: announce, title: Hi, text: Hi }\n`,
      {},
      tmp.dir,
    );
    await expect(
      ceremony.checkIn({ participantId: 'administrator', name: 'Mallory', identityCheck: 'passport', checkedBy: 'witness-1' }),
    ).rejects.toMatchObject({ code: CeremonyErrorCode.NameMismatch });
    await expect(ceremony.checkIn({ participantId: 'administrator', name: 'Ada Lovelace', identityCheck: ' ', checkedBy: 'witness-1' })).rejects.toMatchObject({
      code: CeremonyErrorCode.IdentityCheckMissing,
    });
    await expect(
      ceremony.checkIn({ participantId: 'administrator', name: 'Ada Lovelace', identityCheck: 'passport', checkedBy: 'administrator' }),
    ).rejects.toMatchObject({ code: CeremonyErrorCode.IdentityCheckMissing });
    await expect(ceremony.checkIn({ participantId: 'custodian-9', name: 'X', identityCheck: 'passport', checkedBy: 'witness-1' })).rejects.toMatchObject({
      code: CeremonyErrorCode.UnknownParticipant,
    });
    const view = await ceremony.checkIn({ participantId: 'administrator', name: 'ada lovelace', identityCheck: 'passport', checkedBy: 'witness-1' });
    expect(view.participants.find((p) => p.id === 'administrator')).toMatchObject({ checkedIn: true, checkedBy: 'witness-1', identityCheck: 'passport' });
    await ceremony.release();
  });

  it('refuses to run a step until its quorum has confirmed, and refuses confirmations from outside the quorum', async () => {
    const ceremony = await demoCeremony(tmp.dir);
    await checkInEveryone(ceremony);
    await ceremony.confirm('welcome', 'administrator');
    await ceremony.runCurrentStep('welcome');
    await expect(ceremony.confirm('roll-dice', 'witness-1')).rejects.toMatchObject({ code: CeremonyErrorCode.NotInQuorum });
    await ceremony.confirm('roll-dice', 'custodian-1');
    await expect(ceremony.runCurrentStep('roll-dice')).rejects.toMatchObject({ code: CeremonyErrorCode.QuorumNotMet });
    expect(ceremony.view().current?.confirm).toMatchObject({ met: false, confirmedBy: ['custodian-1'], missing: ['1 more custodian'] });
    await ceremony.confirm('roll-dice', 'custodian-1'); // repeating is harmless and not journaled twice
    expect(journalTypes(tmp.dir).filter((t) => t === 'step.confirmed')).toHaveLength(2);
    await ceremony.confirm('roll-dice', 'custodian-2');
    const view = await ceremony.runCurrentStep('roll-dice');
    expect(view.steps[1]).toMatchObject({ status: 'completed', confirmedBy: ['custodian-1', 'custodian-2'] });
    await expect(ceremony.confirm('welcome', 'administrator')).rejects.toMatchObject({ code: CeremonyErrorCode.NotCurrentStep });
    await ceremony.release();
  });

  it('pauses and resumes, refusing work while paused, with both on record', async () => {
    const ceremony = await demoCeremony(tmp.dir);
    await checkInEveryone(ceremony);
    await ceremony.pause('fire alarm', 'administrator');
    expect(ceremony.view().status).toBe('paused');
    await expect(ceremony.confirm('welcome', 'administrator')).rejects.toMatchObject({ code: CeremonyErrorCode.Paused });
    await expect(ceremony.runCurrentStep()).rejects.toMatchObject({ code: CeremonyErrorCode.Paused });
    await ceremony.resume('administrator');
    await ceremony.confirm('welcome', 'administrator');
    await ceremony.runCurrentStep('welcome');
    expect(journalTypes(tmp.dir)).toEqual(expect.arrayContaining(['ceremony.paused', 'ceremony.resumed']));
    expect(journalText(tmp.dir)).toContain('fire alarm');
    expect(
      ceremony
        .view()
        .exceptions.map((e) => e.reason)
        .join(),
    ).toContain('fire alarm');
    await ceremony.release();
  });

  it('records an abort with its reason, closes the journal and refuses everything after', async () => {
    const ceremony = await demoCeremony(tmp.dir);
    await checkInEveryone(ceremony);
    await expect(ceremony.abort('  ')).rejects.toMatchObject({ code: CeremonyErrorCode.ReasonMissing });
    await ceremony.abort('witness had to leave', 'administrator');
    expect(ceremony.view()).toMatchObject({ status: 'aborted', abortReason: 'witness had to leave', current: null });
    await expect(ceremony.confirm('welcome', 'administrator')).rejects.toMatchObject({ code: CeremonyErrorCode.Finished });
    const verified = await verifyJournalFile(join(tmp.dir, JOURNAL_FILE), { requireClosed: true });
    expect(verified.ok).toBe(true);
    expect(journalTypes(tmp.dir).slice(-2)).toEqual(['ceremony.aborted', 'journal.closed']);
  });

  it('records a failed action and its retry, and a retry first asks checkEffect', async () => {
    let runs = 0;
    let effectChecks = 0;
    const actions = new ActionRegistry().register('test.flaky', {
      async run() {
        runs++;
        if (runs === 1) throw Object.assign(new Error('the token was unplugged'), { code: 'DeviceRemoved' });
        return { publicResult: { ok: true, runs } };
      },
      async checkEffect() {
        effectChecks++;
        return { state: 'absent' };
      },
    });
    const ceremony = await Ceremony.create(oneActionScript('test.flaky'), {}, tmp.dir, { actions });
    await ceremony.checkIn({ participantId: 'administrator', name: 'Ada', identityCheck: 'passport', checkedBy: 'witness-1' });
    await ceremony.checkIn({ participantId: 'witness-1', name: 'Wendy', identityCheck: 'passport', checkedBy: 'administrator' });
    await ceremony.confirm('hello', 'administrator');
    await ceremony.runCurrentStep('hello');
    let view = await ceremony.runCurrentStep('act');
    expect(view.current).toMatchObject({ id: 'act', status: 'failed', failure: { code: 'DeviceRemoved', message: 'the token was unplugged' } });
    await expect(ceremony.runCurrentStep('act')).rejects.toMatchObject({ code: CeremonyErrorCode.StepFailed });
    await expect(ceremony.retry('act', '')).rejects.toMatchObject({ code: CeremonyErrorCode.ReasonMissing });
    await ceremony.retry('act', 'token plugged back in', 'administrator');
    view = await ceremony.runCurrentStep('act');
    expect(view.steps[1]).toMatchObject({ status: 'completed', attempts: 2, result: { ok: true, runs: 2 } });
    expect(effectChecks).toBe(1);
    const types = journalTypes(tmp.dir);
    const from = types.indexOf('step.started', types.indexOf('step.completed'));
    expect(types.slice(from, from + 6)).toEqual(['step.started', 'step.failed', 'step.retry', 'step.started', 'step.effect-checked', 'step.completed']);
    expect(view.exceptions.map((e) => e.reason).join('\n')).toMatch(/DeviceRemoved[\s\S]*token plugged back in/);
    await ceremony.release();
  });

  it('shows a running step’s progress in the view while it runs, and never journals it', async () => {
    const seenDuringRun: unknown[] = [];
    const running: { ceremony?: Ceremony } = {};
    const actions = new ActionRegistry().register('test.many-keys', {
      async run(ctx) {
        for (let done = 0; done <= 3; done++) {
          ctx.progress(done, 3, 'keys wrapped');
          seenDuringRun.push(running.ceremony!.view().progress);
        }
        return { publicResult: { wrapped: 3 } };
      },
    });
    const reports: string[] = [];
    const ceremony = await Ceremony.create(oneActionScript('test.many-keys'), {}, tmp.dir, {
      actions,
      onProgress: (p) => reports.push(`${p.done} of ${p.total} ${p.what}`),
    });
    running.ceremony = ceremony;
    await ceremony.checkIn({ participantId: 'administrator', name: 'Ada', identityCheck: 'passport', checkedBy: 'witness-1' });
    await ceremony.checkIn({ participantId: 'witness-1', name: 'Wendy', identityCheck: 'passport', checkedBy: 'administrator' });
    await ceremony.confirm('hello', 'administrator');
    await ceremony.runCurrentStep('hello');
    const view = await ceremony.runCurrentStep('act');
    expect(reports).toEqual(['0 of 3 keys wrapped', '1 of 3 keys wrapped', '2 of 3 keys wrapped', '3 of 3 keys wrapped']);
    expect(seenDuringRun).toEqual([0, 1, 2, 3].map((done) => ({ stepId: 'act', done, total: 3, what: 'keys wrapped' })));
    // once the step is over the view no longer carries it, and the journal never did
    expect(view.progress).toBeUndefined();
    expect(readFileSync(join(tmp.dir, JOURNAL_FILE), 'utf8')).not.toContain('keys wrapped');
    await ceremony.release();
  });

  it('completes a retried step from checkEffect instead of running the action twice', async () => {
    let runs = 0;
    const actions = new ActionRegistry().register('test.make-key', {
      async run() {
        runs++;
        throw Object.assign(new Error('session closed after the key was made'), { code: 'SessionClosed' });
      },
      async checkEffect() {
        return { state: 'present', detail: 'key "root" exists', publicResult: { label: 'root', recovered: true } };
      },
    });
    const ceremony = await Ceremony.create(oneActionScript('test.make-key'), {}, tmp.dir, { actions });
    await ceremony.checkIn({ participantId: 'administrator', name: 'Ada', identityCheck: 'passport', checkedBy: 'witness-1' });
    await ceremony.checkIn({ participantId: 'witness-1', name: 'Wendy', identityCheck: 'passport', checkedBy: 'administrator' });
    await ceremony.confirm('hello', 'administrator');
    await ceremony.runCurrentStep('hello');
    await ceremony.runCurrentStep('act');
    await ceremony.retry('act', 'try again');
    const view = await ceremony.runCurrentStep('act');
    expect(runs).toBe(1);
    expect(view.steps[1]).toMatchObject({ status: 'completed', result: { label: 'root', recovered: true } });
    await ceremony.release();
  });

  it('fails a step whose action result has a secret-looking field, writing nothing secret', async () => {
    const actions = new ActionRegistry().register('test.leaky', {
      async run() {
        return { publicResult: { soPin: '87654321' } };
      },
    });
    const ceremony = await Ceremony.create(oneActionScript('test.leaky'), {}, tmp.dir, { actions });
    await ceremony.checkIn({ participantId: 'administrator', name: 'Ada', identityCheck: 'passport', checkedBy: 'witness-1' });
    await ceremony.checkIn({ participantId: 'witness-1', name: 'Wendy', identityCheck: 'passport', checkedBy: 'administrator' });
    await ceremony.confirm('hello', 'administrator');
    await ceremony.runCurrentStep('hello');
    const view = await ceremony.runCurrentStep('act');
    expect(view.current).toMatchObject({ status: 'failed', failure: { code: 'SecretField' } });
    expect(journalText(tmp.dir)).not.toContain('87654321');
    await ceremony.release();
  });

  it('keeps secret inputs out of the journal, shows a reveal only to its participant, and drops it on acknowledgement', async () => {
    const ceremony = await demoCeremony(tmp.dir);
    await checkInEveryone(ceremony);
    const steps: [string, string[]][] = [
      ['welcome', ['administrator']],
      ['roll-dice', ['custodian-1', 'custodian-2']],
      ['show-roll', ['witness-1']],
    ];
    for (const [id, who] of steps) {
      await ceremony.confirm(id, who);
      await ceremony.runCurrentStep(id);
    }
    await ceremony.provideInput('enter-phrase', 'custodian-1', { phrase: 'hello' });
    await ceremony.runCurrentStep('enter-phrase');
    await ceremony.runCurrentStep('hash-phrase');
    await ceremony.confirm('show-fingerprint', 'witness-1');
    await ceremony.runCurrentStep('show-fingerprint');
    await expect(ceremony.provideInput('make-secret', 'custodian-2', { rehearsalPin: '9182736' })).rejects.toMatchObject({
      code: CeremonyErrorCode.WrongParticipant,
    });
    await ceremony.provideInput('make-secret', 'custodian-1', { rehearsalPin: '9182736' });
    expect(ceremony.secretsHeld).toBe(1);
    await ceremony.confirm('make-secret', ['custodian-1', 'witness-1']);
    await ceremony.runCurrentStep('make-secret');
    expect(ceremony.view().steps.find((s) => s.id === 'make-secret')?.result).toMatchObject({ enteredPinLength: 7 });
    expect(ceremony.secretsHeld).toBe(1); // the PIN is gone; the secret to reveal is held
    await ceremony.runCurrentStep('reveal-secret');
    await expect(ceremony.acknowledgeReveal('reveal-secret', 'custodian-2')).rejects.toMatchObject({ code: CeremonyErrorCode.RevealNotShown });
    await expect(ceremony.takeReveal('reveal-secret', 'custodian-1')).rejects.toMatchObject({ code: CeremonyErrorCode.WrongParticipant });
    const secret = await ceremony.takeReveal('reveal-secret', 'custodian-2');
    expect(secret.value.replace(/ /g, '')).toMatch(/^[0-9a-f]{32}$/);
    await ceremony.acknowledgeReveal('reveal-secret', 'custodian-2');
    expect(ceremony.secretsHeld).toBe(0);
    expect(JSON.stringify(ceremony.view())).not.toContain(secret.value);
    const text = journalText(tmp.dir);
    expect(text).not.toContain('9182736');
    expect(text).not.toContain(secret.value.replace(/ /g, ''));
    expect(text).toContain('"secretFields":[{"name":"rehearsalPin"}]');
    await ceremony.release();
  });

  it('refuses a script that names an action nobody registered', async () => {
    await expect(Ceremony.create(oneActionScript('test.nowhere'), {}, tmp.dir, { actions: defaultActionRegistry })).rejects.toMatchObject({
      code: 'ScriptInvalid',
    });
  });
});
