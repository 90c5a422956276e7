import pkcs11js from 'pkcs11js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CKR, rvOf, withStandin } from '../../fixtures/pkcs11-standin/direct';
import { startStandinWorld, type StandinWorld } from '../keygen/standin';

/**
 * Backup on the stand-in for yubihsm_pkcs11 2.8.0. The module offers no CKM_AES_KEY_WRAP_PAD (util_pkcs11.c
 * get_mechanism_list, 201-383) and wraps and unwraps only with CKM_YUBICO_AES_CCM_WRAP, CKM_YUBICO_RSA_WRAP and
 * CKM_RSA_AES_KEY_WRAP (check_wrap_mechanism, 2413-2434); a key with CKA_WRAP_WITH_TRUSTED cannot be generated
 * (templates.c). Custodian's refusal of backup and restore on this module is in standin-refusal.test.ts.
 */

const KEY_WRAP_PAD = 0x210a; // CKM_AES_KEY_WRAP_PAD, as Custodian's backup wraps (main/ceremony/actions/backup/bundle.ts)

let world: StandinWorld;

beforeAll(async () => {
  world = await startStandinWorld();
}, 120_000);

afterAll(async () => {
  await world?.context.close();
});

describe('backup on a module with yubihsm_pkcs11’s mechanisms', () => {
  it('lists no CKM_AES_KEY_WRAP_PAD (SoftHSM2 underneath does) and refuses to wrap or unwrap with it', async () => {
    const token = { label: world.context.rehearsal!.tokenLabel };
    const names = (list: Array<{ name: string }>) => list.map((m) => m.name);
    expect(names(await world.context.pkcs11.mechanisms(world.context.rehearsal!.modulePath, token))).toContain('CKM_AES_KEY_WRAP_PAD');
    const offered = names(await world.context.pkcs11.mechanisms(world.module, token));
    expect(offered).not.toContain('CKM_AES_KEY_WRAP_PAD');
    expect(offered).toEqual(
      expect.arrayContaining(['CKM_EC_KEY_PAIR_GEN', 'CKM_ECDSA', 'CKM_EC_EDWARDS_KEY_PAIR_GEN', 'CKM_RSA_PKCS_KEY_PAIR_GEN', 'CKM_AES_KEY_GEN']),
    );

    const { softhsmConf, tokenLabel, pins } = world.context.rehearsal!;
    const codes = withStandin(world.module, softhsmConf, tokenLabel, pins.user, ({ p11, slot, session }) => {
      const aes = (extra: pkcs11js.Template) =>
        p11.C_GenerateKey(session, { mechanism: pkcs11js.CKM_AES_KEY_GEN }, [
          { type: pkcs11js.CKA_TOKEN, value: false },
          { type: pkcs11js.CKA_VALUE_LEN, value: 32 },
          ...extra,
        ]);
      const kek = aes([
        { type: pkcs11js.CKA_WRAP, value: true },
        { type: pkcs11js.CKA_UNWRAP, value: true },
      ]);
      const key = aes([{ type: pkcs11js.CKA_EXTRACTABLE, value: true }]);
      return {
        info: rvOf(() => p11.C_GetMechanismInfo(slot, KEY_WRAP_PAD)),
        wrap: rvOf(() => p11.C_WrapKey(session, { mechanism: KEY_WRAP_PAD }, kek, key, Buffer.alloc(128))),
        unwrap: rvOf(() =>
          p11.C_UnwrapKey(session, { mechanism: KEY_WRAP_PAD }, kek, Buffer.alloc(40, 1), [
            { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_SECRET_KEY },
            { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_AES },
            { type: pkcs11js.CKA_TOKEN, value: false },
          ]),
        ),
      };
    });
    expect(codes).toEqual({ info: CKR.MECHANISM_INVALID, wrap: CKR.MECHANISM_INVALID, unwrap: CKR.MECHANISM_INVALID });
  });
});
