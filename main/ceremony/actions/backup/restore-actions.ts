import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { verifyJournalFile } from '../../../journal';
import { matchesCheckValue, type CheckValue } from '../../../shares';
import { pkcs11Services, tokenOf, withLoggedInSession } from '../pkcs11';
import type { ActionContext, ActionDefinition, JsonObject } from '../registry';
import { vaultOf } from '../vault';
import { vaultBytes } from './shares';
import { journalRecordOf, macMatches, readBundle, wrappedKeyOf, type ReadBundle } from './bundle';
import { BackupError, BackupErrorCode } from '../../../errors';
import { labelList, requireParam } from './params';
import { inBatches } from './in-batches';

/** The bundle hashes a backup journal records (its wrap step's result), after checking the journal's chain. */
async function bundleHashesIn(journalPath: string): Promise<string[]> {
  const verified = await verifyJournalFile(journalPath).catch(() => null);
  if (!verified || !verified.ok) {
    throw new BackupError(
      BackupErrorCode.BackupJournalMismatch,
      `The backup journal ${journalPath} is missing or damaged (its hash chain does not verify), so it cannot vouch for the bundle.`,
    );
  }
  const hashes: string[] = [];
  for (const line of (await readFile(journalPath, 'utf8')).split('\n')) {
    if (!line.includes('manifestSha256')) continue;
    const event = JSON.parse(line) as { type?: string; data?: { result?: { manifestSha256?: unknown } } };
    const hash = event.type === 'step.completed' ? event.data?.result?.manifestSha256 : undefined;
    if (typeof hash === 'string') hashes.push(hash);
  }
  return hashes;
}

/**
 * restore.read-bundle — params { bundle: folder, backupJournal?: path, custodians?, threshold? (what the script expects) }. Reads the manifest, checks every blob's
 * SHA-256 against it and, when the backup's journal is given, the manifest's own hash against the journal.
 * Result: the bundle hash, the share set the custodians' cards must belong to, and the objects to restore.
 */
const readBundleAction: ActionDefinition = {
  description: 'Reads the backup bundle and checks its hashes against the manifest and the backup journal.',
  async run(_ctx, params) {
    const dir = resolve(requireParam(params, 'bundle'));
    const bundle = await readBundle(dir);
    const journalPath = typeof params.backupJournal === 'string' && params.backupJournal.trim() ? resolve(params.backupJournal) : null;
    if (journalPath) {
      const recorded = await bundleHashesIn(journalPath);
      if (recorded.length === 0)
        throw new BackupError(
          BackupErrorCode.BackupJournalMismatch,
          'The backup journal given records no backup bundle: choose the journal of the backup ceremony that wrote this bundle.',
        );
      if (!recorded.includes(bundle.manifestSha256)) {
        throw new BackupError(
          BackupErrorCode.ManifestTampered,
          `The bundle’s manifest (SHA-256 ${bundle.manifestSha256.slice(0, 16)}…) is not the one the backup journal records (${recorded[0].slice(0, 16)}…): it was altered after the backup, or the bundle and the journal are from different backups.`,
        );
      }
    }
    const { manifest } = bundle;
    const { m, n } = manifest.shareSet;
    if ((params.threshold !== undefined && params.threshold !== m) || (params.custodians !== undefined && params.custodians !== n)) {
      throw new BackupError(
        BackupErrorCode.ThresholdMismatch,
        `This bundle is restored with any ${m} of its ${n} shares, but this ceremony was prepared for ${String(params.threshold)} of ${String(params.custodians)}. Prepare the restore again with custodians ${n} and threshold ${m}.`,
      );
    }
    return {
      publicResult: {
        bundle: dir,
        manifestSha256: bundle.manifestSha256,
        backupJournalChecked: journalPath !== null,
        backupCeremonyId: manifest.ceremonyId,
        rehearsalBundle: manifest.rehearsal,
        shareSet: manifest.shareSet as unknown as JsonObject,
        setId: manifest.shareSet.setId,
        threshold: `${manifest.shareSet.m} of ${manifest.shareSet.n}`,
        labels: manifest.objects.map((o) => o.label),
        objects: manifest.objects.map(journalRecordOf),
      },
    };
  },
};

async function takenLabels(ctx: ActionContext, sessionKey: string, labels: string[]): Promise<string[]> {
  const { pkcs11 } = pkcs11Services(ctx);
  // one listing of the token rather than one search per label (a bundle may hold a thousand keys)
  const present = new Set((await pkcs11.findObjects(sessionKey, {})).map((o) => o.label));
  return labels.filter((label) => present.has(label));
}

function labelTaken(taken: string[]): BackupError {
  const list = taken.map((l) => `“${l}”`).join(', ');
  return new BackupError(
    BackupErrorCode.LabelTaken,
    `The target token already has ${taken.length === 1 ? 'an object' : 'objects'} labelled ${list}. Restore into a freshly initialised token, or remove ${taken.length === 1 ? 'it' : 'them'} first. Nothing was written.`,
  );
}

