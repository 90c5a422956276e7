import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { ActionDefinition, JsonObject } from '../registry';
import { readBackupFiles, sha256Hex, verifiedJournalEvents, type BackupFile } from './backup-files';
import { misconfigured, YubiHsmCeremonyError, YubiHsmCeremonyErrorCode } from '../../../errors';

const MANIFEST = /^yubihsm-\d+-backup-manifest\.json$/;

interface ManifestObject {
  file: string;
  sha256: string;
  objectId: number;
  objectType: string;
  publicKeyFingerprint?: string;
}

interface Manifest {
  format: string;
  wrapKeyId: number;
  wrapKey?: JsonObject;
  shareSetId: string | null;
  wrapKeyCheckValue: string | null;
  objects: ManifestObject[];
}

async function manifestIn(dir: string): Promise<{ name: string; sha256: string; manifest: Manifest } | undefined> {
  const name = (await readdir(dir)).find((n) => MANIFEST.test(n));
  if (!name) return undefined;
  const text = await readFile(join(dir, name));
  let manifest: Manifest;
  try {
    manifest = JSON.parse(text.toString('utf8')) as Manifest;
  } catch {
    throw new YubiHsmCeremonyError(YubiHsmCeremonyErrorCode.BackupTampered, `${name} is not the JSON manifest a YubiHSM setup writes.`);
  }
  if (manifest.format !== 'custodian-yubihsm-wrapped-backup/1' || !Array.isArray(manifest.objects))
    throw new YubiHsmCeremonyError(YubiHsmCeremonyErrorCode.BackupTampered, `${name} is not a manifest of format custodian-yubihsm-wrapped-backup/1.`);
  return { name, sha256: sha256Hex(new Uint8Array(text)), manifest };
}

/** Every file the manifest names is there with its recorded SHA-256, and every backup in the folder is named. */
function checkAgainstManifest(files: BackupFile[], manifest: Manifest, manifestName: string): void {
  for (const o of manifest.objects) {
    const f = files.find((x) => x.file === o.file);
    if (!f) throw new YubiHsmCeremonyError(YubiHsmCeremonyErrorCode.BackupsUnreadable, `${o.file}, which ${manifestName} lists, is not in the backup folder.`);
    if (f.sha256 !== o.sha256)
      throw new YubiHsmCeremonyError(
        YubiHsmCeremonyErrorCode.BackupTampered,
        `${o.file} is not the backup the setup wrote (its SHA-256 differs from the manifest's). Do not restore from this folder: find the untouched copy.`,
      );
  }
  const extra = files.filter((f) => !manifest.objects.some((o) => o.file === f.file));
  if (extra.length)
    throw new YubiHsmCeremonyError(
      YubiHsmCeremonyErrorCode.BackupTampered,
      `The backup folder holds ${extra.map((f) => f.file).join(', ')}, which the setup's manifest does not list. Remove ${extra.length === 1 ? 'it' : 'them'} or choose the setup's own folder.`,
    );
}

/** What the setup journal recorded: the manifest hash, the share set, the wrap key as stored. */
async function setupRecord(path: string): Promise<{ manifestSha256: string[]; shareSet?: JsonObject; wrapKey?: JsonObject }> {
  const events = await verifiedJournalEvents(path);
  const completed = events.filter((e) => e.type === 'step.completed').map((e) => e.data.result as JsonObject | undefined);
  const manifestSha256 = completed.map((r) => r?.manifestSha256).filter((v): v is string => typeof v === 'string');
  if (!manifestSha256.length)
    throw new YubiHsmCeremonyError(
      YubiHsmCeremonyErrorCode.SetupJournalMismatch,
      'The journal given records no YubiHSM backup: choose the journal of the yubihsm-setup ceremony that wrote these backups.',
    );
  const shareSet = completed.map((r) => r?.shareSet).find((v) => v && typeof v === 'object') as JsonObject | undefined;
  const putWrap = completed.find((r) => typeof r?.wrapKeyId === 'number' && r?.algorithm === 'aes256-ccm-wrap' && Array.isArray(r?.capabilities));
  return { manifestSha256, shareSet, wrapKey: putWrap ? { ...putWrap, id: putWrap.wrapKeyId } : undefined };
}

