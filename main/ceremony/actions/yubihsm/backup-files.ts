import { createDecipheriv, createECDH, createHash, createPublicKey } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { verifyJournalFile } from '../../../journal';
import type { JsonObject } from '../registry';
import { capabilityList, domainList } from './capabilities';
import { objectTypeName } from './describe';
import { YubiHsmCeremonyError, YubiHsmCeremonyErrorCode } from '../../../errors';

/**
 * The wrapped backups a yubihsm-restore brings back: Custodian's (`*.wrapped`, the raw EXPORT_WRAPPED bytes, with
 * the setup's manifest) and Yubico's (`*.yhw`, the same bytes in base64, as yubihsm-setup and yubihsm-manager write
 * them). And the one check a rebuilt wrap key must pass before it reaches a device: it opens every backup (AES-CCM,
 * PROTOCOL.md §5), whose 59-byte header then says what each one holds — public facts; the key material in the body is
 * zeroed at once (only an authentication key's delegated capabilities, its first 8 bytes, are read).
 */

export interface BackupFile {
  file: string;
  sha256: string;
  bytes: Uint8Array;
}

export const sha256Hex = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

export async function readBackupFiles(folder: string): Promise<BackupFile[]> {
  const dir = resolve(folder);
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.wrapped') || n.endsWith('.yhw')).sort();
  } catch {
    throw new YubiHsmCeremonyError(
      YubiHsmCeremonyErrorCode.BackupsUnreadable,
      `The backup folder ${dir} cannot be read. Name the folder that holds the wrapped backups.`,
    );
  }
  if (names.length === 0) {
    throw new YubiHsmCeremonyError(
      YubiHsmCeremonyErrorCode.BackupsUnreadable,
      `The folder ${dir} holds no wrapped backup (no .wrapped file from Custodian, no .yhw file from Yubico's tools).`,
    );
  }
  const files: BackupFile[] = [];
  for (const name of names) {
    const raw = new Uint8Array(await readFile(join(dir, name)));
    let bytes = raw;
    if (name.endsWith('.yhw')) {
      const text = Buffer.from(raw).toString('latin1').replace(/\s+/g, '');
      if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text))
        throw new YubiHsmCeremonyError(YubiHsmCeremonyErrorCode.BackupsUnreadable, `${name} is not base64 text as Yubico's tools write a wrapped object.`);
      bytes = new Uint8Array(Buffer.from(text, 'base64'));
    }
    files.push({ file: name, sha256: sha256Hex(raw), bytes });
  }
  return files;
}

/** A setup journal whose chain verifies, as its events. */
export async function verifiedJournalEvents(path: string): Promise<Array<{ type: string; data: JsonObject }>> {
  const full = resolve(path);
  const verified = await verifyJournalFile(full).catch(() => null);
  if (!verified || !verified.ok) {
    throw new YubiHsmCeremonyError(
      YubiHsmCeremonyErrorCode.SetupJournalMismatch,
      `The setup journal ${full} is missing or damaged (its hash chain does not verify), so it cannot vouch for the backups.`,
    );
  }
  return (await readFile(full, 'utf8'))
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { type: string; data: JsonObject });
}

/** What a wrapped backup holds, read from its header with the rebuilt wrap key. */
export interface WrappedContents {
  file: string;
  id: number;
  type: number;
  algorithm: number;
  label: string;
  capabilities: bigint;
  delegatedCapabilities: bigint;
  domains: number;
  sequence: number;
  origin: number;
  /** an EC key's public key, computed from the private key in the backup: SHA-256 of its SubjectPublicKeyInfo */
  derivedPublicKeyFingerprint?: string;
}

/** Node's names of the curves of YubiHSM EC algorithms (12 P-256, 13 P-384, 14 P-521, 15 secp256k1). */
const EC_CURVES: Record<number, { curve: string; jwk: string; bytes: number }> = {
  12: { curve: 'prime256v1', jwk: 'P-256', bytes: 32 },
  13: { curve: 'secp384r1', jwk: 'P-384', bytes: 48 },
  14: { curve: 'secp521r1', jwk: 'P-521', bytes: 66 },
  15: { curve: 'secp256k1', jwk: 'secp256k1', bytes: 32 },
};

