import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScript, type RunScriptResult } from '../../../main/ceremony';
import { backupAnswers, backupScript, restoreAnswers, restoreScript } from '../../fixtures/templates/answers';
import {
  BACKUP_KEYS,
  cleanUpCeremony,
  makeBackupableKeys,
  objectLabels,
  sharesFromCards,
  startWorld,
  stepResult,
  TARGET_PINS,
  type BackupWorld,
} from './fixture';

// Item 5: every bad input of a restore (and of a backup's key choice) gets its own error, and the target token is
// untouched until every check has passed. One backup per set; each case is one restore through runScript.

let world: BackupWorld;
let bundle: string;
let otherBundle: string;
let journal: string;
let shares: Record<number, string>;
let otherShares: Record<number, string>;
let run = 0;
const keys = BACKUP_KEYS.map((k) => k.label).join(', ');

async function backup(n: number, m: number): Promise<{ dir: string; bundle: string }> {
  const dir = join(world.home, 'ceremonies', `backup-${++run}`);
  const parameters = { tokenLabel: world.tokenA, keys, custodians: n, threshold: m };
  const result = await runScript(backupScript(parameters), backupAnswers({ parameters, pins: world.pins }), { dir, rehearsal: true, services: world.services });
  if (result.status !== 'completed') throw new Error(`backup failed: ${JSON.stringify(result.reason)}`);
  return { dir, bundle: join(dir, 'outputs', String((await stepResult(dir, 'wrap-keys')).bundleDir)) };
}

async function restore(options: {
  bundle?: string;
  backupJournal?: string;
  target?: string;
  typed: string[];
  script?: (text: string) => string;
}): Promise<RunScriptResult> {
  const parameters = {
    targetTokenLabel: options.target ?? 'Token C',
    bundle: options.bundle ?? bundle,
    backupJournal: options.backupJournal ?? '',
    custodians: 5,
    threshold: 3,
  };
  const answers = restoreAnswers({
    parameters,
    userPin: TARGET_PINS.user,
    shares: options.typed.map((text, i) => ({ custodian: i + 1, text })),
    present: [1, 2, 3],
  });
  const script = restoreScript(parameters);
  const dir = join(world.home, 'ceremonies', `restore-${++run}`);
  const result = await runScript(options.script ? options.script(script) : script, answers, { dir, rehearsal: true, services: world.services });
  await cleanUpCeremony(world, result.ceremonyId);
  return result;
}

async function tokenCIsEmpty(): Promise<void> {
  expect(await objectLabels(world, 'Token C', TARGET_PINS.user)).toEqual([]);
}

beforeAll(async () => {
  world = await startWorld('backup-bad-inputs', ['Token C', 'Token D']);
  await makeBackupableKeys(world);
  await mkdir(join(world.home, 'ceremonies'), { recursive: true });
  const first = await backup(5, 3);
  bundle = first.bundle;
  journal = join(first.dir, 'journal.jsonl');
  shares = await sharesFromCards(first.dir);
  const second = await backup(3, 2);
  otherBundle = second.bundle;
  otherShares = await sharesFromCards(second.dir);
});

afterAll(async () => {
  await world?.context.close();
});

