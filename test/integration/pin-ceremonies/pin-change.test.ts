import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyJournalFile } from '../../../main/journal';
import type { AppContext } from '../../../main/ipc/app-context';
import { initialiseToken, rebuild, soRotationParameters, typedBack, type InitialisedToken } from './fixture';
import { createCeremony, drive, filesContaining, startAppContext as makeContext, resultOf, ceremonyServices as servicesOf } from '../../fixtures/harness';
import { reportingFlags, soPinWorks, userPinWorks } from './tokens';

describe('pin-change: the user PIN changed by its holder, and the SO-PIN rotated to a new share set', () => {
  let context: AppContext;
  let dataDir: string;
  let token: InitialisedToken;
  let conf: string;

  beforeAll(async () => {
    ({ context, dataDir } = await makeContext('pin-change'));
    token = await initialiseToken(context, dataDir, 'Rotate Me', 3, 2, '24681357');
    conf = context.rehearsal!.softhsmConf;
  }, 120_000);
  afterAll(async () => {
    await context?.close();
  });

  it('mode user: counters shown before the login, a wrong current PIN refused with the counter sentence, then C_SetPIN and a test login', async () => {
    const { ceremony, answers } = await createCeremony(context, dataDir, 'pin-change', { mode: 'user', practice: false, tokenLabel: token.label });
    let r = await drive(ceremony, answers, { inputs: { 'change-user-pin': { values: { oldPin: '00000000', newPin: '55667788', newPinAgain: '55667788' } } } });
    expect(resultOf(r.view, 'token-status')).toMatchObject({ userPinCounters: { locked: false } });
    // an expected mistake: counted and journaled, no exception, no retry with a reason; the holder types again
    expect(r.view.current?.rejection).toMatchObject({ code: 'PinIncorrect', count: 1 });
    expect(r.view.current?.rejection?.message).toMatch(/^Wrong PIN/);
    expect(r.view.exceptions).toEqual([]);
    r = await drive(ceremony, answers, { inputs: { 'change-user-pin': { values: { oldPin: token.userPin, newPin: '55667788', newPinAgain: '55667788' } } } });
    expect(r.view.status).toBe('completed');
    expect(resultOf(r.view, 'change-user-pin')).toMatchObject({ userPinChanged: true, userCountersBefore: { countLow: true } });
    expect(await userPinWorks(conf, token.label, '55667788')).toBe(true);
    expect(await userPinWorks(conf, token.label, token.userPin)).toBe(false);
    token.userPin = '55667788';
  }, 60_000);

  it('mode user: refuses a new PIN typed differently twice, or the same as the old one, before anything is sent', async () => {
    const { ceremony, answers } = await createCeremony(context, dataDir, 'pin-change', { mode: 'user', practice: false, tokenLabel: token.label });
    let r = await drive(ceremony, answers, {
      inputs: { 'change-user-pin': { values: { oldPin: token.userPin, newPin: '12344321', newPinAgain: '12344322' } } },
    });
    expect(r.view.current?.failure?.code).toBe('PinEntriesDiffer');
    await ceremony.retry('change-user-pin', 'mistyped');
    r = await drive(ceremony, answers, {
      inputs: { 'change-user-pin': { values: { oldPin: token.userPin, newPin: token.userPin, newPinAgain: token.userPin } } },
    });
    expect(r.view.current?.failure?.code).toBe('PinUnchanged');
    const notes = readFileSync(`${ceremony.dir}/journal.jsonl`, 'utf8')
      .split('\n')
      .filter((l) => l.includes('"action.note"'));
    expect(notes).toEqual([]); // no C_Login, no C_SetPIN: nothing reached the token
    await ceremony.abort('test over');
    expect(await userPinWorks(conf, token.label, token.userPin)).toBe(true);
  }, 60_000);

  it('mode user: a locked user PIN is sent to the reset ceremony before any login (flags as a real HSM reports them)', async () => {
    const services = { ...servicesOf(context), pkcs11: reportingFlags(context.pkcs11, token.label, { user: { locked: true } }) };
    const { ceremony, answers } = await createCeremony(
      context,
      dataDir,
      'pin-change',
      { mode: 'user', practice: false, tokenLabel: token.label },
      { services },
    );
    const r = await drive(ceremony, answers, {
      inputs: { 'change-user-pin': { values: { oldPin: token.userPin, newPin: '12345678', newPinAgain: '12345678' } } },
    });
    expect(r.view.current?.failure?.code).toBe('UserPinLocked');
    expect(r.view.current?.failure?.message).toContain('user-pin-reset');
    expect(readFileSync(`${ceremony.dir}/journal.jsonl`, 'utf8')).not.toContain('"action.note"');
    await ceremony.abort('test over');
  });

  it('mode so-rotation: custodians 1 and 3 rebuild the old SO-PIN, a new one goes to a 3-of-5 set, and the old shares no longer rebuild a working SO-PIN', async () => {
    const oldSoPin = await rebuild(token, [token.shares[1], token.shares[3]]);
    expect(await soPinWorks(conf, token.label, oldSoPin)).toBe(true);
    const parameters = soRotationParameters(token);
    const { ceremony, answers } = await createCeremony(context, dataDir, 'pin-change', parameters);
    const oldShares = {
      'old-share-1': { by: 'custodian-1', values: { share: token.shares[1] } },
      'old-share-2': { by: 'custodian-3', values: { share: token.shares[3] } },
    };
    const first = await drive(ceremony, answers, { inputs: oldShares, stopBefore: 'rehearsal-intro' });
    expect(first.view.current?.id, JSON.stringify(first.view.current?.failure)).toBe('rehearsal-intro');
    const ids = ceremony.view().steps.map((s) => s.id);
    const done = await drive(ceremony, answers, { inputs: typedBack(ids, first.revealed, 'new-') }, first.revealed);
    expect(done.view.status).toBe('completed');
    const newSet = resultOf(done.view, 'split-new') as { setId: string; n: number; m: number; shareSet: InitialisedToken['shareSet'] };
    expect(newSet).toMatchObject({ n: 5, m: 3 });
    expect(resultOf(done.view, 'void-old-set')).toMatchObject({ voidedSetId: token.setId, replacedBySetId: newSet.setId });

    // the old shares still combine (to the old SO-PIN), but the token no longer takes it
    expect(await rebuild(token, [token.shares[2], token.shares[3]])).toBe(oldSoPin);
    expect(await soPinWorks(conf, token.label, oldSoPin)).toBe(false);
    const newShares = [1, 2, 3, 4, 5].map((i) => first.revealed[`new-reveal-${i}`]);
    const newSoPin = await rebuild({ shareSet: newSet.shareSet }, [newShares[4], newShares[1], newShares[2]]);
    expect(newSoPin).not.toBe(oldSoPin);
    expect(await soPinWorks(conf, token.label, newSoPin)).toBe(true);
    expect(await userPinWorks(conf, token.label, token.userPin)).toBe(true);

    expect((await verifyJournalFile(`${ceremony.dir}/journal.jsonl`)).ok).toBe(true);
    expect(context.vault.size(ceremony.id)).toBe(0);
    const secrets = [oldSoPin, newSoPin, token.userPin, ...Object.values(token.shares), ...newShares].flatMap((s) => [s, s.replace(/\s+/g, '')]);
    expect(filesContaining(dataDir, secrets).filter((h) => !/share-card-.*\.pdf$/.test(h.file))).toEqual([]);
  }, 120_000);
});
