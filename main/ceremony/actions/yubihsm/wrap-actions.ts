import { createHash, randomBytes } from 'node:crypto';
import { YUBIHSM_ALGORITHM, YUBIHSM_OBJECT } from '../../../devices';
import type { ActionDefinition, JsonObject } from '../registry';
import { vaultBytes } from '../backup/shares';
import { vaultOf } from '../vault';
import { capabilityMask, parseDomains } from './capabilities';
import { objectFacts, objectTypeName } from './describe';
import { integerParam, sessionNamed, translateHostError, yubihsmClient } from './device';
import { misconfigured, YubiHsmCeremonyError, YubiHsmCeremonyErrorCode } from '../../../errors';
import { WRAP_KEY_DESIGN } from './roles';

const WRAP_KEY_BYTES = 32; // AES-256-CCM
const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function vaultKeyParam(params: JsonObject): string {
  if (typeof params.vaultKey !== 'string' || !params.vaultKey) throw misconfigured('the step needs "vaultKey", where the wrap key is held in memory.');
  return params.vaultKey;
}

/**
 * yubihsm.make-wrap-secret — 32 random bytes for the wrap key: the workstation's CSPRNG XOR the YubiHSM's
 * GET_PSEUDO_RANDOM, so neither source alone decides it. Held in the vault at params.vaultKey (for shares.split and
 * yubihsm.put-wrap-key), never on disk. params { session, vaultKey }
 */
export const makeWrapSecret: ActionDefinition = {
  description: 'Makes the wrap key from the workstation’s and the YubiHSM’s random generators.',
  async run(ctx, params) {
    const handle = sessionNamed(ctx, params);
    const vaultKey = vaultKeyParam(params);
    let device: Uint8Array;
    try {
      device = await yubihsmClient(ctx).random(handle.sessionKey, WRAP_KEY_BYTES);
    } catch (error) {
      return translateHostError(error);
    }
    if (device.length !== WRAP_KEY_BYTES)
      throw new YubiHsmCeremonyError(YubiHsmCeremonyErrorCode.ReadBackMismatch, 'The YubiHSM returned a different amount of random data than asked.');
    const value = new Uint8Array(randomBytes(WRAP_KEY_BYTES));
    for (let i = 0; i < WRAP_KEY_BYTES; i++) value[i] ^= device[i];
    device.fill(0);
    vaultOf(ctx.services).putBytes(ctx.ceremonyId, vaultKey, value, { entropyBits: WRAP_KEY_BYTES * 8 });
    return {
      publicResult: {
        lengthBits: WRAP_KEY_BYTES * 8,
        sources: ['workstation CSPRNG', `YubiHSM ${handle.serial} GET_PSEUDO_RANDOM`],
        combinedBy: 'XOR',
        heldInMemoryAs: vaultKey,
      },
    };
  },
};

/**
 * yubihsm.put-wrap-key — PUT_WRAP_KEY of the wrap key held at params.vaultKey as an AES-256-CCM wrap key with the
 * design's least privilege (export-wrapped + import-wrapped; delegated: what the objects it carries hold), then reads
 * it back. params { session, vaultKey, keyId, domains, label? }
 */
export const putWrapKey: ActionDefinition = {
  description: 'Stores the wrap key in the YubiHSM with least-privilege capabilities.',
  async run(ctx, params) {
    const handle = sessionNamed(ctx, params);
    const value = vaultBytes(ctx, vaultKeyParam(params), 'wrap key');
    const domains = parseDomains(String(params.domains ?? ''));
    if (domains === undefined) throw misconfigured('"domains" must be domain numbers from 1 to 16 separated by commas, or "all".');
    const asked = {
      id: integerParam(params, 'keyId', 0),
      label: typeof params.label === 'string' && params.label ? params.label.slice(0, 40) : WRAP_KEY_DESIGN.label,
      domains,
      capabilities: capabilityMask(...WRAP_KEY_DESIGN.capabilities),
      delegatedCapabilities: capabilityMask(...WRAP_KEY_DESIGN.delegated),
      algorithm: YUBIHSM_ALGORITHM.AES256_CCM_WRAP,
    };
    const client = yubihsmClient(ctx);
    try {
      const { id } = await client.putWrapKey(handle.sessionKey, asked, value.slice());
      const info = await client.objectInfo(handle.sessionKey, id, YUBIHSM_OBJECT.WRAP_KEY);
      if (info.capabilities !== asked.capabilities || info.delegatedCapabilities !== asked.delegatedCapabilities || info.domains !== asked.domains) {
        throw new YubiHsmCeremonyError(
          YubiHsmCeremonyErrorCode.ReadBackMismatch,
          `The YubiHSM stored wrap key ${id} with other capabilities or domains than asked.`,
        );
      }
      return { publicResult: { wrapKeyId: id, algorithm: 'aes256-ccm-wrap', ...objectFacts(info) } };
    } catch (error) {
      return translateHostError(error);
    }
  },
};

