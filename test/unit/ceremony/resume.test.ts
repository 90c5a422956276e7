import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ActionRegistry, Ceremony, CeremonyErrorCode, JOURNAL_FILE, runScript } from '../../../main/ceremony';
import { oneActionScript, useTempDir, readJournal } from './fixtures';

const tmp = useTempDir();

const events = () => readJournal(tmp.dir);

async function checkIn(ceremony: Ceremony) {
  await ceremony.checkIn({ participantId: 'administrator', name: 'Ada Admin', identityCheck: 'passport', checkedBy: 'witness-1' });
  await ceremony.checkIn({ participantId: 'witness-1', name: 'Wendy Witness', identityCheck: 'passport', checkedBy: 'administrator' });
}

/** Runs the current step, confirming it first when it asks for the administrator's or the witness's confirmation. */
async function step(ceremony: Ceremony, id: string) {
  const confirm = ceremony.view().current?.confirm;
  if (confirm && !confirm.met) await ceremony.confirm(id, confirm.eligible.slice(0, 1));
  return ceremony.runCurrentStep(id);
}

/** A login step (a stand-in for pkcs11.login: it holds a "session" in memory), then two steps that act in it. */
const sessionScript = `metadata: { id: sessions, title: Sessions }
roles:
  administrator: {}
  witnesses: { count: 1 }
devices:
  - { id: hsm, type: pkcs11, module: default, token: { label: T } }
steps:
  - id: login
    kind: action
    title: Log in
    action: pkcs11.login
    device: hsm
    params: { user: USER }
    inputs:
      from: administrator
      fields:
        - { name: pin, label: User PIN, type: text, secret: true }
  - { id: use-1, kind: action, title: Use it, action: test.use, device: hsm }
  - { id: use-2, kind: action, title: Use it again, action: test.use, device: hsm }
  - { id: logout, kind: action, title: Log out, action: pkcs11.logout, device: hsm, params: { user: USER } }
  - { id: bye, kind: announce, title: Bye, text: Bye }
`;

function sessionActions() {
  const held = { session: false, pinsSeen: [] as string[] };
  const actions = new ActionRegistry()
    .register('pkcs11.login', {
      async run(_ctx, _params, inputs) {
        const pin = new TextDecoder().decode(inputs.pin as Uint8Array);
        held.pinsSeen.push(pin);
        if (pin !== '123456') throw Object.assign(new Error('Wrong PIN'), { code: 'PinIncorrect' });
        held.session = true;
        return { publicResult: { loggedIn: true } };
      },
    })
    .register('test.use', {
      async run() {
        if (!held.session) throw new Error('There is no logged-in session');
        return { publicResult: { used: true } };
      },
    })
    .register('pkcs11.logout', {
      async run() {
        held.session = false;
        return { publicResult: { loggedOut: true } };
      },
    });
  return { held, actions };
}

