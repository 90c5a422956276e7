import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScript } from '../../../main/ceremony';
import { backupAnswers, backupScript, restoreAnswers, restoreScript } from '../../fixtures/templates/answers';
import { buildStandin, standinLauncher, standinServices } from '../../fixtures/pkcs11-standin/build';
import { BACKUP_KEYS, TARGET_PINS, makeBackupableKeys, objectLabels, sharesFromCards, startWorld, stepResult, type BackupWorld } from './fixture';

// Backup and restore through the stand-in for yubihsm_pkcs11 (it names itself Yubico's module in C_GetInfo). The
// real module (2.8.0) refuses CKA_WRAP_WITH_TRUSTED in a key template and wraps only with the YubiHSM's own
// mechanisms, so Custodian refuses both ceremonies at their first device step, before anyone logs in, naming that
// limit and the YubiHSM ceremonies to use instead. The bundle for the restore is made through SoftHSM2 itself.

let world: BackupWorld;
let standinServicesOf: Record<string, unknown>;
const keys = BACKUP_KEYS.map((k) => k.label).join(', ');
const LIMIT =
  /Yubico’s YubiHSM module cannot carry Custodian’s split-knowledge backup: .*trusts.*only under a YubiHSM’s own wrap keys.*yubihsm-setup.*yubihsm-restore brings them back\.$/;

beforeAll(async () => {
  world = await startWorld('backup-standin', ['Token B'], undefined, standinLauncher());
  standinServicesOf = standinServices(world.services, await buildStandin());
  await makeBackupableKeys(world);
}, 120_000);

afterAll(async () => {
  await world?.context.close();
});

describe('backup and restore through a module that behaves like yubihsm_pkcs11', () => {
  it('refuses the backup before login, naming the module’s wrap limit, and leaves the token as it was', async () => {
    const before = await objectLabels(world, world.tokenA, world.pins.user);
    const dir = join(world.home, 'ceremonies', 'backup-standin');
    await mkdir(join(world.home, 'ceremonies'), { recursive: true });
    const parameters = { tokenLabel: world.tokenA, keys, custodians: 3, threshold: 2 };
    const result = await runScript(backupScript(parameters), backupAnswers({ parameters, pins: world.pins }), {
      dir,
      rehearsal: true,
      services: standinServicesOf,
    });
    expect(result).toMatchObject({ status: 'failed', failedStep: 'token-status', reason: { code: 'ModuleCannotWrap' } });
    expect(result.reason!.message).toMatch(/^No key can be backed up through this module; nothing was touched\. /);
    expect(result.reason!.message).toMatch(LIMIT);
    expect(await objectLabels(world, world.tokenA, world.pins.user)).toEqual(before);
  }, 120_000);

  it('refuses the restore of a SoftHSM2 bundle into a token behind it before login, and token B stays empty', async () => {
    const backupDir = join(world.home, 'ceremonies', 'backup-softhsm');
    const parameters = { tokenLabel: world.tokenA, keys, custodians: 3, threshold: 2 };
    const made = await runScript(backupScript(parameters), backupAnswers({ parameters, pins: world.pins }), {
      dir: backupDir,
      rehearsal: true,
      services: world.services,
    });
    expect(made.status, JSON.stringify(made.reason)).toBe('completed');
    const shares = await sharesFromCards(backupDir);
    const bundle = join(backupDir, 'outputs', String((await stepResult(backupDir, 'wrap-keys')).bundleDir));
    const restoreParameters = { targetTokenLabel: 'Token B', bundle, backupJournal: join(backupDir, 'journal.jsonl'), custodians: 3, threshold: 2 };
    const answers = restoreAnswers({
      parameters: restoreParameters,
      userPin: TARGET_PINS.user,
      shares: [1, 3].map((i) => ({ custodian: i, text: shares[i] })),
    });
    const dir = join(world.home, 'ceremonies', 'restore-standin');
    const result = await runScript(restoreScript(restoreParameters), answers, { dir, rehearsal: true, services: standinServicesOf });
    expect(result).toMatchObject({ status: 'failed', failedStep: 'target-status', reason: { code: 'ModuleCannotWrap' } });
    expect(result.reason!.message).toMatch(/^No backup bundle can be restored through this module; nothing was touched\. /);
    expect(result.reason!.message).toMatch(LIMIT);
    expect(await objectLabels(world, 'Token B', TARGET_PINS.user)).toEqual([]);
  }, 120_000);
});
