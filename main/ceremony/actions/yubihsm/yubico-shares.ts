import { parseYubicoWrapKeyRecord, YubicoRebuildError, YubicoShareCollector, YubicoShareKind } from '../../../shares';
import type { ActionDefinition, ActionInputs, JsonObject } from '../registry';
import { vaultOf } from '../vault';
import { ALL_DEFINED_CAPABILITIES, capabilityList, domainList } from './capabilities';
import { openAll, readBackupFiles } from './backup-files';
import { misconfigured, YubiHsmCeremonyError, YubiHsmCeremonyErrorCode } from '../../../errors';

/**
 * Wrap-key shares made by Yubico's yubihsm-setup or yubihsm-manager (main/shares/yubico-format.ts), for a team that
 * moves to Custodian without re-keying. One custodian per step types theirs; the rebuild proves the key by opening
 * every wrapped backup, since the format has no checksum and no check value.
 */

function stringParam(params: JsonObject, name: string): string {
  const value = params[name];
  if (typeof value !== 'string' || !value.trim()) throw misconfigured(`the step needs the parameter "${name}".`);
  return value;
}

function thresholdParam(params: JsonObject): number {
  const t = typeof params.threshold === 'number' ? params.threshold : Number(params.threshold);
  if (!Number.isInteger(t) || t < 2 || t > 9) throw misconfigured('"threshold" is the number of shares that rebuild the key, 2 to 9 in Yubico’s format.');
  return t;
}

function toolOf(params: JsonObject): YubicoShareKind | undefined {
  const tool = params.tool;
  if (tool === undefined || tool === '' || tool === 'auto') return undefined;
  if (tool === YubicoShareKind.Setup || tool === YubicoShareKind.Manager) return tool;
  throw misconfigured('"tool" is yubihsm-setup, yubihsm-manager or auto.');
}

function typedShare(inputs: ActionInputs): string | undefined {
  const value = inputs.share;
  if (value instanceof Uint8Array) return value.length ? new TextDecoder().decode(value) : undefined;
  return typeof value === 'string' && value.trim() ? value : undefined;
}

/**
 * yubihsm.accept-yubico-share — ONE share in Yubico's format typed on this step (input `share`), checked at once for
 * what its form allows (length, characters, its ending, threshold, share number, the same tool as the others) and kept
 * in memory at params.collectorVaultKey. params { collectorVaultKey, threshold, tool? (yubihsm-setup | yubihsm-manager) }
 */
export const acceptYubicoShare: ActionDefinition = {
  description: 'Checks one share in Yubico’s format as it is typed and keeps it in memory until enough are in.',
  async run(ctx, params, inputs) {
    const key = stringParam(params, 'collectorVaultKey');
    const threshold = thresholdParam(params);
    const text = typedShare(inputs);
    if (!text)
      throw new YubiHsmCeremonyError(YubiHsmCeremonyErrorCode.StepMisconfigured, 'Type your share on this step, exactly as it is written on your paper.');
    const vault = vaultOf(ctx.services);
    const collector =
      vault.getObject<YubicoShareCollector>(ctx.ceremonyId, key) ??
      vault.putObject(ctx.ceremonyId, key, new YubicoShareCollector({ threshold, kind: toolOf(params) }));
    if (collector.remaining === 0) throw new YubiHsmCeremonyError(YubiHsmCeremonyErrorCode.StepMisconfigured, `All ${threshold} shares needed are already in.`);
    const added = collector.add(text);
    if (!added.accepted) throw added.error;
    return { publicResult: { index: added.index, remaining: added.remaining, acceptedIndexes: collector.acceptedIndices, format: added.kind } };
  },
};

/**
 * yubihsm.rebuild-yubico-wrap-key — combines the shares collected at params.collectorVaultKey into Yubico's wrap-key
 * record (id, domains, capabilities, delegated capabilities, key) and proves it: its capabilities are ones a device
 * knows, and the key opens every wrapped backup in params.backups. Only then is the record kept at params.into for
 * yubihsm.put-restored-wrap-key; otherwise the shares are zeroed (they are typed again in a new ceremony) and the step
 * says why. params { collectorVaultKey, into, backups, threshold }
 */
export const rebuildYubicoWrapKey: ActionDefinition = {
  description: 'Rebuilds the wrap key from the shares in Yubico’s format and proves it opens every backup.',
  async run(ctx, params) {
    const key = stringParam(params, 'collectorVaultKey');
    const into = stringParam(params, 'into');
    const vault = vaultOf(ctx.services);
    const collector = vault.getObject<YubicoShareCollector>(ctx.ceremonyId, key);
    if (!collector) throw new YubiHsmCeremonyError(YubiHsmCeremonyErrorCode.StepMisconfigured, `No share was entered (need ${thresholdParam(params)}).`);
    const indexes = collector.acceptedIndices;
    const backups = await readBackupFiles(stringParam(params, 'backups'));
    const secret = await collector.combine();
    const record = parseYubicoWrapKeyRecord(secret);
    try {
      let problem: string | undefined;
      if (!record) problem = `they rebuild ${secret.length} bytes, not a wrap-key record`;
      else if (record.domains === 0 || ((record.capabilities | record.delegatedCapabilities) & ~ALL_DEFINED_CAPABILITIES) !== 0n)
        problem = 'the record they rebuild names capabilities or domains no YubiHSM has';
      else {
        const opened = openAll(record.key, backups);
        if (opened.notOpened) problem = `the key does not open ${opened.notOpened}`;
      }
      if (problem) {
        vault.drop(ctx.ceremonyId, key); // zeroes the shares: a wrong one cannot be told apart, so all are typed again
        throw new YubicoRebuildError(indexes, problem);
      }
      vault.putBytes(ctx.ceremonyId, into, secret.slice());
      return {
        publicResult: {
          shareIndexes: indexes,
          format: collector.shareKind ?? null,
          wrapKeyId: record!.id,
          domains: domainList(record!.domains),
          capabilities: capabilityList(record!.capabilities),
          delegatedCapabilities: capabilityList(record!.delegatedCapabilities),
          keyBits: record!.key.length * 8,
          opensEveryBackup: true,
          backupsOpened: backups.length,
          heldInMemoryAs: into,
        },
      };
    } finally {
      secret.fill(0);
      record?.key.fill(0);
      if (vault.getObject(ctx.ceremonyId, key)) {
        vault.drop(ctx.ceremonyId, key);
      }
    }
  },
};