describe('resume from anywhere', () => {
  it('a restart after the login asks the same participant to log in again before the next step, by name', async () => {
    const first = sessionActions();
    const ceremony = await Ceremony.create(sessionScript, {}, tmp.dir, { actions: first.actions });
    await checkIn(ceremony);
    await ceremony.provideInput('login', 'administrator', { pin: '123456' });
    await ceremony.runCurrentStep('login');
    await ceremony.runCurrentStep('use-1');
    await ceremony.release(); // the process stops; its session goes with it

    const second = sessionActions();
    const reopened = await Ceremony.open(tmp.dir, { actions: second.actions });
    const current = reopened.view().current!;
    expect(current.id).toBe('use-2');
    expect(current.relogin).toEqual({ participantId: 'administrator', name: 'Ada Admin', message: 'Custodian restarted; Ada Admin types the user PIN again.' });
    expect(current.canRun).toBe(false);
    await expect(reopened.runCurrentStep('use-2')).rejects.toMatchObject({ code: CeremonyErrorCode.ReloginNeeded });

    // a wrong PIN is refused as such and journaled; the right one makes the login again
    await expect(reopened.provideInput('use-2', 'administrator', { pin: '000000' })).rejects.toMatchObject({ code: 'PinIncorrect' });
    expect(reopened.view().current!.relogin).toMatchObject({ participantId: 'administrator', name: 'Ada Admin' });
    await reopened.provideInput('use-2', 'administrator', { pin: '123456' });
    expect(reopened.view().current!.relogin).toBeUndefined();
    await reopened.runCurrentStep('use-2');
    expect(second.held.pinsSeen).toEqual(['000000', '123456']);
    await reopened.runCurrentStep('logout');
    await step(reopened, 'bye');
    expect(reopened.view().status).toBe('completed');
    const types = events().map((e) => e.type);
    expect(types).toContain('step.relogin-failed');
    expect(types).toContain('step.relogin');
    expect(JSON.stringify(events())).not.toContain('123456');
  });

  it('the CLI runner makes the lost login again from the answers file and finishes', async () => {
    const answers = `rehearsal: true
checkIns:
  - { participant: administrator, name: Ada Admin, identityCheck: passport, checkedBy: witness-1 }
  - { participant: witness-1, name: Wendy Witness, identityCheck: passport, checkedBy: administrator }
steps:
  login: { input: { by: administrator, values: { pin: "123456" } } }
  bye: { confirmations: [administrator] }
`;
    const first = sessionActions();
    const ceremony = await Ceremony.create(sessionScript, {}, tmp.dir, { actions: first.actions, rehearsal: true });
    await checkIn(ceremony);
    await ceremony.provideInput('login', 'administrator', { pin: '123456' });
    await ceremony.runCurrentStep('login');
    await ceremony.release();
    const result = await runScript(sessionScript, answers, { dir: tmp.dir, rehearsal: true, actions: sessionActions().actions });
    expect(result.status).toBe('completed');
  });

  it('after a step that needs no login, nothing asks for one; after the logout, neither', async () => {
    const first = sessionActions();
    const ceremony = await Ceremony.create(sessionScript, {}, tmp.dir, { actions: first.actions });
    await checkIn(ceremony);
    await ceremony.provideInput('login', 'administrator', { pin: '123456' });
    for (const id of ['login', 'use-1', 'use-2', 'logout']) await step(ceremony, id);
    await ceremony.release();
    const reopened = await Ceremony.open(tmp.dir, { actions: sessionActions().actions });
    expect(reopened.view().current).toMatchObject({ id: 'bye' });
    expect(reopened.view().current!.blockers.join(' ')).not.toMatch(/restarted/);
    expect(reopened.view().current!.relogin).toBeUndefined();
    await reopened.release();
  });

  it('a closed journal reopens read-only: the run again reports the outcome and adds nothing', async () => {
    const actions = new ActionRegistry().register('test.ok', { run: async () => ({ publicResult: { ok: true } }) });
    const ceremony = await Ceremony.create(oneActionScript('test.ok'), {}, tmp.dir, { actions });
    await checkIn(ceremony);
    for (const id of ['hello', 'act', 'bye']) await step(ceremony, id);
    const before = readFileSync(join(tmp.dir, JOURNAL_FILE));
    const reopened = await Ceremony.open(tmp.dir, { actions });
    expect(reopened.view().status).toBe('completed');
    await expect(reopened.runCurrentStep()).rejects.toMatchObject({ code: CeremonyErrorCode.Finished });
    const answers = `checkIns:
  - { participant: administrator, name: Ada Admin, identityCheck: passport, checkedBy: witness-1 }
  - { participant: witness-1, name: Wendy Witness, identityCheck: passport, checkedBy: administrator }
`;
    const rerun = await runScript(oneActionScript('test.ok'), answers, { dir: tmp.dir, rehearsal: true, actions });
    expect(rerun.status).toBe('completed');
    expect(readFileSync(join(tmp.dir, JOURNAL_FILE)).equals(before)).toBe(true);
  });

  it('an aborted ceremony opens, with its reason, and can be printed from (not "damaged")', async () => {
    const actions = new ActionRegistry().register('test.ok', { run: async () => ({ publicResult: { ok: true } }) });
    const ceremony = await Ceremony.create(oneActionScript('test.ok'), {}, tmp.dir, { actions });
    await checkIn(ceremony);
    await ceremony.abort('The witness had to leave');
    const reopened = await Ceremony.open(tmp.dir, { actions });
    expect(reopened.view()).toMatchObject({ status: 'aborted', abortReason: 'The witness had to leave' });
  });

  it('killed between ceremony.completed and journal.closed: reopening closes the journal and adds nothing else', async () => {
    const actions = new ActionRegistry().register('test.ok', { run: async () => ({ publicResult: { ok: true } }) });
    const ceremony = await Ceremony.create(oneActionScript('test.ok'), {}, tmp.dir, { actions });
    await checkIn(ceremony);
    for (const id of ['hello', 'act', 'bye']) await step(ceremony, id);
    const lines = readFileSync(join(tmp.dir, JOURNAL_FILE), 'utf8').trimEnd().split('\n');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(tmp.dir, JOURNAL_FILE), `${lines.slice(0, -1).join('\n')}\n`); // as if killed before the close
    const reopened = await Ceremony.open(tmp.dir, { actions });
    expect(reopened.view().status).toBe('completed');
    expect(
      events()
        .map((e) => e.type)
        .slice(-2),
    ).toEqual(['ceremony.completed', 'journal.closed']);
  });
});

