import { createPublicKey, randomBytes, verify } from 'node:crypto';
import { parseYubicoWrapKeyRecord } from '../../../shares';
import { YUBIHSM_OBJECT } from '../../../devices';
import type { ActionContext, ActionDefinition, JsonObject } from '../registry';
import { vaultBytes } from '../backup/shares';
import { contentsFacts, openAll, readBackupFiles, sha256Hex, type WrappedContents } from './backup-files';
import { capabilityMask, parseDomains, type CapabilityName } from './capabilities';
import { objectFacts } from './describe';
import { deviceOf, integerParam, sessionNamed, translateHostError, yubihsmClient } from './device';
import { misconfigured, YubiHsmCeremonyError, YubiHsmCeremonyErrorCode } from '../../../errors';
import { typedPassword } from './passwords';
import { WRAP_KEY_DESIGN } from './roles';

const WRAP_ALGORITHM_BY_KEY_BYTES: Record<number, number> = { 16: 29, 24: 41, 32: 42 }; // aes128/192/256-ccm-wrap

interface RestoredWrapKey {
  id: number;
  label: string;
  domains: number;
  capabilities: bigint;
  delegatedCapabilities: bigint;
  key: Uint8Array;
}

function names(value: unknown): CapabilityName[] {
  return Array.isArray(value) ? (value.filter((v) => typeof v === 'string') as CapabilityName[]) : [];
}

/** The wrap key to store: Yubico's record as rebuilt, or Custodian's key with what the setup recorded of it. */
function wrapKeyToStore(ctx: ActionContext, params: JsonObject): RestoredWrapKey {
  const held = vaultBytes(ctx, typeof params.vaultKey === 'string' ? params.vaultKey : '', 'rebuilt wrap key');
  if (params.shareFormat === 'yubico') {
    const record = parseYubicoWrapKeyRecord(held);
    if (!record) throw misconfigured('the rebuilt Yubico record is not a wrap-key record.');
    return { ...record, label: 'Wrap key' }; // the label yubihsm-setup's restore gives it: shares carry none
  }
  const recorded = (params.wrapKey && typeof params.wrapKey === 'object' ? params.wrapKey : {}) as JsonObject;
  const domains = Array.isArray(recorded.domains) ? parseDomains(recorded.domains.join(',')) : parseDomains(String(params.domains ?? '1'));
  if (domains === undefined) throw misconfigured('the wrap key’s recorded domains are not domain numbers.');
  return {
    id: typeof recorded.id === 'number' ? recorded.id : integerParam(params, 'wrapKeyId', 0),
    label: typeof recorded.label === 'string' ? recorded.label : WRAP_KEY_DESIGN.label,
    domains,
    capabilities: recorded.capabilities ? capabilityMask(...names(recorded.capabilities)) : capabilityMask(...WRAP_KEY_DESIGN.capabilities),
    delegatedCapabilities: recorded.delegatedCapabilities
      ? capabilityMask(...names(recorded.delegatedCapabilities))
      : capabilityMask(...WRAP_KEY_DESIGN.delegated),
    key: held.slice(),
  };
}

/**
 * yubihsm.put-restored-wrap-key — the rebuilt wrap key onto the factory-state device with the id, capabilities,
 * delegated capabilities and domains recorded at setup (params.wrapKey from yubihsm.read-backups) or carried by
 * Yubico's record — after proving, off the device, that it opens every backup in params.backups; read back.
 * Result: what each backup holds (its authenticated header). params { session, vaultKey, backups, shareFormat, wrapKey? }
 */