/** restore.check-target — params { token, labels }, in the user's session: none of the bundle's labels is on the target. */
const checkTarget: ActionDefinition = {
  description: 'Checks that the target token has no object with a label from the bundle.',
  async run(ctx, params, inputs) {
    const labels = labelList(params);
    return withLoggedInSession(ctx, params, inputs, async (sessionKey) => {
      const taken = await takenLabels(ctx, sessionKey, labels);
      if (taken.length > 0) throw labelTaken(taken);
      return { publicResult: { token: tokenOf(ctx, params) as unknown as JsonObject, labelsFree: labels } };
    });
  },
};

/** Every check that needs the rebuilt KEK, before the token is touched: same bundle, authentic manifest, right KEK. */
function checkWithKek(bundle: ReadBundle, kek: Uint8Array, expectedManifestSha256: string): void {
  if (bundle.manifestSha256 !== expectedManifestSha256) {
    throw new BackupError(
      BackupErrorCode.ManifestTampered,
      'The bundle’s manifest changed since it was read at the start of this ceremony. Nothing was restored; start again.',
    );
  }
  if (!matchesCheckValue(kek, bundle.manifest.keyEncryptionKeyCheckValue as CheckValue)) {
    throw new BackupError(
      BackupErrorCode.ManifestTampered,
      'The rebuilt key-encryption key does not have the check value the manifest records: the manifest was altered, or it does not belong to these shares. Nothing was restored.',
    );
  }
  if (!macMatches(kek, bundle.manifestBytes, bundle.macHex)) {
    throw new BackupError(
      BackupErrorCode.ManifestTampered,
      'The manifest’s authentication code does not match under the rebuilt key-encryption key: the manifest was altered after the backup, or it does not belong to these shares. Nothing was restored.',
    );
  }
}

/**
 * restore.unwrap-keys — params { token, bundle, manifestSha256 (from read-bundle), vaultKey (the rebuilt KEK) }, in
 * the user's session. Checks the manifest with the KEK and the labels again, then imports the KEK as a session key that
 * can only unwrap, unwraps every object with its recorded attributes and policy, destroys the KEK (token and memory),
 * and compares every restored key's public fingerprint with the manifest's.
 */
const unwrapKeysAction: ActionDefinition = {
  description: 'Unwraps every key of the bundle into the target token with its recorded policy, then proves each is the original.',
  async run(ctx, params, inputs) {
    const vaultKey = requireParam(params, 'vaultKey');
    const kek = vaultBytes(ctx, vaultKey, 'rebuilt key-encryption key');
    const bundle = await readBundle(resolve(requireParam(params, 'bundle')));
    try {
      checkWithKek(bundle, kek, requireParam(params, 'manifestSha256'));
    } catch (error) {
      vaultOf(ctx.services).drop(ctx.ceremonyId, vaultKey);
      throw error;
    }
    const { pkcs11 } = pkcs11Services(ctx);
    const { manifest } = bundle;
    return withLoggedInSession(ctx, params, inputs, async (sessionKey) => {
      const taken = await takenLabels(
        ctx,
        sessionKey,
        manifest.objects.map((o) => o.label),
      );
      if (taken.length > 0) throw labelTaken(taken);
      const kekLabel = `custodian-restore-kek-${randomBytes(6).toString('hex')}`;
      // the copy crosses to the device host (structured clone) and is zeroed here once sent, success or not
      const sent = kek.slice();
      try {
        await pkcs11.importKek(sessionKey, { label: kekLabel, value: sent, role: 'unwrapOnly' });
      } finally {
        sent.fill(0);
      }
      let restored;
      try {
        restored = await inBatches(
          manifest.objects.map((o, i) => wrappedKeyOf(o, bundle.blobs[i])),
          (batch) => pkcs11.unwrapKeys(sessionKey, { label: kekLabel, class: 'secretKey' }, batch),
          (done, total) => ctx.progress(done, total, 'keys restored'),
        );
      } finally {
        await pkcs11.destroyObject(sessionKey, { label: kekLabel, class: 'secretKey' }).catch(() => undefined);
        vaultOf(ctx.services).drop(ctx.ceremonyId, vaultKey); // the KEK, zeroed in memory
      }
      const results: JsonObject[] = [];
      for (const entry of manifest.objects) {
        const got = restored.find((r) => r.label === entry.label);
        const expected = entry.publicKeyFingerprint ?? null;
        const actual = got?.fingerprint ?? null;
        if (!got || (expected !== null && (actual !== expected || got.proven !== true))) {
          throw new BackupError(
            BackupErrorCode.FingerprintMismatch,
            `The restored key “${entry.label}” does not match the public key fingerprint the manifest records. Do not use it; stop the ceremony.`,
          );
        }
        results.push({
          label: entry.label,
          class: entry.class,
          keyType: entry.keyType,
          policy: entry.policy,
          publicKeyFingerprint: actual,
          fingerprintMatches: expected !== null ? true : null,
          signatureProof: got.proven ?? null,
        });
      }
      return { publicResult: { token: tokenOf(ctx, params) as unknown as JsonObject, restored: results, keyEncryptionKeyDestroyed: true } };
    });
  },
};

export const restoreActions: Record<string, ActionDefinition> = {
  'restore.read-bundle': readBundleAction,
  'restore.check-target': checkTarget,
  'restore.unwrap-keys': unwrapKeysAction,
};
