import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScript } from '../../../main/ceremony';
import { backupAnswers, backupScript, restoreAnswers, restoreScript } from '../../fixtures/templates/answers';
import { computeShareCommitment, decodeShareText, type CheckValue } from '../../../main/shares';
import { findSecretTraces, secretNeedles } from './secret-traces';
import {
  BACKUP_KEYS,
  TARGET_PINS,
  journalEvents,
  makeBackupableKeys,
  objectLabels,
  proveRestoredKeys,
  sharesFromCards,
  startWorld,
  stepResult,
  type BackupWorld,
} from './fixture';

// The whole backup and restore through the engine, the real device host and SoftHSM2, the way `custodian run` does it.

let world: BackupWorld;
const keys = BACKUP_KEYS.map((k) => k.label).join(', ');

beforeAll(async () => {
  world = await startWorld('backup-restore', ['Token B']);
  await makeBackupableKeys(world);
});

afterAll(async () => {
  await world?.context.close();
});

describe('backup then restore (3 of 5)', () => {
  let backupDir: string;
  let shares: Record<number, string>;

  it('backs up RSA-2048, EC P-256 and AES-256 keys: KEK destroyed, bundle written and hashed, cards printed, rehearsal passed', async () => {
    backupDir = join(world.home, 'ceremonies', 'backup-1');
    await mkdir(join(world.home, 'ceremonies'), { recursive: true });
    const parameters = { tokenLabel: world.tokenA, keys, custodians: 5, threshold: 3 };
    const reports: string[] = [];
    const result = await runScript(backupScript(parameters), backupAnswers({ parameters, pins: world.pins }), {
      dir: backupDir,
      rehearsal: true,
      services: world.services,
      onProgress: (p) => reports.push(`${p.stepId}: ${p.done} of ${p.total} ${p.what}`),
    });
    expect(result.reason).toBeUndefined();
    expect(result.status).toBe('completed');
    // the wrapping reports key by key, for the screen's "2 of 3 keys wrapped"; the copy file by file: the bundle's five
    // (manifest, its MAC, three blobs) and none of the five share cards beside it
    expect(reports).toEqual([
      ...[0, 1, 2, 3].map((n) => `wrap-keys: ${n} of 3 keys wrapped`),
      ...[1, 2, 3, 4, 5].map((n) => `export: ${n} of 5 files copied and read back`),
    ]);

    const wrap = await stepResult(backupDir, 'wrap-keys');
    expect(wrap.keyEncryptionKeyDestroyedOnToken).toBe(true);
    const objects = wrap.objects as Array<{ label: string; publicKeyFingerprint: string | null; policy: string }>;
    expect(objects.map((o) => o.label)).toEqual(BACKUP_KEYS.map((k) => k.label));
    expect(objects.find((o) => o.label === 'backup-rsa')!.publicKeyFingerprint).toBe(world.publicKeys['backup-rsa'].sha256);
    expect(objects.find((o) => o.label === 'backup-ec')!.publicKeyFingerprint).toBe(world.publicKeys['backup-ec'].sha256);
    expect(objects.every((o) => o.policy === 'backupable')).toBe(true);

    // the KEK is gone from token A: only the three keys (and the two public halves) remain
    const labels = await objectLabels(world, world.tokenA, world.pins.user);
    expect(labels.filter((l) => l.includes('kek'))).toEqual([]);

    // one card per custodian, each the share its commitment in the journal names
    shares = await sharesFromCards(backupDir);
    expect(Object.keys(shares).map(Number).sort()).toEqual([1, 2, 3, 4, 5]);
    const split = await stepResult(backupDir, 'split-kek');
    const record = split.shareSet as { setId: string; commitments: Array<{ index: number; commitment: string }> };
    for (const [index, text] of Object.entries(shares)) {
      const decoded = decodeShareText(text);
      expect(decoded.setId).toBe(record.setId);
      expect(computeShareCommitment(decoded)).toBe(record.commitments.find((c) => c.index === Number(index))!.commitment);
    }
    expect(await stepResult(backupDir, 'rehearse-rebuild')).toMatchObject({ checkValueMatches: true, sameAsOriginal: true });
    expect((await stepResult(backupDir, 'forget-kek')).remainingInMemory).toBe(0);
    const bundleFiles = await readdir(join(backupDir, 'outputs', String(wrap.bundleDir)));
    expect(bundleFiles.sort()).toEqual(['001-backup-rsa.wrapped', '002-backup-ec.wrapped', '003-backup-aes.wrapped', 'manifest.json', 'manifest.json.hmac']);
  });

  it('restores with shares 2, 4 and 5 into a fresh token B; restored keys sign and decrypt like the originals', async () => {
    const pinsB = TARGET_PINS;
    const wrap = await stepResult(backupDir, 'wrap-keys');
    const bundle = join(backupDir, 'outputs', String(wrap.bundleDir));
    const parameters = { targetTokenLabel: 'Token B', bundle, backupJournal: join(backupDir, 'journal.jsonl'), custodians: 5, threshold: 3 };
    const answers = restoreAnswers({ parameters, userPin: pinsB.user, shares: [2, 4, 5].map((i) => ({ custodian: i, text: shares[i] })) });
    const dir = join(world.home, 'ceremonies', 'restore-1');
    const reports: string[] = [];
    const onProgress = (p: { stepId: string; done: number; total: number; what: string }) => reports.push(`${p.stepId}: ${p.done} of ${p.total} ${p.what}`);
    const result = await runScript(restoreScript(parameters), answers, { dir, rehearsal: true, services: world.services, onProgress });
    expect(result.reason).toBeUndefined();
    expect(result.status).toBe('completed');
    expect(reports).toEqual([0, 1, 2, 3].map((n) => `unwrap-keys: ${n} of 3 keys restored`));

    const read = await stepResult(dir, 'read-bundle');
    expect(read).toMatchObject({ manifestSha256: wrap.manifestSha256, backupJournalChecked: true });
    const unwrap = await stepResult(dir, 'unwrap-keys');
    const restored = unwrap.restored as Array<{ label: string; publicKeyFingerprint: string | null; fingerprintMatches: boolean | null }>;
    expect(restored.find((r) => r.label === 'backup-rsa')).toMatchObject({
      publicKeyFingerprint: world.publicKeys['backup-rsa'].sha256,
      fingerprintMatches: true,
    });
    expect(restored.find((r) => r.label === 'backup-ec')).toMatchObject({
      publicKeyFingerprint: world.publicKeys['backup-ec'].sha256,
      fingerprintMatches: true,
    });

    // the shares were journaled as commitments only, and the KEK left no object behind on B
    const entered = (await journalEvents(dir)).filter((e) => e.type === 'step.input-provided' && String(e.data.stepId).startsWith('enter-share'));
    expect(entered).toHaveLength(3);
    for (const e of entered) {
      expect(JSON.stringify(e.data)).not.toContain('cshare1');
      expect((e.data.secretFields as Array<{ commitment?: string }>)[0].commitment).toMatch(/^[0-9a-f]{64}$/);
    }
    expect((await objectLabels(world, 'Token B', pinsB.user)).filter((l) => l.includes('kek'))).toEqual([]);

    await proveRestoredKeys(world, { label: 'Token B', pin: pinsB.user });
  });

  it('leaves no trace of the KEK or of any share in the app data folder, outputs and journals (share cards aside)', async () => {
    const split = await stepResult(backupDir, 'split-kek');
    const record = split.shareSet as { checkValue: CheckValue; m: number };
    const needles = await secretNeedles(
      [1, 2, 3, 4, 5].map((i) => shares[i]),
      record.checkValue,
      record.m,
    );
    const found = await findSecretTraces([world.home], needles, (file) => /share-card-[^/]+\.pdf$/.test(file));
    expect(found.traces).toEqual([]);
    expect(found.filesSearched).toBeGreaterThan(10);
    // the search can fail: the share cards themselves do hold the shares
    const onCards = await findSecretTraces([join(backupDir, 'outputs')], needles, (file) => !/share-card-[^/]+\.pdf$/.test(file));
    expect(onCards.traces.length).toBeGreaterThan(0);
  });
});