export const putRestoredWrapKey: ActionDefinition = {
  description: 'Stores the rebuilt wrap key with its recorded capabilities, after proving it opens every backup.',
  async run(ctx, params) {
    const handle = sessionNamed(ctx, params);
    const wrap = wrapKeyToStore(ctx, params);
    try {
      const backups = await readBackupFiles(String(params.backups ?? ''));
      const opened = openAll(wrap.key, backups);
      if (opened.notOpened)
        throw new YubiHsmCeremonyError(
          YubiHsmCeremonyErrorCode.RestoredObjectMismatch,
          `The rebuilt wrap key does not open ${opened.notOpened}: these backups were not made under it. Nothing was put on the YubiHSM.`,
        );
      const algorithm = WRAP_ALGORITHM_BY_KEY_BYTES[wrap.key.length];
      const asked = {
        id: wrap.id,
        label: wrap.label,
        domains: wrap.domains,
        capabilities: wrap.capabilities,
        delegatedCapabilities: wrap.delegatedCapabilities,
        algorithm,
      };
      const client = yubihsmClient(ctx);
      const { id } = await client.putWrapKey(handle.sessionKey, asked, wrap.key.slice());
      const info = await client.objectInfo(handle.sessionKey, id, YUBIHSM_OBJECT.WRAP_KEY);
      if (
        id !== wrap.id ||
        info.capabilities !== asked.capabilities ||
        info.delegatedCapabilities !== asked.delegatedCapabilities ||
        info.domains !== asked.domains
      ) {
        throw new YubiHsmCeremonyError(YubiHsmCeremonyErrorCode.ReadBackMismatch, `The YubiHSM stored wrap key ${id} otherwise than recorded at setup.`);
      }
      return { publicResult: { wrapKeyId: id, ...objectFacts(info), backupsOpened: backups.length, contents: opened.contents.map(contentsFacts) } };
    } catch (error) {
      return translateHostError(error);
    } finally {
      wrap.key.fill(0);
    }
  },
};

function header(facts: JsonObject): WrappedContents {
  return {
    file: String(facts.file),
    id: Number(facts.id),
    type: { 'authentication-key': 2, 'asymmetric-key': 3, 'wrap-key': 4, opaque: 1 }[String(facts.type)] ?? -1,
    algorithm: Number(facts.algorithm),
    label: String(facts.label),
    capabilities: capabilityMask(...names(facts.capabilities)),
    delegatedCapabilities: capabilityMask(...names(facts.delegatedCapabilities)),
    domains: Array.isArray(facts.domains) ? (parseDomains(facts.domains.join(',')) ?? 0) : 0xffff,
    sequence: Number(facts.sequence),
    origin: Number(facts.origin),
    derivedPublicKeyFingerprint: typeof facts.publicKeyFingerprintFromBackup === 'string' ? facts.publicKeyFingerprintFromBackup : undefined,
  };
}

/** Signs a fresh challenge with the restored key on the device and verifies it with the public key read back. */
async function signsAndVerifies(ctx: ActionContext, sessionKey: string, id: number, spki: Uint8Array, capabilities: bigint): Promise<string> {
  const key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  const challenge = randomBytes(32);
  const digest = new Uint8Array(Buffer.from(sha256Hex(challenge), 'hex'));
  const client = yubihsmClient(ctx);
  const can = (name: CapabilityName) => (capabilities & capabilityMask(name)) !== 0n;
  if (key.asymmetricKeyType === 'ec' && can('sign-ecdsa')) {
    const sig = await client.sign(sessionKey, id, 'ecdsa', digest);
    return verify('sha256', challenge, { key, dsaEncoding: 'ieee-p1363' }, sig) ? 'ECDSA signature verified' : 'failed';
  }
  if (key.asymmetricKeyType === 'rsa' && can('sign-pkcs')) {
    return verify('sha256', challenge, key, await client.sign(sessionKey, id, 'pkcs1', digest)) ? 'PKCS#1 v1.5 signature verified' : 'failed';
  }
  if (key.asymmetricKeyType === 'ed25519' && can('sign-eddsa')) {
    return verify(null, challenge, key, await client.sign(sessionKey, id, 'eddsa', new Uint8Array(challenge))) ? 'EdDSA signature verified' : 'failed';
  }
  return 'not tried: the key may not sign';
}

/**
 * yubihsm.import-backups — IMPORT_WRAPPED of every backup in params.backups under the restored wrap key, each proven
 * to be the object backed up: the device names the id and type the backup's header holds, and GET_OBJECT_INFO gives
 * its label, capabilities, delegated capabilities, domains and algorithm; an asymmetric key's public key has the
 * fingerprint the setup recorded (params.fingerprints) and a fresh signature by it verifies.
 * params { session, wrapKeyId, backups, contents (put-restored-wrap-key's), fingerprints? }
 */