describe('restore refuses bad input, and writes nothing to the target before every check passed', () => {
  it('a mistyped share: ChecksumError naming the group, at the step where it was typed', async () => {
    const groups = shares[2].split(' ');
    groups[5] = groups[5].slice(0, 3) + (groups[5][3] === 'q' ? 'p' : 'q');
    const result = await restore({ typed: [shares[1], groups.join(' '), shares[3]] });
    expect(result).toMatchObject({ status: 'failed', failedStep: 'enter-share-2', reason: { code: 'ChecksumError' } });
    expect(result.reason!.message).toMatch(/Group 5 looks wrong/);
    await tokenCIsEmpty();
  });

  it('a share of another set among good ones: WrongSet', async () => {
    const result = await restore({ typed: [shares[1], otherShares[1], shares[3]] });
    expect(result).toMatchObject({ status: 'failed', failedStep: 'enter-share-2', reason: { code: 'WrongSet' } });
    await tokenCIsEmpty();
  });

  it('the same share twice: DuplicateShare', async () => {
    const result = await restore({ typed: [shares[4], shares[4], shares[5]] });
    expect(result).toMatchObject({ status: 'failed', failedStep: 'enter-share-2', reason: { code: 'DuplicateShare' } });
    await tokenCIsEmpty();
  });

  it('too few shares: the ceremony waits for the third, and a script that skips it gets TooFewShares', async () => {
    const waiting = await restore({ typed: [shares[1], shares[2]] });
    expect(waiting).toMatchObject({ status: 'failed', failedStep: 'enter-share-3', reason: { code: 'InputsMissing' } });
    const skipping = await restore({
      typed: [shares[1], shares[2]],
      script: (text) => text.replace(/\n {2}- id: enter-share-3\n[\s\S]*?(?=\n {2}- id: rebuild-kek)/, ''),
    });
    expect(skipping).toMatchObject({ status: 'failed', failedStep: 'rebuild-kek', reason: { code: 'TooFewShares' } });
    expect(skipping.reason!.message).toContain('Need 3 shares');
    await tokenCIsEmpty();
  });

  it('a tampered blob: BlobTampered when the bundle is read', async () => {
    const copy = join(world.home, 'tampered-blob');
    await cp(bundle, copy, { recursive: true });
    const blob = join(copy, '003-backup-aes.wrapped');
    const bytes = await readFile(blob);
    bytes[7] ^= 0x01;
    await writeFile(blob, bytes);
    const result = await restore({ bundle: copy, typed: [shares[1], shares[2], shares[3]] });
    expect(result).toMatchObject({ status: 'failed', failedStep: 'read-bundle', reason: { code: 'BlobTampered' } });
    await tokenCIsEmpty();
  });

  it('a tampered manifest: refused against the backup journal at once, and without it by its authentication code', async () => {
    const copy = join(world.home, 'tampered-manifest');
    await cp(bundle, copy, { recursive: true });
    const manifestPath = join(copy, 'manifest.json');
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
    manifest.objects[2].attributes.CKA_SENSITIVE = false; // an attacker wants the AES key readable after restore
    await writeFile(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
    const withJournal = await restore({ bundle: copy, backupJournal: journal, typed: [shares[1], shares[2], shares[3]] });
    expect(withJournal).toMatchObject({ status: 'failed', failedStep: 'read-bundle', reason: { code: 'ManifestTampered' } });
    const withoutJournal = await restore({ bundle: copy, typed: [shares[1], shares[2], shares[3]] });
    expect(withoutJournal).toMatchObject({ status: 'failed', failedStep: 'unwrap-keys', reason: { code: 'ManifestTampered' } });
    await tokenCIsEmpty();
  });

  it('a bundle that does not belong to these shares: SetMismatch at the first share', async () => {
    const result = await restore({ bundle: otherBundle, typed: [shares[1], shares[2], shares[3]] });
    // the other bundle is 2-of-3, so a restore prepared for 3-of-5 stops before any share: ThresholdMismatch…
    expect(result).toMatchObject({ status: 'failed', failedStep: 'read-bundle', reason: { code: 'ThresholdMismatch' } });
    // …and prepared for its own shape, the first share of the other set is refused with both possibilities named
    const dir = join(world.home, 'ceremonies', `restore-${++run}`);
    const p = { targetTokenLabel: 'Token C', bundle: otherBundle, backupJournal: '', custodians: 3, threshold: 2 };
    const answers = restoreAnswers({
      parameters: p,
      userPin: TARGET_PINS.user,
      shares: [
        { custodian: 1, text: shares[1] },
        { custodian: 2, text: shares[2] },
      ],
    });
    const mismatch = await runScript(restoreScript(p), answers, { dir, rehearsal: true, services: world.services });
    await cleanUpCeremony(world, mismatch.ceremonyId);
    expect(mismatch).toMatchObject({ status: 'failed', failedStep: 'enter-share-1', reason: { code: 'SetMismatch' } });
    expect(mismatch.reason!.message).toContain('the chosen backup bundle');
    await tokenCIsEmpty();
  });

  it('a target token that already has one of the labels: LabelTaken, and the token keeps exactly what it had', async () => {
    await world.context.pkcs11.openSession(world.module, { label: 'Token D' }, true).then(async ({ sessionKey }) => {
      await world.context.pkcs11.login(sessionKey, 'USER', TARGET_PINS.user);
      await world.context.pkcs11.generateKey(sessionKey, { algorithm: 'AES-128', policy: 'backupable', label: 'backup-ec' });
      await world.context.pkcs11.closeSession(sessionKey);
    });
    const before = await objectLabels(world, 'Token D', TARGET_PINS.user);
    const result = await restore({ target: 'Token D', typed: [shares[1], shares[2], shares[3]] });
    expect(result).toMatchObject({ status: 'failed', failedStep: 'check-target', reason: { code: 'LabelTaken' } });
    expect(result.reason!.message).toContain('“backup-ec”');
    expect(await objectLabels(world, 'Token D', TARGET_PINS.user)).toEqual(before);
  });

  it('a key that is not extractable only by wrapping cannot be chosen for backup, and the reason is given', async () => {
    await world.context.pkcs11.openSession(world.module, { label: world.tokenA }, true).then(async ({ sessionKey }) => {
      await world.context.pkcs11.login(sessionKey, 'USER', world.pins.user);
      await world.context.pkcs11.generateKey(sessionKey, { algorithm: 'EC-P256', policy: 'signing', label: 'never-leaves' });
      await world.context.pkcs11.closeSession(sessionKey);
    });
    const dir = join(world.home, 'ceremonies', `backup-${++run}`);
    const parameters = { tokenLabel: world.tokenA, keys: 'backup-ec, never-leaves', custodians: 3, threshold: 2 };
    const result = await runScript(backupScript(parameters), backupAnswers({ parameters, pins: world.pins }), {
      dir,
      rehearsal: true,
      services: world.services,
    });
    await cleanUpCeremony(world, result.ceremonyId);
    expect(result).toMatchObject({ status: 'failed', failedStep: 'check-keys', reason: { code: 'KeyNotBackupable' } });
    expect(result.reason!.message).toContain('“never-leaves” can never leave the token');
  });
});