describe('idempotent inputs', () => {
  const inputScript = `metadata: { id: inputs, title: Inputs }
roles:
  administrator: {}
  witnesses: { count: 1 }
steps:
  - id: name-it
    kind: input
    title: Name it
    from: administrator
    fields:
      - { name: label, label: Label, type: text }
  - id: secret
    kind: input
    title: Secret
    from: administrator
    fields:
      - { name: phrase, label: Phrase, type: text, secret: true }
      - { name: note, label: Note, type: text, optional: true }
`;

  it('the same input twice (a double click) is one event; a different one is refused as already entered', async () => {
    const ceremony = await Ceremony.create(inputScript, {}, tmp.dir);
    await checkIn(ceremony);
    await Promise.all([
      ceremony.provideInput('name-it', 'administrator', { label: 'root' }),
      ceremony.provideInput('name-it', 'administrator', { label: 'root' }),
    ]);
    for (let i = 0; i < 20; i++) await ceremony.provideInput('name-it', 'administrator', { label: 'root' });
    await expect(ceremony.provideInput('name-it', 'administrator', { label: 'other' })).rejects.toMatchObject({
      code: CeremonyErrorCode.InputAlreadyProvided,
      message: expect.stringContaining('already entered'),
    });
    await ceremony.runCurrentStep('name-it');
    await ceremony.provideInput('secret', 'administrator', { phrase: 'p1' });
    await ceremony.provideInput('secret', 'administrator', { phrase: 'p1' });
    await expect(ceremony.provideInput('secret', 'administrator', { phrase: 'p2' })).rejects.toMatchObject({ code: CeremonyErrorCode.InputAlreadyProvided });
    expect(events().filter((e) => e.type === 'step.input-provided')).toHaveLength(2);
  });

  it('a secret typed before a restart is typed again after it (the box comes back), once', async () => {
    const ceremony = await Ceremony.create(inputScript, {}, tmp.dir);
    await checkIn(ceremony);
    await ceremony.provideInput('name-it', 'administrator', { label: 'root' });
    await ceremony.runCurrentStep('name-it');
    await ceremony.provideInput('secret', 'administrator', { phrase: 'p1' });
    await ceremony.release();
    const reopened = await Ceremony.open(tmp.dir);
    expect(reopened.view().current!.inputs!.provided).toBe(false);
    await reopened.provideInput('secret', 'administrator', { phrase: 'p1' });
    await reopened.provideInput('secret', 'administrator', { phrase: 'p1' });
    await reopened.runCurrentStep('secret');
    expect(events().filter((e) => e.type === 'step.input-provided')).toHaveLength(3);
  });
});

describe('actions that cannot be retried', () => {
  it('a not-retryable action interrupted by a restart fails with its instruction, retryable false, and retry is refused', async () => {
    let runs = 0;
    const actions = new ActionRegistry().register('test.once', {
      notRetryable: 'Abort, and ask the Security Officer to remove the key.',
      run: async () => {
        runs++;
        return new Promise(() => undefined); // the process is "killed" while it runs
      },
    });
    const ceremony = await Ceremony.create(oneActionScript('test.once'), {}, tmp.dir, { actions });
    await checkIn(ceremony);
    await step(ceremony, 'hello');
    void ceremony.runCurrentStep('act');
    for (let i = 0; i < 200 && !events().some((e) => e.type === 'step.started' && e.data.stepId === 'act'); i++) await new Promise((r) => setTimeout(r, 5));
    const reopened = await Ceremony.open(tmp.dir, { actions });
    const view = await reopened.runCurrentStep('act');
    expect(runs).toBe(1);
    expect(view.current!.failure).toEqual({
      code: CeremonyErrorCode.NotRetryable,
      message: 'Abort, and ask the Security Officer to remove the key.',
      retryable: false,
    });
    await expect(reopened.retry('act', 'try again')).rejects.toMatchObject({ code: CeremonyErrorCode.StepNotRetryable });
    await reopened.abort('The key-encryption step cannot be repeated');
    expect(reopened.view().status).toBe('aborted');
  });

  it('an ordinary failure stays retryable', async () => {
    let runs = 0;
    const actions = new ActionRegistry().register('test.flaky', {
      run: async () => {
        if (++runs === 1) throw new Error('token removed');
        return { publicResult: { ok: true } };
      },
    });
    const ceremony = await Ceremony.create(oneActionScript('test.flaky'), {}, tmp.dir, { actions });
    await checkIn(ceremony);
    await step(ceremony, 'hello');
    const failed = await ceremony.runCurrentStep('act');
    expect(failed.current!.failure).toMatchObject({ retryable: true });
    await ceremony.retry('act', 'token back in');
    expect((await ceremony.runCurrentStep('act')).current!.id).toBe('bye');
  });
});
