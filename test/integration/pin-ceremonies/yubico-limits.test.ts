import pkcs11js from 'pkcs11js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../../main/ipc/app-context';
import { verifyJournalFile } from '../../../main/journal';
import { newSetId } from '../../../main/shares';
import { buildStandin, standinLauncher, standinServices } from '../../fixtures/pkcs11-standin/build';
import { CKR, rvOf, withStandin } from '../../fixtures/pkcs11-standin/direct';
import { createCeremony, drive, startAppContext as makeContext, ceremonyServices as servicesOf } from '../../fixtures/harness';
import { soPinWorks, userPinWorks } from './tokens';

/**
 * The PIN ceremonies on the stand-in as yubihsm_pkcs11 2.8.0 is: no C_InitToken, C_InitPIN or C_SetPIN
 * (CKR_FUNCTION_NOT_SUPPORTED, pkcs11/yubihsm_pkcs11.c:827-869) and no SO login (CKR_USER_TYPE_INVALID, 6376-6379).
 * Each ceremony is refused at its first step that reaches the device, naming the module's limit and what to use
 * instead, before a share or a PIN is asked for; the token's PINs are unchanged.
 */
describe('PIN ceremonies on a module without PIN functions (the stand-in for yubihsm_pkcs11)', () => {
  let context: AppContext;
  let dataDir: string;
  let services: Record<string, unknown>;
  let module: string;

  beforeAll(async () => {
    ({ context, dataDir } = await makeContext('standin-no-pins', standinLauncher()));
    module = await buildStandin();
    services = standinServices(servicesOf(context), module);
  }, 120_000);
  afterAll(async () => {
    await context?.close();
  });

  it('the module refuses C_InitToken, C_InitPIN and C_SetPIN, and any login but the user’s', () => {
    const { softhsmConf, tokenLabel, pins } = context.rehearsal!;
    const codes = withStandin(module, softhsmConf, tokenLabel, undefined, ({ p11, slot, session }) => ({
      initToken: rvOf(() => p11.C_InitToken(slot, pins.so, 'Erased')),
      soLogin: rvOf(() => p11.C_Login(session, pkcs11js.CKU_SO, pins.so)),
      userLogin: rvOf(() => p11.C_Login(session, pkcs11js.CKU_USER, pins.user)),
      setPin: rvOf(() => p11.C_SetPIN(session, pins.user, '99999999')),
      initPin: rvOf(() => p11.C_InitPIN(session, '99999999')),
    }));
    expect(codes).toEqual({
      initToken: CKR.FUNCTION_NOT_SUPPORTED,
      soLogin: CKR.USER_TYPE_INVALID,
      userLogin: CKR.OK,
      setPin: CKR.FUNCTION_NOT_SUPPORTED,
      initPin: CKR.FUNCTION_NOT_SUPPORTED,
    });
  });

  const token = () => context.rehearsal!.tokenLabel;
  const cases: Array<[string, string, () => Record<string, string | number | boolean>, string, RegExp]> = [
    ['token-init', 'token-init', () => ({ newTokenLabel: 'Never Made', custodians: 3, threshold: 2 }), 'inspect-token', /cannot initialise this token/],
    [
      'user-pin-reset',
      'user-pin-reset',
      () => ({ practice: false, tokenLabel: token(), shareSetId: newSetId(), checkValue: 'HMAC-SHA256-V1 1a2b3c4d', custodians: 3, threshold: 2 }),
      'token-status',
      /cannot reset the user PIN/,
    ],
    ['pin-change (user)', 'pin-change', () => ({ mode: 'user', practice: false, tokenLabel: token() }), 'token-status', /cannot change the user PIN/],
    [
      'pin-change (so-rotation)',
      'pin-change',
      () => ({
        mode: 'so-rotation',
        practice: false,
        tokenLabel: token(),
        shareSetId: newSetId(),
        checkValue: 'HMAC-SHA256-V1 1a2b3c4d',
        custodians: 3,
        threshold: 2,
      }),
      'check-new-so-pin',
      /cannot rotate the SO-PIN/,
    ],
  ];

  it.each(cases)(
    '%s is refused at its first device step, naming the module’s limit; no share or PIN asked, nothing changed',
    async (_, name, parameters, stepId, what) => {
      const { ceremony, answers } = await createCeremony(context, dataDir, name, parameters(), { services });
      const { view } = await drive(ceremony, answers);
      expect(view.current?.id).toBe(stepId);
      expect(view.current?.failure?.code).toBe('ModuleLacksPinAdministration');
      const message = view.current!.failure!.message;
      expect(message).toMatch(what);
      expect(message).toContain('Yubico’s YubiHSM module cannot initialise a token, reset or change a PIN');
      expect(message).toContain('yubihsm-auth-rotation');
      expect(message).not.toMatch(/C_|CKR_|CKU_/); // the screen's words; the PKCS#11 names are in the journal note
      const started = view.steps.filter((s) => s.status !== 'pending').map((s) => s.id);
      expect(started.filter((id) => /share|pin-|split|generate|login/.test(id) && id !== stepId)).toEqual([]);
      const verified = await verifyJournalFile(`${ceremony.dir}/journal.jsonl`);
      const note = verified.ok ? verified.events.find((e) => e.type === 'action.note' && (e.data as { stepId: string }).stepId === stepId) : undefined;
      expect((note?.data as { details?: { unsupported?: string[] } })?.details?.unsupported).toEqual([
        'C_InitToken',
        'C_InitPIN',
        'C_SetPIN',
        'C_Login(CKU_SO)',
      ]);
      await ceremony.abort('test over');
      expect(await userPinWorks(context.rehearsal!.softhsmConf, token(), context.rehearsal!.pins.user)).toBe(true);
      expect(await soPinWorks(context.rehearsal!.softhsmConf, token(), context.rehearsal!.pins.so)).toBe(true);
    },
    60_000,
  );
});
