import { createHash } from 'node:crypto';
import type { ObjectSummary } from '../../../devices';
import { computeCheckValue, type ShareSetRecord } from '../../../shares';
import { pkcs11Services, tokenOf, withLoggedInSession } from '../pkcs11';
import type { ActionContext, ActionDefinition, JsonObject } from '../registry';
import { vaultOf } from '../vault';
import { mixedWithHostRandom } from '../host-random';
import { vaultBytes } from './shares';
import { assertSafeName } from '../../engine/outputs';
import { BUNDLE_FORMAT, BUNDLE_FORMAT_VERSION, journalRecordOf, manifestObjectOf, WRAP_MECHANISM_NAME, writeBundle, type Manifest } from './bundle';
import { BackupError, BackupErrorCode } from '../../../errors';
import { keyLabelsOf, requireParam } from './params';
import { inBatches } from './in-batches';

const KEK_BYTES = 32;

/** Why a key cannot go into a split-knowledge backup, or null when it is "extractable only by wrapping". */
export function whyNotBackupable(key: ObjectSummary): string | null {
  const a = key.attributes;
  if (a.CKA_EXTRACTABLE !== true) return `“${key.label}” can never leave the token (CKA_EXTRACTABLE is false): it was made not to be backed up`;
  if (a.CKA_SENSITIVE !== true)
    return `“${key.label}” can be read in clear (CKA_SENSITIVE is false): only keys that never leave the token unwrapped are backed up`;
  if (a.CKA_WRAP_WITH_TRUSTED !== true) {
    return `“${key.label}” could be wrapped by any key, not only by the Security Officer’s trusted one (CKA_WRAP_WITH_TRUSTED is false)`;
  }
  return null;
}

/** The KEK's label on the token: one per ceremony, so a retry finds and replaces its own leftover. */
function kekLabelFor(ceremonyId: string): string {
  return `custodian-backup-kek-${createHash('sha256').update(ceremonyId).digest('hex').slice(0, 12)}`;
}

/**
 * backup.check-keys — params { token, keys: "a, b, c" }, in the user's session. Every key must exist once as a
 * private or secret key and be extractable only by wrapping (sensitive, extractable, wrap-with-trusted). Nothing is
 * written to the token; every unfit key is named with its reason.
 */
const checkKeys: ActionDefinition = {
  description: 'Checks that every chosen key can be backed up: extractable only by wrapping under a trusted key.',
  async run(ctx, params, inputs) {
    const labels = keyLabelsOf(params);
    const { pkcs11 } = pkcs11Services(ctx);
    return withLoggedInSession(ctx, params, inputs, async (sessionKey) => {
      const problems: string[] = [];
      const keys: JsonObject[] = [];
      // two listings instead of one search per label: a search costs a scan of the token, and backups can be large
      const candidates = [
        ...(await pkcs11.findObjects(sessionKey, { class: 'privateKey' })),
        ...(await pkcs11.findObjects(sessionKey, { class: 'secretKey' })),
      ];
      for (const label of labels) {
        const found = candidates.filter((o) => o.label === label);
        if (found.length === 0) problems.push(`there is no private or secret key labelled “${label}”`);
        else if (found.length > 1) problems.push(`more than one key is labelled “${label}”; labels must name one key`);
        else {
          const why = whyNotBackupable(found[0]);
          if (why) problems.push(why);
          else keys.push({ label, class: found[0].class, keyType: found[0].keyType ?? null, id: found[0].id });
        }
      }
      if (problems.length > 0) {
        throw new BackupError(BackupErrorCode.KeyNotBackupable, `Cannot back up: ${problems.join('; ')}. Nothing was changed on the token.`);
      }
      return { publicResult: { token: tokenOf(ctx, params) as unknown as JsonObject, keys, extractableOnlyByWrapping: true } };
    });
  },
};

/**
 * backup.make-kek — params { token, vaultKey }, in the Security Officer's session. Draws a 256-bit KEK: the token's
 * random generator XOR the workstation's CSPRNG; brings it into the token as a trusted wrapping key (only the SO may set CKA_TRUSTED),
 * keeps it in the vault for the split and the rehearsal. Result: the KEK's label on the token and its check value.
 */
const makeKek: ActionDefinition = {
  description: 'Makes a key-encryption key from the token’s random generator and imports it as a trusted wrapping key for this backup only.',
  // The KEK lives in memory (the vault) between this step and the split: after a failure or a restart that copy may be
  // gone while the token holds one, so a second try could split a KEK other than the one on the token.
  notRetryable: (ceremonyId) =>
    `Making the key-encryption key cannot be repeated safely: its copy in memory may not match the one on the token. Abort this ceremony, have the Security Officer delete the key labelled “${kekLabelFor(ceremonyId)}” from the token if it is there, and start a new backup.`,
  async run(ctx, params, inputs) {
    const vaultKey = requireParam(params, 'vaultKey');
    const { pkcs11 } = pkcs11Services(ctx);
    const label = kekLabelFor(ctx.ceremonyId);
    return withLoggedInSession(
      ctx,
      params,
      inputs,
      async (sessionKey) => {
        // a KEK left by an interrupted earlier try of this very step is replaced, never reused
        if ((await pkcs11.findObjects(sessionKey, { label })).length > 0) await pkcs11.destroyObject(sessionKey, { label, class: 'secretKey' });
        const fromToken = await pkcs11.random(sessionKey, KEK_BYTES);
        if (fromToken.length !== KEK_BYTES) {
          fromToken.fill(0);
          throw new BackupError(BackupErrorCode.KekNotMade, 'The token returned a different amount of random data than asked. Nothing was changed.');
        }
        const kek = mixedWithHostRandom(fromToken);
        // the copy crosses to the device host (structured clone) and is zeroed here once sent, success or not
        const sent = kek.slice();
        try {
          await pkcs11.importKek(sessionKey, { label, value: sent, role: 'trustedWrap' });
        } catch (error) {
          kek.fill(0);
          throw error;
        } finally {
          sent.fill(0);
        }
        const checkValue = computeCheckValue(kek, { entropyBits: KEK_BYTES * 8 });
        vaultOf(ctx.services).putBytes(ctx.ceremonyId, vaultKey, kek, { entropyBits: KEK_BYTES * 8 });
        return {
          publicResult: {
            kekLabel: label,
            keyEncryptionKeyBits: KEK_BYTES * 8,
            keyEncryptionKeyCheckValue: `${checkValue.method} ${checkValue.value}`,
            trustedWrappingKey: true,
            randomSource: 'the token’s generator XOR the workstation’s',
          },
        };
      },
      'SO',
    );
  },
};