export const importBackups: ActionDefinition = {
  description: 'Imports every wrapped backup and proves each restored object is the one backed up.',
  async run(ctx, params) {
    const handle = sessionNamed(ctx, params);
    const wrapKeyId = integerParam(params, 'wrapKeyId');
    const contents = (Array.isArray(params.contents) ? params.contents : []).map((c) => header(c as JsonObject));
    const fingerprints = (Array.isArray(params.fingerprints) ? params.fingerprints : []) as Array<{ file?: string; publicKeyFingerprint?: string }>;
    const client = yubihsmClient(ctx);
    const restored: JsonObject[] = [];
    try {
      for (const backup of await readBackupFiles(String(params.backups ?? ''))) {
        const expected = contents.find((c) => c.file === backup.file);
        if (!expected) throw misconfigured(`${backup.file} was not opened by the wrap key step.`);
        const got = await client.importWrapped(handle.sessionKey, wrapKeyId, backup.bytes);
        const info = await client.objectInfo(handle.sessionKey, got.id, got.type);
        const differs = [
          got.id !== expected.id || got.type !== expected.type ? 'id or type' : '',
          info.label !== expected.label ? 'label' : '',
          info.capabilities !== expected.capabilities ? 'capabilities' : '',
          (expected.type === 2 || expected.type === 4) && info.delegatedCapabilities !== expected.delegatedCapabilities ? 'delegated capabilities' : '',
          info.domains !== expected.domains ? 'domains' : '',
          info.algorithm !== expected.algorithm ? 'algorithm' : '',
        ].filter(Boolean);
        if (differs.length)
          throw new YubiHsmCeremonyError(
            YubiHsmCeremonyErrorCode.RestoredObjectMismatch,
            `The object restored from ${backup.file} differs from the one backed up (${differs.join(', ')}). Stop and investigate.`,
          );
        const entry: JsonObject = { file: backup.file, ...objectFacts(info), sameAsBackedUp: true };
        if (got.type === YUBIHSM_OBJECT.ASYMMETRIC_KEY) {
          const { spki } = await client.publicKey(handle.sessionKey, got.id);
          const fingerprint = sha256Hex(spki);
          const recorded = fingerprints.find((f) => f.file === backup.file)?.publicKeyFingerprint;
          const derived = expected.derivedPublicKeyFingerprint;
          if ((recorded && recorded !== fingerprint) || (derived && derived !== fingerprint))
            throw new YubiHsmCeremonyError(
              YubiHsmCeremonyErrorCode.RestoredObjectMismatch,
              `The public key of the key restored from ${backup.file} is not the one ${recorded && recorded !== fingerprint ? 'the setup fingerprinted' : 'the backup’s private key gives'}. Stop and investigate.`,
            );
          const signature = await signsAndVerifies(ctx, handle.sessionKey, got.id, spki, info.capabilities);
          if (signature === 'failed')
            throw new YubiHsmCeremonyError(
              YubiHsmCeremonyErrorCode.RestoredObjectMismatch,
              `A signature by the key restored from ${backup.file} does not verify.`,
            );
          Object.assign(entry, {
            publicKeyFingerprint: fingerprint,
            fingerprintRecordedAtSetup: recorded ? 'matches' : 'none recorded',
            fingerprintFromBackup: derived ? 'matches' : 'not derived (EC keys only)',
            signature,
          });
        }
        restored.push(entry);
      }
    } catch (error) {
      return translateHostError(error);
    }
    return { publicResult: { restoredCount: restored.length, restored, wrapKeyId } };
  },
};

/**
 * yubihsm.prove-opens — a restored authentication key opens a session with the password its holder types (input
 * `password`). params { device?, keyId }
 */
export const proveOpens: ActionDefinition = {
  description: 'Proves that a restored authentication key opens a session with its password.',
  async run(ctx, params, inputs) {
    const keyId = integerParam(params, 'keyId');
    const proof = await yubihsmClient(ctx).proveSession(deviceOf(ctx, params), keyId, typedPassword(inputs, 'password', `password of key ${keyId}`).slice());
    if (!proof.ok)
      throw new YubiHsmCeremonyError(
        YubiHsmCeremonyErrorCode.KeyDoesNotOpenSession,
        `Key ${keyId} does not open a session: the YubiHSM said: ${proof.message}`,
      );
    return { publicResult: { keyId, opensSession: true } };
  },
};
