import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyJournalFile } from '../../../main/journal';
import { makeShareSet } from '../../../main/shares';
import type { AppContext } from '../../../main/ipc/app-context';
import type { Pkcs11Client } from '../../../main/devices/pkcs11-client';
import { initialiseToken, rebuild, type InitialisedToken } from './fixture';
import { createCeremony, drive, filesContaining, startAppContext as makeContext, resultOf, ceremonyServices as servicesOf } from '../../fixtures/harness';
import { reinsertToken, removeToken, reportingFlags, tokenFolder, tokenStoreOf, userPinWorks } from './tokens';

function resetParameters(token: InitialisedToken, tokenLabel = token.label) {
  return { practice: false, tokenLabel, shareSetId: token.setId, checkValue: token.checkValue, custodians: 3, threshold: 2 };
}

async function wrongUserLogins(pkcs11: Pkcs11Client, module: string, label: string, tries: number) {
  const { sessionKey } = await pkcs11.openSession(module, { label }, true);
  const codes: string[] = [];
  for (let i = 0; i < tries; i++)
    await pkcs11.login(sessionKey, 'USER', new TextEncoder().encode(`wrong-${i}-pin`)).catch((e: { code: string }) => codes.push(e.code));
  const status = await pkcs11.pinStatus(sessionKey);
  await pkcs11.closeSession(sessionKey);
  return { codes, status };
}

const notes = (dir: string) =>
  readFileSync(`${dir}/journal.jsonl`, 'utf8')
    .split('\n')
    .filter((l) => l.includes('"action.note"'))
    .map((l) => JSON.parse(l).data.message as string);