function checkValueOf(text: string | null): JsonObject | undefined {
  const m = /^(AES-KCV|HMAC-SHA256-V1)\s+([0-9a-f]+)$/i.exec(text ?? '');
  return m ? { method: m[1].toUpperCase(), value: m[2].toLowerCase() } : undefined;
}

/**
 * yubihsm.read-backups — the wrapped backups a restore brings back, checked before any share is typed: every file of
 * Custodian's setup against its manifest (SHA-256), the manifest against the setup's journal when it is given (its
 * chain verified), and from them the share set the cards must belong to (set id, M of N, check value, commitments),
 * the wrap key's capabilities, delegated capabilities and domains as the setup stored it, and each asymmetric key's
 * public-key fingerprint. Yubico's .yhw files carry no manifest: their record is in the shares themselves.
 * params { backups: folder, setupJournal?, shareFormat: custodian | yubico, custodians, threshold }
 */
export const readBackups: ActionDefinition = {
  description: 'Reads the wrapped backups and checks them against the setup’s manifest and journal.',
  async run(_ctx, params) {
    const folder = typeof params.backups === 'string' ? params.backups.trim() : '';
    if (!folder) throw misconfigured('"backups" names the folder of wrapped backups (the setup ceremony’s outputs).');
    const dir = resolve(folder);
    const format = params.shareFormat === 'yubico' ? 'yubico' : 'custodian';
    const files = await readBackupFiles(dir);
    const found = await manifestIn(dir);
    if (found) checkAgainstManifest(files, found.manifest, found.name);
    const journal = typeof params.setupJournal === 'string' && params.setupJournal.trim() ? resolve(params.setupJournal.trim()) : null;
    const record = journal ? await setupRecord(journal) : undefined;
    if (record && (!found || !record.manifestSha256.includes(found.sha256))) {
      throw new YubiHsmCeremonyError(
        YubiHsmCeremonyErrorCode.BackupTampered,
        found
          ? `The manifest ${found.name} is not the one the setup journal records: it was altered after the setup, or the folder and the journal are from different setups.`
          : 'The setup journal records a manifest, but the backup folder has none: choose the setup ceremony’s own outputs folder.',
      );
    }
    const manifest = found?.manifest;
    let shareSet: JsonObject | undefined;
    if (format === 'custodian') {
      shareSet = record?.shareSet;
      if (!shareSet && manifest?.shareSetId && checkValueOf(manifest.wrapKeyCheckValue)) {
        shareSet = {
          setId: manifest.shareSetId,
          n: params.custodians as number,
          m: params.threshold as number,
          checkValue: checkValueOf(manifest.wrapKeyCheckValue)!,
        };
      }
      if (!shareSet)
        throw new YubiHsmCeremonyError(
          YubiHsmCeremonyErrorCode.SetupJournalMismatch,
          'These backups name no Custodian share set (no setup journal given, and no manifest with a set id and check value). Give the yubihsm-setup journal, or restore with shareFormat "yubico" for shares made by Yubico’s tools.',
        );
      if (shareSet.m !== params.threshold || shareSet.n !== params.custodians) {
        throw new YubiHsmCeremonyError(
          YubiHsmCeremonyErrorCode.ThresholdMismatch,
          `The wrap key of these backups is rebuilt by any ${String(shareSet.m)} of ${String(shareSet.n)} shares, but this ceremony was prepared for ${String(params.threshold)} of ${String(params.custodians)}. Prepare the restore again with those numbers.`,
        );
      }
    }
    return {
      publicResult: {
        backups: dir,
        files: files.map((f) => ({ file: f.file, sha256: f.sha256 })),
        fileCount: files.length,
        manifest: found?.name ?? null,
        manifestSha256: found?.sha256 ?? null,
        setupJournalChecked: journal !== null,
        shareFormat: format,
        ...(shareSet ? { shareSet, setId: shareSet.setId as string } : {}),
        wrapKey: (manifest?.wrapKey ?? record?.wrapKey ?? null) as JsonObject | null,
        fingerprints: (manifest?.objects ?? [])
          .filter((o) => typeof o.publicKeyFingerprint === 'string')
          .map((o) => ({ file: o.file, objectId: o.objectId, publicKeyFingerprint: o.publicKeyFingerprint! })),
      },
    };
  },
};
