import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyJournalFile } from '../../../main/journal';
import type { AppContext } from '../../../main/ipc/app-context';
import { initialiseToken, rebuild, type InitialisedToken } from './fixture';
import { createCeremony, drive, filesContaining, startAppContext as makeContext, resultOf } from '../../fixtures/harness';
import { soPinWorks, userPinWorks } from './tokens';

describe('token-init: a token initialised with a split SO-PIN', () => {
  let context: AppContext;
  let dataDir: string;
  let token: InitialisedToken;
  let soPin: string;

  beforeAll(async () => {
    ({ context, dataDir } = await makeContext('token-init'));
    token = await initialiseToken(context, dataDir, 'PIN Ceremony A', 3, 2, '24681357');
    soPin = await rebuild(token, [token.shares[1], token.shares[2]]);
  }, 120_000);
  afterAll(async () => {
    await context?.close();
  });

  it('initialises an uninitialised slot whose SO-PIN is what any 2 of the 3 shares rebuild, within the token’s limits', async () => {
    const conf = context.rehearsal!.softhsmConf;
    expect(await soPinWorks(conf, token.label, soPin)).toBe(true);
    expect(await rebuild(token, [token.shares[3], token.shares[1]])).toBe(soPin);
    const journal = readFileSync(`${token.ceremonyDir}/journal.jsonl`, 'utf8');
    const generated = JSON.parse(journal.split('\n').find((l) => l.includes('"stepId":"generate-so-pin"') && l.includes('step.completed'))!).data.result;
    expect(soPin.length).toBe(generated.soPinLength);
    expect(soPin.length).toBeGreaterThanOrEqual(generated.tokenPinLengthLimits.min);
    expect(soPin.length).toBeLessThanOrEqual(generated.tokenPinLengthLimits.max);
    expect(soPin).toMatch(/^[0-9A-Za-z]+$/);
  });

  it('sets the first user PIN typed twice, which OpenSC’s pkcs11-tool accepts', async () => {
    expect(await userPinWorks(context.rehearsal!.softhsmConf, token.label, token.userPin)).toBe(true);
    expect(await userPinWorks(context.rehearsal!.softhsmConf, token.label, '99999999')).toBe(false);
  });

  it('journals the set id, check value and commitments, and verifies; no SO-PIN, user PIN or share is on disk outside the rehearsal cards', async () => {
    expect((await verifyJournalFile(`${token.ceremonyDir}/journal.jsonl`)).ok).toBe(true);
    const journal = readFileSync(`${token.ceremonyDir}/journal.jsonl`, 'utf8');
    expect(journal).toContain(token.setId);
    expect(journal).toContain(token.checkValue.split(' ')[1]);
    const compact = Object.values(token.shares).map((s) => s.replace(/\s+/g, ''));
    const hits = filesContaining(dataDir, [soPin, token.userPin, ...Object.values(token.shares), ...compact]);
    // the rehearsal token store and its PIN file are SoftHSM2's and the app's own; the cards are the one allowed exception
    const outsideCards = hits.filter((h) => !/share-card-.*\.pdf$/.test(h.file));
    expect(outsideCards).toEqual([]);
  });

  it('never shows the SO-PIN whole: no reveal carries it, and the cards’ text holds shares only', async () => {
    const cards = execFileSync('sh', ['-c', `for f in ${token.ceremonyDir}/outputs/share-card-*.pdf; do pdftotext "$f" -; done`], { encoding: 'utf8' });
    expect(cards).toContain(token.setId);
    expect(cards.replace(/\s+/g, '')).not.toContain(soPin);
    expect(Object.values(token.shares).some((share) => share.includes(soPin))).toBe(false);
  });

  it('refuses an initialised token unless erasing was chosen, and shows what it holds', async () => {
    const { ceremony, answers } = await createCeremony(context, dataDir, 'token-init', {
      tokenLabel: token.label,
      newTokenLabel: 'Erase Me',
      custodians: 2,
      threshold: 2,
    });
    const { view } = await drive(ceremony, answers);
    expect(view.current?.id).toBe('inspect-token');
    expect(view.current?.failure?.code).toBe('TokenNotErasable');
    expect(view.current?.failure?.message).toContain(token.serial);
    await ceremony.abort('test over');
    expect(await userPinWorks(context.rehearsal!.softhsmConf, token.label, token.userPin)).toBe(true);
  });

  it('erases an initialised token only after the administrator and the witness confirm, after listing its objects', async () => {
    const throwaway = await initialiseToken(context, dataDir, 'Throwaway', 2, 2, '12121212');
    const { ceremony, answers } = await createCeremony(context, dataDir, 'token-init', {
      tokenLabel: throwaway.label,
      eraseExisting: true,
      newTokenLabel: 'Reborn',
      custodians: 2,
      threshold: 2,
    });
    const stop = await drive(ceremony, answers, { stopBefore: 'confirm-erase' });
    const inspected = resultOf(stop.view, 'inspect-token') as { willErase: boolean; serial: string; holdings: { publicObjects: number } };
    expect(inspected).toMatchObject({ willErase: true, serial: throwaway.serial });
    expect(typeof inspected.holdings.publicObjects).toBe('number');
    await ceremony.abort('test over: the erase was not confirmed');
    expect(await userPinWorks(context.rehearsal!.softhsmConf, throwaway.label, throwaway.userPin)).toBe(true);
  }, 120_000);

  it('refuses a new label another token already has, before anything is generated', async () => {
    const { ceremony, answers } = await createCeremony(context, dataDir, 'token-init', { newTokenLabel: token.label, custodians: 2, threshold: 2 });
    const { view } = await drive(ceremony, answers);
    expect(view.current?.id).toBe('inspect-token');
    expect(view.current?.failure?.code).toBe('TokenLabelInUse');
    await ceremony.abort('test over');
  });

  it('refuses a first user PIN whose two entries differ, or that is shorter than the token allows, before anything is sent', async () => {
    const { ceremony, answers } = await createCeremony(context, dataDir, 'token-init', {
      newTokenLabel: 'PIN Ceremony B',
      custodians: 2,
      threshold: 2,
      characterSet: 'digits',
    });
    const first = await drive(ceremony, answers, { stopBefore: 'rehearsal-intro' });
    const ids = ceremony.view().steps.map((s) => s.id);
    const shares = Object.fromEntries(
      ids.filter((id) => /^rehearse-\d+-\d+$/.test(id)).map((id) => [id, { values: { share: first.revealed[`reveal-${id.split('-')[2]}`] } }]),
    );
    let r = await drive(
      ceremony,
      answers,
      { inputs: { ...shares, 'set-user-pin': { values: { newPin: '11112222', newPinAgain: '11112223' } } } },
      first.revealed,
    );
    expect(r.view.current?.failure?.code).toBe('PinEntriesDiffer');
    expect(r.view.current?.failure?.message).not.toContain('1111');
    await ceremony.retry('set-user-pin', 'the holder mistyped');
    r = await drive(ceremony, answers, { inputs: { 'set-user-pin': { values: { newPin: '123', newPinAgain: '123' } } } });
    expect(r.view.current?.failure?.code).toBe('PinLengthOutsideTokenLimits');
    const journal = readFileSync(`${ceremony.dir}/journal.jsonl`, 'utf8');
    expect(journal).not.toContain('C_InitPIN on token');
    await ceremony.retry('set-user-pin', 'too short');
    r = await drive(ceremony, answers, { inputs: { 'set-user-pin': { values: { newPin: '31415926', newPinAgain: '31415926' } } } });
    expect(r.view.status).toBe('completed');
    expect(await userPinWorks(context.rehearsal!.softhsmConf, 'PIN Ceremony B', '31415926')).toBe(true);
    // this token asked for a digits-only SO-PIN
    const split = resultOf(r.view, 'split') as unknown as Pick<InitialisedToken, 'shareSet'>;
    expect(resultOf(r.view, 'generate-so-pin')).toMatchObject({ characterSet: 'digits' });
    expect(await rebuild(split, [first.revealed['reveal-1'], first.revealed['reveal-2']])).toMatch(/^\d{39}$/); // 39 digits: the fewest that carry 128 bits
  }, 120_000);
});
