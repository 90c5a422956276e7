import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScript } from '../../../main/ceremony';
import { backupAnswers, scriptFor as backupScript } from '../../../main/ceremony/templates/backup';
import { restoreAnswers, scriptFor as restoreScript } from '../../../main/ceremony/templates/restore';
import { buildStandin } from '../../fixtures/pkcs11-standin/build';
import {
  BACKUP_KEYS,
  TARGET_PINS,
  makeBackupableKeys,
  objectLabels,
  proveRestoredKeys,
  sharesFromCards,
  startWorld,
  stepResult,
  type BackupWorld,
} from './fixture';

// Backup and restore on the stand-in for yubihsm_pkcs11 (random bytes refused and objects hidden before login,
// 2-byte ids): the keys are made, wrapped, split, unwrapped and proven through it, as on SoftHSM2.

let world: BackupWorld;
const keys = BACKUP_KEYS.map((k) => k.label).join(', ');

beforeAll(async () => {
  world = await startWorld('backup-standin', ['Token B']);
  const standin = await buildStandin();
  world.module = standin;
  world.services = { ...world.services, defaultModule: standin };
  await makeBackupableKeys(world);
}, 120_000);

afterAll(async () => {
  await world?.context.close();
});

describe('backup then restore (2 of 3) on a module that behaves like yubihsm_pkcs11', () => {
  let backupDir: string;

  it('backs up RSA-2048, EC P-256 and AES-256 keys; the KEK is gone from the token afterwards', async () => {
    const behaviour = await world.context.pkcs11.behaviour(world.module, { label: world.tokenA });
    expect(behaviour).toMatchObject({ randomBeforeLogin: 'refused', objectsBeforeLogin: 'hidden' });
    backupDir = join(world.home, 'ceremonies', 'backup-standin');
    await mkdir(join(world.home, 'ceremonies'), { recursive: true });
    const parameters = { tokenLabel: world.tokenA, keys, custodians: 3, threshold: 2 };
    const result = await runScript(backupScript(parameters), backupAnswers({ parameters, pins: world.pins }), {
      dir: backupDir,
      rehearsal: true,
      services: world.services,
    });
    expect(result.reason).toBeUndefined();
    expect(result.status).toBe('completed');
    const wrap = await stepResult(backupDir, 'wrap-keys');
    expect(wrap.keyEncryptionKeyDestroyedOnToken).toBe(true);
    expect((wrap.objects as Array<{ label: string; id: string }>).map((o) => o.label)).toEqual(BACKUP_KEYS.map((k) => k.label));
    expect((await objectLabels(world, world.tokenA, world.pins.user)).filter((l) => l.includes('kek'))).toEqual([]);
  }, 120_000);

  it('restores with shares 1 and 3 into token B; the restored keys sign and decrypt like the originals', async () => {
    const shares = await sharesFromCards(backupDir);
    const wrap = await stepResult(backupDir, 'wrap-keys');
    const bundle = join(backupDir, 'outputs', String(wrap.bundleDir));
    const parameters = { targetTokenLabel: 'Token B', bundle, backupJournal: join(backupDir, 'journal.jsonl'), custodians: 3, threshold: 2 };
    const answers = restoreAnswers({ parameters, userPin: TARGET_PINS.user, shares: [1, 3].map((i) => ({ custodian: i, text: shares[i] })) });
    const dir = join(world.home, 'ceremonies', 'restore-standin');
    const result = await runScript(restoreScript(parameters), answers, { dir, rehearsal: true, services: world.services });
    expect(result.reason).toBeUndefined();
    expect(result.status).toBe('completed');
    const restored = (await stepResult(dir, 'unwrap-keys')).restored as Array<{ label: string; fingerprintMatches: boolean | null }>;
    expect(restored.filter((r) => r.label !== 'backup-aes').every((r) => r.fingerprintMatches === true)).toBe(true);
    expect((await objectLabels(world, 'Token B', TARGET_PINS.user)).filter((l) => l.includes('kek'))).toEqual([]);
    await proveRestoredKeys(world, { label: 'Token B', pin: TARGET_PINS.user });
  }, 120_000);
});