describe('user-pin-reset: M of N custodians rebuild the SO-PIN to reset the user PIN', () => {
  let context: AppContext;
  let dataDir: string;
  let token: InitialisedToken;
  let soPin: string;
  let conf: string;

  beforeAll(async () => {
    ({ context, dataDir } = await makeContext('pin-reset'));
    token = await initialiseToken(context, dataDir, 'Reset Me', 3, 2, '24681357');
    soPin = await rebuild(token, [token.shares[1], token.shares[2]]);
    conf = context.rehearsal!.softhsmConf;
  }, 120_000);
  afterAll(async () => {
    await context?.close();
  });

  it('after wrong user PINs (SoftHSM2 sets count-low and never locks), custodians 1 and 3 reset it; the new PIN works and the old does not', async () => {
    const wrong = await wrongUserLogins(context.pkcs11, context.defaultModule()!, token.label, 3);
    expect(wrong.codes).toEqual(['PinIncorrect', 'PinIncorrect', 'PinIncorrect']);
    expect(wrong.status.user).toMatchObject({ countLow: true, locked: false, finalTry: false });

    const { ceremony, answers } = await createCeremony(context, dataDir, 'user-pin-reset', resetParameters(token), { extraCustodians: [3] });
    const { view } = await drive(ceremony, answers, {
      inputs: {
        'share-1': { by: 'custodian-1', values: { share: token.shares[1] } },
        'share-2': { by: 'custodian-3', values: { share: token.shares[3] } },
        'set-user-pin': { values: { newPin: '86420864', newPinAgain: '86420864' } },
        'test-login': { values: { pin: '86420864' } },
      },
    });
    expect(view.status).toBe('completed');
    expect(resultOf(view, 'token-status')).toMatchObject({ userPinCounters: { countLow: true, locked: false } });
    expect(resultOf(view, 'rebuild')).toMatchObject({ shareIndexes: [1, 3], checkValueMatches: true });
    expect(await userPinWorks(conf, token.label, '86420864')).toBe(true);
    expect(await userPinWorks(conf, token.label, token.userPin)).toBe(false);
    expect((await verifyJournalFile(`${ceremony.dir}/journal.jsonl`)).ok).toBe(true);
    expect(context.vault.size(ceremony.id)).toBe(0);
    const hits = filesContaining(dataDir, [
      soPin,
      '86420864',
      token.userPin,
      ...Object.values(token.shares),
      ...Object.values(token.shares).map((s) => s.replace(/\s+/g, '')),
    ]);
    expect(hits.filter((h) => !/share-card-.*\.pdf$/.test(h.file))).toEqual([]);
    token.userPin = '86420864';
  }, 60_000);

  it('refuses a share of another set, a mistyped share and a duplicated share, each as it is entered, and goes on with good ones', async () => {
    const { ceremony, answers } = await createCeremony(context, dataDir, 'user-pin-reset', resetParameters(token));
    const other = await makeShareSet(new Uint8Array(randomBytes(20)), { entropyBits: 128, n: 3, m: 2 });
    const good = token.shares[1];
    const lastGroup = good.trimEnd().length - 2;
    const mistyped = good.slice(0, lastGroup) + (good[lastGroup] === 'q' ? 'p' : 'q') + good.slice(lastGroup + 1);
    let r = await drive(ceremony, answers, { inputs: { 'share-1': { values: { share: other.shares[0].grouped } } } });
    expect(r.view.current?.failure?.code).toBe('SetMismatch');
    await ceremony.retry('share-1', 'card from another set');
    r = await drive(ceremony, answers, { inputs: { 'share-1': { values: { share: mistyped } } } });
    // a typo is an expected mistake: counted, no exception, the custodian types again without a written reason
    expect(r.view.current?.rejection).toMatchObject({ code: 'ChecksumError', count: 1 });
    expect(r.view.current?.status).toBe('pending');
    r = await drive(ceremony, answers, { inputs: { 'share-1': { values: { share: good } }, 'share-2': { values: { share: good } } } });
    expect(r.view.current?.id).toBe('share-2');
    expect(r.view.current?.failure?.code).toBe('DuplicateShare');
    await ceremony.retry('share-2', 'the same card twice');
    r = await drive(ceremony, answers, { inputs: { 'share-2': { values: { share: token.shares[2] } } }, stopBefore: 'so-login' });
    expect(resultOf(r.view, 'rebuild')).toMatchObject({ shareIndexes: [1, 2], checkValueMatches: true });
    const journal = readFileSync(`${ceremony.dir}/journal.jsonl`, 'utf8');
    expect(journal).not.toContain(good.replace(/\s+/g, '').slice(8, 30));
    await ceremony.abort('test over');
    context.vault.dropCeremony(ceremony.id);
  }, 60_000);

  it('a rebuilt SO-PIN the token rejects: the SO counters are shown and the step says what it means', async () => {
    // the shares are right (their check value matches) but belong to another token: the rehearsal token
    const { ceremony, answers } = await createCeremony(context, dataDir, 'user-pin-reset', resetParameters(token, context.rehearsal!.tokenLabel));
    const r = await drive(ceremony, answers, {
      inputs: { 'share-1': { values: { share: token.shares[2] } }, 'share-2': { values: { share: token.shares[3] } } },
    });
    expect(r.view.current?.id).toBe('so-login');
    expect(r.view.current?.failure?.code).toBe('SoPinRejected');
    expect(r.view.current?.failure?.message).toMatch(/another set|re-initialised/);
    expect(r.view.current?.failure?.message).toMatch(/SO-PIN counter now/);
    expect(notes(ceremony.dir)).toContain('C_Login as Security Officer refused');
    await ceremony.abort('the shares belong to another token');
    context.vault.dropCeremony(ceremony.id);
  }, 60_000);

  it('stops before the final SO-PIN try, and before any login when the SO-PIN is locked (flags as a real HSM reports them)', async () => {
    for (const [flags, code] of [
      [{ finalTry: true, countLow: true }, 'SoPinFinalTry'],
      [{ locked: true }, 'SoPinLocked'],
    ] as const) {
      const services = { ...servicesOf(context), pkcs11: reportingFlags(context.pkcs11, token.label, { so: flags }) };
      const { ceremony, answers } = await createCeremony(context, dataDir, 'user-pin-reset', resetParameters(token), { services });
      const r = await drive(ceremony, answers, {
        inputs: { 'share-1': { values: { share: token.shares[1] } }, 'share-2': { values: { share: token.shares[2] } } },
      });
      expect(r.view.current?.failure?.code).toBe(code);
      expect(notes(ceremony.dir).some((n) => n.startsWith('C_Login'))).toBe(false);
      await ceremony.abort('test over');
      context.vault.dropCeremony(ceremony.id);
    }
    const { sessionKey } = await context.pkcs11.openSession(context.defaultModule()!, { label: token.label }, true);
    expect((await context.pkcs11.pinStatus(sessionKey)).so.countLow).toBe(false);
    await context.pkcs11.closeSession(sessionKey);
  }, 60_000);

  it('token removed mid-reset: the journal shows which calls ran, and the ceremony resumes after reinsertion', async () => {
    const { ceremony, answers } = await createCeremony(context, dataDir, 'user-pin-reset', resetParameters(token));
    const shares = { 'share-1': { values: { share: token.shares[3] } }, 'share-2': { values: { share: token.shares[1] } } };
    await drive(ceremony, answers, { inputs: shares, stopBefore: 'set-user-pin' });
    const away = await removeToken(context, tokenFolder(tokenStoreOf(context), token.serial));
    let r = await drive(ceremony, answers, { inputs: { 'set-user-pin': { values: { newPin: '75319753', newPinAgain: '75319753' } } } });
    expect(r.view.current?.id).toBe('set-user-pin');
    expect(r.view.current?.failure?.code).toBe('TokenAbsent');
    expect(notes(ceremony.dir).filter((n) => n.startsWith('C_InitPIN'))).toEqual([]);
    await reinsertToken(context, away);
    await ceremony.retry('set-user-pin', 'the token was put back');
    r = await drive(ceremony, answers, {
      inputs: { 'set-user-pin': { values: { newPin: '75319753', newPinAgain: '75319753' } }, 'test-login': { values: { pin: '75319753' } } },
    });
    expect(r.view.status).toBe('completed');
    const calls = notes(ceremony.dir);
    expect(calls.filter((n) => n.startsWith('C_Login as Security Officer on token'))).toHaveLength(2);
    expect(calls.filter((n) => n.startsWith('C_InitPIN done'))).toHaveLength(1);
    expect(await userPinWorks(conf, token.label, '75319753')).toBe(true);
  }, 90_000);
});