/** The asymmetric keys this session sees that may leave under wrap (params.alsoAsymmetric). */
async function exportableAsymmetricKeys(client: ReturnType<typeof yubihsmClient>, sessionKey: string): Promise<number[]> {
  const keys = await client.listObjects(sessionKey, YUBIHSM_OBJECT.ASYMMETRIC_KEY);
  return keys.filter((k) => (k.capabilities & capabilityMask('exportable-under-wrap')) !== 0n).map((k) => k.id);
}

/**
 * yubihsm.export-wrapped — EXPORT_WRAPPED of each authentication key in params.keyIds (and, with params.alsoAsymmetric,
 * of every asymmetric key the session sees that is exportable under wrap) under wrap key params.wrapKeyId.
 * A wrapped object is ciphertext under the wrap key (AES-CCM), so it goes into the outputs as a file, with its SHA-256
 * in the journal, plus a manifest naming the device, the wrap key (its capabilities, delegated capabilities and
 * domains, which a restore gives it again), the share set that rebuilds it, each object's information and, for an
 * asymmetric key, its public key's SHA-256 fingerprint — what yubihsm-restore proves the restored objects against.
 * params { session, wrapKeyId, keyIds: [..], alsoAsymmetric?, shareSetId?, wrapKeyCheckValue? }
 */
export const exportWrapped: ActionDefinition = {
  description: 'Exports wrapped backups of the authentication keys into the ceremony’s outputs.',
  async run(ctx, params) {
    const handle = sessionNamed(ctx, params);
    const wrapKeyId = integerParam(params, 'wrapKeyId');
    const ids = Array.isArray(params.keyIds) ? params.keyIds.map((v) => Number(v)) : [];
    if (!ids.length || ids.some((id) => !Number.isInteger(id) || id < 1)) throw misconfigured('"keyIds" lists the authentication keys to back up.');
    const client = yubihsmClient(ctx);
    const files: JsonObject[] = [];
    let wrapKey: JsonObject;
    try {
      wrapKey = objectFacts(await client.objectInfo(handle.sessionKey, wrapKeyId, YUBIHSM_OBJECT.WRAP_KEY));
      const targets: Array<[number, number]> = ids.map((id) => [YUBIHSM_OBJECT.AUTHENTICATION_KEY, id]);
      if (params.alsoAsymmetric === true)
        for (const id of await exportableAsymmetricKeys(client, handle.sessionKey)) targets.push([YUBIHSM_OBJECT.ASYMMETRIC_KEY, id]);
      for (const [type, id] of targets) {
        const info = await client.objectInfo(handle.sessionKey, id, type);
        const blob = await client.exportWrapped(handle.sessionKey, wrapKeyId, type, id);
        const file = await ctx.outputs.write(`yubihsm-${handle.serial}-${objectTypeName(type)}-${id}.wrapped`, blob);
        const fingerprint = type === YUBIHSM_OBJECT.ASYMMETRIC_KEY ? sha256Hex((await client.publicKey(handle.sessionKey, id)).spki) : undefined;
        files.push({
          file: file.name,
          sha256: file.sha256,
          objectId: id,
          objectType: objectTypeName(type),
          bytes: blob.length,
          info: { ...objectFacts(info), algorithm: info.algorithm },
          ...(fingerprint ? { publicKeyFingerprint: fingerprint } : {}),
        });
      }
    } catch (error) {
      return translateHostError(error);
    }
    const manifest = {
      format: 'custodian-yubihsm-wrapped-backup/1',
      serial: handle.serial,
      wrapKeyId,
      wrapAlgorithm: 'aes256-ccm-wrap',
      wrapKey,
      shareSetId: typeof params.shareSetId === 'string' ? params.shareSetId : null,
      wrapKeyCheckValue: typeof params.wrapKeyCheckValue === 'string' ? params.wrapKeyCheckValue : null,
      objects: files,
      note: 'Each file is nonce(13) ‖ AES-CCM ciphertext ‖ tag(16) under the wrap key; IMPORT_WRAPPED restores it into a YubiHSM holding the same wrap key (the yubihsm-restore ceremony).',
    };
    const written = await ctx.outputs.write(`yubihsm-${handle.serial}-backup-manifest.json`, `${JSON.stringify(manifest, null, 2)}\n`);
    return { publicResult: { wrapKeyId, files, manifest: written.name, manifestSha256: written.sha256 } };
  },
};