/** The public key of an EC private key d (bytes, never a string), as the SPKI fingerprint. */
function ecPublicKeyFingerprint(algorithm: number, d: Uint8Array): string | undefined {
  const curve = EC_CURVES[algorithm];
  if (!curve || d.length !== curve.bytes) return undefined;
  const ecdh = createECDH(curve.curve);
  ecdh.setPrivateKey(d);
  const point = ecdh.getPublicKey();
  const b64url = (bytes: Buffer) => bytes.toString('base64url');
  const spki = createPublicKey({
    key: { kty: 'EC', crv: curve.jwk, x: b64url(point.subarray(1, 1 + curve.bytes)), y: b64url(point.subarray(1 + curve.bytes)) },
    format: 'jwk',
  }).export({ format: 'der', type: 'spki' });
  return sha256Hex(new Uint8Array(spki));
}

const NONCE = 13;
const TAG = 16;
const HEADER = 59;

function ccm(key: Uint8Array): 'aes-128-ccm' | 'aes-192-ccm' | 'aes-256-ccm' | undefined {
  return key.length === 16 ? 'aes-128-ccm' : key.length === 24 ? 'aes-192-ccm' : key.length === 32 ? 'aes-256-ccm' : undefined;
}

/** The header of a wrapped object, or undefined when the key does not open it (the CCM tag does not verify). */
export function openBackup(key: Uint8Array, backup: BackupFile): WrappedContents | undefined {
  const name = ccm(key);
  const blob = backup.bytes;
  if (!name || blob.length < NONCE + TAG + HEADER) return undefined;
  let plain: Buffer;
  try {
    const decipher = createDecipheriv(name, key, blob.subarray(0, NONCE), { authTagLength: TAG });
    decipher.setAuthTag(blob.subarray(blob.length - TAG));
    const ct = blob.subarray(NONCE, blob.length - TAG);
    decipher.setAAD(new Uint8Array(0), { plaintextLength: ct.length });
    plain = Buffer.concat([decipher.update(ct), decipher.final()]);
  } catch {
    return undefined;
  }
  try {
    // wrap algorithm(1) capabilities(8) id(2) length(2) domains(2) type(1) algorithm(1) sequence(1) origin(1) label(40)
    const type = plain[15];
    const labelBytes = plain.subarray(19, 59);
    const end = labelBytes.indexOf(0);
    const carriesDelegated = type === 2 || type === 4; // authentication and wrap keys: delegated capabilities lead the body
    return {
      file: backup.file,
      capabilities: plain.readBigUInt64BE(1),
      id: plain.readUInt16BE(9),
      domains: plain.readUInt16BE(13),
      type,
      algorithm: plain[16],
      sequence: plain[17],
      origin: plain[18],
      label: labelBytes.subarray(0, end < 0 ? 40 : end).toString('utf8'),
      delegatedCapabilities: carriesDelegated && plain.length >= HEADER + 8 ? plain.readBigUInt64BE(HEADER) : 0n,
      ...(type === 3 ? { derivedPublicKeyFingerprint: ecPublicKeyFingerprint(plain[16], plain.subarray(HEADER, HEADER + plain.readUInt16BE(11))) } : {}),
    };
  } finally {
    plain.fill(0);
  }
}

/** Opens every backup with the key, or names the first it does not open. */
export function openAll(key: Uint8Array, backups: BackupFile[]): { contents: WrappedContents[]; notOpened?: string } {
  const contents: WrappedContents[] = [];
  for (const b of backups) {
    const c = openBackup(key, b);
    if (!c) return { contents, notOpened: b.file };
    contents.push(c);
  }
  return { contents };
}

export function contentsFacts(c: WrappedContents): JsonObject {
  return {
    file: c.file,
    id: c.id,
    type: objectTypeName(c.type),
    algorithm: c.algorithm,
    label: c.label,
    capabilities: capabilityList(c.capabilities),
    delegatedCapabilities: capabilityList(c.delegatedCapabilities),
    domains: domainList(c.domains),
    sequence: c.sequence,
    origin: c.origin,
    ...(c.derivedPublicKeyFingerprint ? { publicKeyFingerprintFromBackup: c.derivedPublicKeyFingerprint } : {}),
  };
}