async function destroyKek(ctx: ActionContext, sessionKey: string, label: string): Promise<void> {
  const { pkcs11 } = pkcs11Services(ctx);
  if ((await pkcs11.findObjects(sessionKey, { label })).length > 0) await pkcs11.destroyObject(sessionKey, { label, class: 'secretKey' });
  if ((await pkcs11.findObjects(sessionKey, { label })).length > 0) {
    throw new BackupError(
      BackupErrorCode.KekNotDestroyed,
      `The key-encryption key “${label}” is still on the token after it was destroyed. Stop the ceremony and ask the Security Officer to remove it.`,
    );
  }
}

/**
 * backup.wrap-keys — params { token, keys, kekLabel, vaultKey, shareSet (the split's public record), bundleName? }, in
 * the user's session. Wraps every key with CKM_AES_KEY_WRAP_PAD under the trusted KEK, destroys the KEK in the token
 * (whatever happens) and checks it is gone, then writes the bundle into outputs/<bundle dir> and journals its hash.
 */
const wrapKeys: ActionDefinition = {
  description: 'Wraps the keys under the key-encryption key, destroys it in the token and writes the backup bundle.',
  // The KEK is destroyed on the token whatever happens, and the bundle may be half written: a second try has no KEK.
  notRetryable: (ceremonyId) =>
    `Wrapping cannot be repeated: the key-encryption key is destroyed on the token after the first try, whatever happened. Abort this ceremony, have the Security Officer check that no key labelled “${kekLabelFor(ceremonyId)}” is left on the token, destroy this ceremony's share cards, and start a new backup.`,
  async run(ctx, params, inputs) {
    const labels = keyLabelsOf(params);
    const kekLabel = requireParam(params, 'kekLabel');
    const vaultKey = requireParam(params, 'vaultKey');
    const shareSet = params.shareSet as unknown as ShareSetRecord;
    const { pkcs11 } = pkcs11Services(ctx);
    const kek = vaultBytes(ctx, vaultKey, 'key-encryption key');
    const token = tokenOf(ctx, params);
    return withLoggedInSession(ctx, params, inputs, async (sessionKey) => {
      let wrapped;
      try {
        wrapped = await inBatches(
          labels.map((label) => ({ label })),
          (batch) => pkcs11.wrapKeys(sessionKey, { label: kekLabel, class: 'secretKey' }, batch),
          (done, total) => ctx.progress(done, total, 'keys wrapped'),
        );
      } finally {
        await destroyKek(ctx, sessionKey, kekLabel);
      }
      const checkValue = computeCheckValue(kek, { entropyBits: KEK_BYTES * 8 });
      const bundleDir = assertSafeName(
        typeof params.bundleName === 'string' && params.bundleName ? params.bundleName : `backup-bundle-${shareSet.setId}`,
        'The bundle name',
      );
      const manifest: Manifest = {
        format: BUNDLE_FORMAT,
        formatVersion: BUNDLE_FORMAT_VERSION,
        ceremonyId: ctx.ceremonyId,
        createdAt: new Date().toISOString(),
        rehearsal: ctx.rehearsal,
        sourceToken: 'label' in token ? { label: token.label } : 'serial' in token ? { label: '', serial: token.serial } : { label: '' },
        wrapMechanism: WRAP_MECHANISM_NAME,
        keyEncryptionKeyCheckValue: checkValue,
        shareSet: {
          formatVersion: shareSet.formatVersion,
          setId: shareSet.setId,
          n: shareSet.n,
          m: shareSet.m,
          secretLength: shareSet.secretLength,
          checkValue: shareSet.checkValue,
          commitments: shareSet.commitments.map((c) => ({ index: c.index, commitment: c.commitment })),
        },
        objects: wrapped.map((w, i) => manifestObjectOf(w, i)),
      };
      const written = await writeBundle(
        ctx.outputs,
        bundleDir,
        manifest,
        wrapped.map((w) => w.wrapped),
        kek,
      );
      await ctx.log('Backup bundle written', { bundleDir, manifestSha256: written.manifestSha256 });
      return {
        publicResult: {
          bundleDir,
          manifestSha256: written.manifestSha256,
          files: written.files as unknown as JsonObject[],
          wrapMechanism: WRAP_MECHANISM_NAME,
          keyEncryptionKeyDestroyedOnToken: true,
          objects: manifest.objects.map((o) => ({ ...journalRecordOf(o), blobSha256: o.blobSha256 })),
        },
      };
    });
  },
};

export const backupActions: Record<string, ActionDefinition> = {
  'backup.check-keys': checkKeys,
  'backup.make-kek': makeKek,
  'backup.wrap-keys': wrapKeys,
};
