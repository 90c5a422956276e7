import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ActionRegistry, Ceremony, JOURNAL_FILE } from '../../../main/ceremony';
import { verifyJournalFile } from '../../../main/journal';
import { useTempDir, readJournal } from './fixtures';

const tmp = useTempDir();

const events = readJournal;

const script = `metadata: { id: pin-try, title: PIN try }
roles:
  administrator: {}
  witnesses: { count: 1 }
steps:
  - id: login
    kind: action
    title: Log in
    action: test.login
    inputs:
      from: administrator
      fields:
        - { name: pin, label: PIN, type: text, secret: true }
        - { name: confirmFinalTry, label: Spend the final try, type: boolean, optional: true }
`;

/** A token's PIN check as the PKCS#11 layer reports it: a code, a sentence, and the counters in the details. */
function tokenWithPin(pin: string, tries: number) {
  let left = tries;
  const counters = () => ({ countLow: left < tries, finalTry: left === 1, locked: left === 0, toBeChanged: false });
  const fail = (code: string, message: string, details: Record<string, unknown>) => Object.assign(new Error(message), { code, details });
  return new ActionRegistry().register('test.login', {
    async run(_ctx, _params, inputs) {
      const before = counters();
      if (before.finalTry && inputs.confirmFinalTry !== true) throw fail('PinFinalTryNeedsConfirmation', 'One try left: confirm first.', { before });
      const typed = new TextDecoder().decode(inputs.pin as Uint8Array);
      if (typed !== pin) {
        left -= 1;
        throw fail('PinIncorrect', left === 0 ? 'Wrong PIN — locked.' : 'Wrong PIN.', { before, after: counters() });
      }
      left = tries;
      return { publicResult: { loggedIn: true } };
    },
  });
}

async function ready(actions: ActionRegistry) {
  const ceremony = await Ceremony.create(script, {}, tmp.dir, { actions });
  await ceremony.checkIn({ participantId: 'administrator', name: 'Ada', identityCheck: 'passport', checkedBy: 'witness-1' });
  await ceremony.checkIn({ participantId: 'witness-1', name: 'Wendy', identityCheck: 'passport', checkedBy: 'administrator' });
  return ceremony;
}

describe('expected mistakes are not exceptions', () => {
  it('a wrong PIN is journaled and counted, asks for the PIN again and records no exception', async () => {
    const ceremony = await ready(tokenWithPin('right-pin-7', 3));
    await ceremony.provideInput('login', 'administrator', { pin: 'wrong-pin-1' });
    let view = await ceremony.runCurrentStep('login');
    expect(view.current).toMatchObject({ status: 'pending', rejection: { code: 'PinIncorrect', count: 1, pinCounters: { countLow: true } }, finalTry: false });
    expect(view.current!.inputs!.provided).toBe(false);
    expect(view.exceptions).toEqual([]);
    await ceremony.provideInput('login', 'administrator', { pin: 'wrong-pin-2' });
    view = await ceremony.runCurrentStep('login');
    expect(view.current).toMatchObject({ rejection: { count: 2 }, finalTry: true });
    expect(view.current!.inputs!.fields.find((f) => f.name === 'confirmFinalTry')!.needed).toBe(true);
    await ceremony.provideInput('login', 'administrator', { pin: 'right-pin-7', confirmFinalTry: 'true' });
    view = await ceremony.runCurrentStep('login');
    expect(view.status).toBe('completed');
    const types = events(tmp.dir).map((e) => e.type);
    expect(types.filter((t) => t === 'step.attempt-rejected')).toHaveLength(2);
    expect(types).not.toContain('step.failed');
    expect(readFileSync(join(tmp.dir, JOURNAL_FILE), 'utf8')).not.toMatch(/wrong-pin-1|wrong-pin-2|right-pin-7/);
  });

  it('shows the final-try confirmation only when the token is at its final try, and refuses the try without it', async () => {
    const ceremony = await ready(tokenWithPin('right-pin-7', 2));
    const confirmField = () => ceremony.view().current!.inputs!.fields.find((f) => f.name === 'confirmFinalTry')!;
    expect(confirmField().needed).toBe(false);
    await ceremony.provideInput('login', 'administrator', { pin: 'wrong-pin-1' });
    await ceremony.runCurrentStep('login');
    expect(confirmField().needed).toBe(true);
    await ceremony.provideInput('login', 'administrator', { pin: 'right-pin-7' });
    const view = await ceremony.runCurrentStep('login');
    expect(view.current).toMatchObject({ rejection: { code: 'PinFinalTryNeedsConfirmation', count: 2 }, finalTry: true });
    await ceremony.release();
  });

  it('a wrong PIN that locks the token is a failure on record, not a mistake to type again', async () => {
    const ceremony = await ready(tokenWithPin('right-pin-7', 1));
    await ceremony.provideInput('login', 'administrator', { pin: 'wrong-pin-1', confirmFinalTry: 'true' });
    const view = await ceremony.runCurrentStep('login');
    expect(view.current).toMatchObject({ status: 'failed', failure: { code: 'PinIncorrect' } });
    expect(view.exceptions).toHaveLength(1);
    await ceremony.release();
  });
});

describe('one chain head', () => {
  it('the closing view shows the hash of journal.closed, the one the verifier reports', async () => {
    const ceremony = await ready(tokenWithPin('right-pin-7', 3));
    await ceremony.provideInput('login', 'administrator', { pin: 'right-pin-7' });
    const view = await ceremony.runCurrentStep('login');
    const all = events(tmp.dir);
    expect(all[all.length - 1].type).toBe('journal.closed');
    expect(view.journal).toMatchObject({ head: all[all.length - 1].hash, count: all.length });
    expect(view.journal.words).toHaveLength(24); // the same head in words, as on paper
    const verified = await verifyJournalFile(join(tmp.dir, JOURNAL_FILE));
    expect(verified).toMatchObject({ ok: true, head: view.journal.head });
    const reopened = await Ceremony.open(tmp.dir, { actions: tokenWithPin('right-pin-7', 3) }).catch((e: Error) => e);
    if (reopened instanceof Ceremony) expect(reopened.view().journal.head).toBe(view.journal.head);
  });

  it('an aborted ceremony shows the closing hash too', async () => {
    const ceremony = await ready(tokenWithPin('right-pin-7', 3));
    const view = await ceremony.abort('the witness left', 'administrator');
    const all = events(tmp.dir);
    expect(all[all.length - 1].type).toBe('journal.closed');
    expect(view.journal.head).toBe(all[all.length - 1].hash);
  });
});
