import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../../main/ipc/app-context';
import { buildStandin, STANDIN_SOFTHSM2_PINS, standinFault, standinLauncher, standinServices } from '../../fixtures/pkcs11-standin/build';
import { createCeremony, drive, startAppContext as makeContext, ceremonyServices as servicesOf } from '../../fixtures/harness';

/**
 * A token whose maximum PIN length (16, as the stand-in reports it here) cannot hold a generated SO-PIN of 128 bits:
 * token-init and an SO-PIN rotation refuse it at their first step that reads the token, with the numbers, before
 * any share is typed or anything on the token changes. (The stand-in with SoftHSM2's PIN functions: Yubico's module
 * itself refuses these ceremonies earlier, for want of PIN functions.)
 */
describe('a token whose PIN length cannot hold a 128-bit SO-PIN', () => {
  let context: AppContext;
  let dataDir: string;
  let services: Record<string, unknown>;

  beforeAll(async () => {
    ({ context, dataDir } = await makeContext('short-pin-limit', standinLauncher({ ...standinFault('short-max-pin'), ...STANDIN_SOFTHSM2_PINS })));
    services = standinServices(servicesOf(context), await buildStandin());
  }, 120_000);
  afterAll(async () => {
    await context?.close();
  });

  const started = (view: { steps: Array<{ id: string; status: string }> }) => view.steps.filter((s) => s.status !== 'pending').map((s) => s.id);

  it('token-init refuses it at the inspection, naming the limit and the length needed', async () => {
    const { ceremony, answers } = await createCeremony(
      context,
      dataDir,
      'token-init',
      { newTokenLabel: 'Too Short', custodians: 3, threshold: 2 },
      { services },
    );
    const { view } = await drive(ceremony, answers);
    expect(view.current?.id).toBe('inspect-token');
    expect(view.current?.failure?.code).toBe('TokenPinLimitsUnusable');
    expect(view.current?.failure?.message).toMatch(/at most 16 characters; a generated SO-PIN of 128 bits needs 26 characters from the base32 set/);
    expect(started(view)).not.toContain('generate-so-pin');
    await ceremony.abort('test over');
  });

  it('an SO-PIN rotation refuses it before any custodian types a share', async () => {
    const parameters = { mode: 'so-rotation', practice: false, tokenLabel: context.rehearsal!.tokenLabel, custodians: 3, threshold: 2 };
    const { ceremony, answers } = await createCeremony(context, dataDir, 'pin-change', parameters, { services });
    const { view } = await drive(ceremony, answers);
    expect(view.current?.id).toBe('check-new-so-pin');
    expect(view.current?.failure?.code).toBe('TokenPinLimitsUnusable');
    expect(view.current?.failure?.message).toMatch(/at most 16 characters/);
    expect(started(view).some((id) => /^old-share-/.test(id) || id === 'expect-set')).toBe(false);
    await ceremony.abort('test over');
  });
});
