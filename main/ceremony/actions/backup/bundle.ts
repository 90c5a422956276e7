import { createHash, createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { OutputsWriter } from '../../engine/outputs';
import { join } from 'node:path';
import { z } from 'zod';
import type { WrappedKey } from '../../../devices';
import { BackupError, BackupErrorCode } from '../../../errors';

/**
 * The backup bundle: a folder with manifest.json, one file per wrapped key, and manifest.json.hmac.
 *
 * manifest.json names everything needed to restore (format version, ceremony, share set, KEK check value, and per
 * object its label, id, class, key type, attribute policy, public key and fingerprint, and its blob's SHA-256). Its
 * SHA-256 is "the bundle hash" the journal records: every blob is pinned by its hash inside it.
 *
 * manifest.json.hmac authenticates the manifest under a key derived from the KEK, so a restore without the backup
 * journal still detects an altered manifest (say, a policy flipped to extractable) once the shares rebuild the KEK
 * — before anything is written to the target token.
 */

export const BUNDLE_FORMAT = 'custodian-backup-bundle';
export const BUNDLE_FORMAT_VERSION = 1;
export const MANIFEST_FILE = 'manifest.json';
export const MANIFEST_MAC_FILE = 'manifest.json.hmac';
export const WRAP_MECHANISM_NAME = 'CKM_AES_KEY_WRAP_PAD';
const MAC_KEY_INFO = 'custodian backup manifest mac v1';

/** CKK names for the key types a backup carries (the numbers are PKCS#11's). */
const KEY_TYPE_NAMES: Record<number, string> = { 0x0: 'CKK_RSA', 0x3: 'CKK_EC', 0x1f: 'CKK_AES', 0x40: 'CKK_EC_EDWARDS' };
export function keyTypeName(keyType: number): string {
  return KEY_TYPE_NAMES[keyType] ?? `0x${keyType.toString(16)}`;
}

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const ManifestObjectSchema = z.strictObject({
  label: z.string().min(1),
  id: z.string().regex(/^([0-9a-f]{2})*$/),
  class: z.enum(['privateKey', 'secretKey']),
  keyType: z.string(),
  keyTypeCode: z.number().int().min(0),
  policy: z.enum(['signing', 'backupable']).nullable(),
  attributes: z.record(z.string().regex(/^CKA_[A-Z_]+$/), z.boolean()),
  valueLen: z.number().int().positive().optional(),
  publicKeySpki: z.string().optional(),
  publicKeyFingerprint: hex64.optional(),
  blob: z.string().regex(/^[a-z0-9][a-z0-9._-]*\.wrapped$/),
  blobSha256: hex64,
});

const CheckValueSchema = z.strictObject({ method: z.enum(['AES-KCV', 'HMAC-SHA256-V1']), value: z.string().regex(/^[0-9a-f]+$/) });

export const ManifestSchema = z.strictObject({
  format: z.literal(BUNDLE_FORMAT),
  formatVersion: z.literal(BUNDLE_FORMAT_VERSION),
  ceremonyId: z.string().min(1),
  createdAt: z.string(),
  rehearsal: z.boolean(),
  sourceToken: z.strictObject({ label: z.string(), serial: z.string().optional() }),
  wrapMechanism: z.literal(WRAP_MECHANISM_NAME),
  keyEncryptionKeyCheckValue: CheckValueSchema,
  shareSet: z.strictObject({
    formatVersion: z.number().int(),
    setId: z.string(),
    n: z.number().int().min(2),
    m: z.number().int().min(2),
    secretLength: z.number().int(),
    checkValue: CheckValueSchema,
    commitments: z.array(z.strictObject({ index: z.number().int().min(1), commitment: hex64 })).min(2),
  }),
  objects: z.array(ManifestObjectSchema).min(1),
});

export type Manifest = z.output<typeof ManifestSchema>;
export type ManifestObject = z.output<typeof ManifestObjectSchema>;

export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A file name for a wrapped key: its position and a tame form of its label (labels may hold anything). */
export function blobFileName(position: number, label: string): string {
  const tame =
    label
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'key';
  return `${String(position + 1).padStart(3, '0')}-${tame}.wrapped`;
}

export function manifestObjectOf(wrapped: WrappedKey, position: number): ManifestObject {
  return {
    label: wrapped.label,
    id: wrapped.id,
    class: wrapped.class,
    keyType: keyTypeName(wrapped.keyType),
    keyTypeCode: wrapped.keyType,
    policy: wrapped.policy,
    attributes: { ...wrapped.attributes },
    ...(wrapped.valueLen !== undefined ? { valueLen: wrapped.valueLen } : {}),
    ...(wrapped.publicKeySpki ? { publicKeySpki: Buffer.from(wrapped.publicKeySpki).toString('base64') } : {}),
    ...(wrapped.fingerprint ? { publicKeyFingerprint: wrapped.fingerprint } : {}),
    blob: blobFileName(position, wrapped.label),
    blobSha256: sha256Hex(wrapped.wrapped),
  };
}

/** What the unwrap call needs for one object: the manifest entry with its blob. */
export function wrappedKeyOf(entry: ManifestObject, blob: Uint8Array): WrappedKey {
  return {
    label: entry.label,
    id: entry.id,
    class: entry.class,
    keyType: entry.keyTypeCode,
    policy: entry.policy,
    attributes: { ...entry.attributes },
    ...(entry.valueLen !== undefined ? { valueLen: entry.valueLen } : {}),
    ...(entry.publicKeySpki ? { publicKeySpki: new Uint8Array(Buffer.from(entry.publicKeySpki, 'base64')) } : {}),
    ...(entry.publicKeyFingerprint ? { fingerprint: entry.publicKeyFingerprint } : {}),
    wrapped: blob,
  };
}

/** The manifest's authentication code: HMAC-SHA256 under a key derived from the KEK (HKDF-SHA256), as hex. */
export function manifestMac(kek: Uint8Array, manifestBytes: Uint8Array): string {
  const macKey = Buffer.from(hkdfSync('sha256', kek, new Uint8Array(0), MAC_KEY_INFO, 32));
  try {
    return createHmac('sha256', macKey).update(manifestBytes).digest('hex');
  } finally {
    macKey.fill(0);
  }
}

export function macMatches(kek: Uint8Array, manifestBytes: Uint8Array, recordedHex: string): boolean {
  const expected = Buffer.from(manifestMac(kek, manifestBytes), 'hex');
  const recorded = Buffer.from(recordedHex.trim().toLowerCase(), 'hex');
  return recorded.length === expected.length && timingSafeEqual(recorded, expected);
}

/** What the journal records of a bundled key: the manifest's public facts, never the wrapped bytes. */
export function journalRecordOf(o: ManifestObject) {
  return { label: o.label, class: o.class, keyType: o.keyType, policy: o.policy, publicKeyFingerprint: o.publicKeyFingerprint ?? null };
}

export interface WrittenFile {
  name: string;
  sha256: string;
  size: number;
}

/**
 * Writes the bundle through the ceremony's outputs writer (owner-only files, created exclusively, fsync'ed) into a
 * folder of outputs that must not exist yet: a bundle is never overwritten.
 */
export async function writeBundle(
  outputs: OutputsWriter,
  bundleDir: string,
  manifest: Manifest,
  blobs: Uint8Array[],
  kek: Uint8Array,
): Promise<{ manifestSha256: string; files: WrittenFile[] }> {
  if (existsSync(join(outputs.dir, bundleDir))) {
    throw new BackupError(BackupErrorCode.BundleUnreadable, `The bundle folder ${join(outputs.dir, bundleDir)} already exists; a bundle is never overwritten.`);
  }
  const files: WrittenFile[] = [];
  for (const [position, entry] of manifest.objects.entries()) {
    await outputs.write(`${bundleDir}/${entry.blob}`, blobs[position]);
    files.push({ name: entry.blob, sha256: entry.blobSha256, size: blobs[position].length });
  }
  const manifestBytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8');
  await outputs.write(`${bundleDir}/${MANIFEST_FILE}`, manifestBytes);
  const manifestSha256 = sha256Hex(manifestBytes);
  files.push({ name: MANIFEST_FILE, sha256: manifestSha256, size: manifestBytes.length });
  const mac = `${manifestMac(kek, manifestBytes)}\n`;
  await outputs.write(`${bundleDir}/${MANIFEST_MAC_FILE}`, mac);
  files.push({ name: MANIFEST_MAC_FILE, sha256: sha256Hex(mac), size: mac.length });
  return { manifestSha256, files };
}

export interface ReadBundle {
  dir: string;
  manifest: Manifest;
  manifestBytes: Uint8Array;
  manifestSha256: string;
  macHex: string;
  blobs: Uint8Array[];
}

/**
 * Reads a bundle and checks what can be checked without the KEK: the manifest's format, and every blob's SHA-256
 * against the manifest. The manifest itself is checked against the backup journal (by the caller) and against its
 * authentication code once the KEK is rebuilt.
 */
export async function readBundle(dir: string): Promise<ReadBundle> {
  let manifestBytes: Buffer;
  let macHex: string;
  try {
    manifestBytes = await readFile(join(dir, MANIFEST_FILE));
    macHex = (await readFile(join(dir, MANIFEST_MAC_FILE), 'utf8')).trim();
  } catch {
    throw new BackupError(
      BackupErrorCode.BundleUnreadable,
      `No backup bundle in ${dir}: it needs ${MANIFEST_FILE} and ${MANIFEST_MAC_FILE}. Choose the bundle folder the backup ceremony wrote.`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(manifestBytes.toString('utf8'));
  } catch {
    throw new BackupError(BackupErrorCode.ManifestTampered, `${MANIFEST_FILE} in ${dir} is not valid JSON: it was damaged or altered after the backup.`);
  }
  const result = ManifestSchema.safeParse(parsed);
  if (!result.success) {
    const where = result.error.issues
      .map((i) => i.path.join('.') || 'the manifest')
      .slice(0, 3)
      .join(', ');
    throw new BackupError(
      BackupErrorCode.ManifestTampered,
      `${MANIFEST_FILE} does not follow the bundle format (at ${where}): it was damaged or altered after the backup.`,
    );
  }
  const manifest = result.data;
  const labels = manifest.objects.map((o) => o.label);
  if (new Set(labels).size !== labels.length)
    throw new BackupError(BackupErrorCode.ManifestTampered, 'The manifest lists a label twice: it was altered after the backup.');
  const blobs: Uint8Array[] = [];
  for (const entry of manifest.objects) {
    let blob: Buffer;
    try {
      blob = await readFile(join(dir, entry.blob));
    } catch {
      throw new BackupError(BackupErrorCode.BundleUnreadable, `The wrapped key file ${entry.blob} (key “${entry.label}”) is missing from the bundle.`);
    }
    if (sha256Hex(blob) !== entry.blobSha256) {
      throw new BackupError(
        BackupErrorCode.BlobTampered,
        `The wrapped key file ${entry.blob} (key “${entry.label}”) is not the one the manifest records (SHA-256 differs): it was damaged or altered. Nothing was restored.`,
      );
    }
    blobs.push(new Uint8Array(blob));
  }
  return { dir, manifest, manifestBytes: new Uint8Array(manifestBytes), manifestSha256: sha256Hex(manifestBytes), macHex, blobs };
}
