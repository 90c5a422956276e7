import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../../main/ipc/app-context';
import { verifyJournalFile } from '../../../main/journal';
import { buildStandin, STANDIN_SOFTHSM2_PINS, standinLauncher, standinServices } from '../../fixtures/pkcs11-standin/build';
import { initialiseToken, rebuild, soRotationParameters, typedBack, type InitialisedToken } from './fixture';
import { createCeremony, drive, startAppContext as makeContext, resultOf, ceremonyServices as servicesOf } from '../../fixtures/harness';
import { soPinWorks, userPinWorks } from './tokens';

/**
 * The PIN ceremonies on the stand-in with SoftHSM2's PIN functions (STANDIN_SOFTHSM2_PINS: random bytes refused and
 * every object hidden before login, as yubihsm_pkcs11 does, but PINs administered as SoftHSM2 does — Yubico's module
 * itself offers no PIN functions, see yubico-limits.test.ts): token-init, user-pin-reset and pin-change in both
 * modes run as they do on SoftHSM2, and OpenSC, going to SoftHSM2 directly, sees the PINs they set.
 */
describe('PIN ceremonies on a module that refuses random bytes and hides objects before login', () => {
  let context: AppContext;
  let dataDir: string;
  let services: Record<string, unknown>;
  let token: InitialisedToken;
  let conf: string;

  beforeAll(async () => {
    ({ context, dataDir } = await makeContext('standin-pins', standinLauncher(STANDIN_SOFTHSM2_PINS)));
    services = standinServices(servicesOf(context), await buildStandin());
    conf = context.rehearsal!.softhsmConf;
  }, 120_000);
  afterAll(async () => {
    await context?.close();
  });

  it('token-init: the SO-PIN split 2 of 3 and the first user PIN, which OpenSC accepts', async () => {
    token = await initialiseToken(context, dataDir, 'Stand-in PINs', 3, 2, '24681357', services);
    const soPin = await rebuild(token, [token.shares[1], token.shares[3]]);
    expect(await soPinWorks(conf, token.label, soPin)).toBe(true);
    expect(await userPinWorks(conf, token.label, token.userPin)).toBe(true);
    const verified = await verifyJournalFile(`${token.ceremonyDir}/journal.jsonl`);
    expect(verified.ok).toBe(true);
    // no token of this module gives random bytes before login: each refusal is recorded, and the host's generator is used
    const drawn = verified.ok
      ? verified.events.find((e) => e.type === 'step.completed' && (e.data as { stepId: string }).stepId === 'generate-so-pin')
      : undefined;
    const refusedBy = (drawn?.data as { result: { tokenGeneratorRefusedBy: string[] } }).result.tokenGeneratorRefusedBy;
    expect(refusedBy, JSON.stringify(drawn?.data)).toEqual(expect.arrayContaining([expect.stringContaining('UserNotLoggedIn')]));
  }, 120_000);

  it('token-init refuses the initialised token without erasing, and does not claim it is empty (no object is listed before login)', async () => {
    const { ceremony, answers } = await createCeremony(
      context,
      dataDir,
      'token-init',
      { tokenLabel: token.label, newTokenLabel: 'Erase Me', custodians: 2, threshold: 2 },
      { services },
    );
    const { view } = await drive(ceremony, answers);
    expect(view.current?.failure?.code).toBe('TokenNotErasable');
    expect(view.current?.failure?.message).toContain('may hold keys (this module lists none before login)');
    await ceremony.abort('test over');
  });

  it('user-pin-reset: custodians 1 and 2 rebuild the SO-PIN; the new user PIN works and the old does not', async () => {
    const parameters = { practice: false, tokenLabel: token.label, shareSetId: token.setId, checkValue: token.checkValue, custodians: 3, threshold: 2 };
    const { ceremony, answers } = await createCeremony(context, dataDir, 'user-pin-reset', parameters, { services });
    const { view } = await drive(ceremony, answers, {
      inputs: {
        'share-1': { by: 'custodian-1', values: { share: token.shares[1] } },
        'share-2': { by: 'custodian-2', values: { share: token.shares[2] } },
        'set-user-pin': { values: { newPin: '86420864', newPinAgain: '86420864' } },
        'test-login': { values: { pin: '86420864' } },
      },
    });
    expect(view.status, JSON.stringify(view.current?.failure)).toBe('completed');
    expect(await userPinWorks(conf, token.label, '86420864')).toBe(true);
    expect(await userPinWorks(conf, token.label, token.userPin)).toBe(false);
    token.userPin = '86420864';
  }, 60_000);

  it('pin-change, mode user: the holder changes the user PIN', async () => {
    const { ceremony, answers } = await createCeremony(
      context,
      dataDir,
      'pin-change',
      { mode: 'user', practice: false, tokenLabel: token.label },
      { services },
    );
    const { view } = await drive(ceremony, answers, {
      inputs: { 'change-user-pin': { values: { oldPin: token.userPin, newPin: '55667788', newPinAgain: '55667788' } } },
    });
    expect(view.status, JSON.stringify(view.current?.failure)).toBe('completed');
    expect(resultOf(view, 'change-user-pin')).toMatchObject({ userPinChanged: true });
    expect(await userPinWorks(conf, token.label, '55667788')).toBe(true);
    token.userPin = '55667788';
  }, 60_000);

  it('pin-change, mode so-rotation: the SO-PIN goes to a new 3-of-5 set; the old SO-PIN no longer opens the token', async () => {
    const oldSoPin = await rebuild(token, [token.shares[2], token.shares[3]]);
    const parameters = soRotationParameters(token);
    const { ceremony, answers } = await createCeremony(context, dataDir, 'pin-change', parameters, { services });
    const oldShares = {
      'old-share-1': { by: 'custodian-1', values: { share: token.shares[1] } },
      'old-share-2': { by: 'custodian-3', values: { share: token.shares[3] } },
    };
    const first = await drive(ceremony, answers, { inputs: oldShares, stopBefore: 'rehearsal-intro' });
    expect(first.view.current?.id, JSON.stringify(first.view.current?.failure)).toBe('rehearsal-intro');
    const ids = ceremony.view().steps.map((s) => s.id);
    const done = await drive(ceremony, answers, { inputs: typedBack(ids, first.revealed, 'new-') }, first.revealed);
    expect(done.view.status, JSON.stringify(done.view.current?.failure)).toBe('completed');
    const newSet = resultOf(done.view, 'split-new') as { shareSet: InitialisedToken['shareSet'] };
    const newSoPin = await rebuild({ shareSet: newSet.shareSet }, [
      first.revealed['new-reveal-1'],
      first.revealed['new-reveal-2'],
      first.revealed['new-reveal-5'],
    ]);
    expect(await soPinWorks(conf, token.label, newSoPin)).toBe(true);
    expect(await soPinWorks(conf, token.label, oldSoPin)).toBe(false);
  }, 120_000);
});
