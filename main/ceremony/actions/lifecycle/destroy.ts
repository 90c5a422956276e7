import { readFile } from 'node:fs/promises';
import { readBundle } from '../backup/bundle';
import { verifyJournalFile } from '../../../journal';
import { pkcs11Services, withLoggedInSession } from '../pkcs11';
import type { ActionDefinition, JsonObject } from '../registry';
import { describeHalves, findKey, keyRefOf, normaliseFingerprint, objectsLeftOnToken, refuse } from './objects';

/**
 * lifecycle.identify-keys — the key named by label or id, every half of it, and its public-key fingerprint, compared
 * with the fingerprint the script (or the paper inventory) gives; the public key is kept in the outputs as evidence.
 */
export const identifyKeys: ActionDefinition = {
  description: 'Finds every half of the named key and its public-key fingerprint.',
  async run(ctx, params, inputs) {
    const ref = keyRefOf(params);
    const expected = normaliseFingerprint(params.expectedFingerprint);
    const publicResult = await withLoggedInSession(ctx, params, inputs, async (sessionKey): Promise<JsonObject> => {
      const key = await findKey(ctx, sessionKey, ref);
      const named = ref.label ? `labelled “${ref.label}”` : `with id ${ref.id}`;
      if (key.halves.length === 0) throw refuse(`The token holds no key ${named}. Nothing is destroyed.`);
      if (expected && key.fingerprint !== expected) {
        throw refuse(`The key ${named} has the fingerprint ${key.fingerprint ?? '(none: a secret key)'}, not ${expected}. Nothing is destroyed.`);
      }
      const evidence = key.spkiPem
        ? await ctx.outputs.write(`${key.halves[0].label || 'key'}.destroyed-public-key.pem`.replace(/[^A-Za-z0-9._-]/g, '-'), key.spkiPem)
        : null;
      return {
        label: key.halves[0].label,
        id: key.halves[0].id,
        fingerprint: key.fingerprint,
        halves: key.halves.map((h) => ({ class: h.class, label: h.label, id: h.id, keyType: h.keyType ?? null, size: h.size ?? null })),
        evidence: evidence?.name ?? null,
        summary: [
          `Key:            ${describeHalves(key.halves).join('\n                ')}`,
          `Fingerprint:    ${key.fingerprint ?? 'none (a secret key)'}`,
        ].join('\n'),
      };
    });
    return { publicResult };
  },
};

/**
 * lifecycle.check-backup — destruction is allowed only when a verified backup of the key exists (a bundle whose blobs
 * match its manifest, recorded by a backup journal that verifies), or when the script says the quorum destroys it
 * without one (`destroyWithoutBackup`), which the approving quorum then confirms.
 */
export const checkBackup: ActionDefinition = {
  description: 'Checks that a verified backup of the key exists before it is destroyed.',
  async run(_ctx, params): Promise<{ publicResult: JsonObject }> {
    const fingerprint = normaliseFingerprint(params.fingerprint);
    const label = typeof params.label === 'string' ? params.label : '';
    if (typeof params.backupBundle === 'string' && params.backupBundle) {
      const bundle = await readBundle(params.backupBundle);
      const entry = bundle.manifest.objects.find((o) => (fingerprint ? o.publicKeyFingerprint === fingerprint : o.label === label));
      if (!entry)
        throw refuse(`The backup bundle ${params.backupBundle} holds no copy of this key (fingerprint ${fingerprint || label}). Nothing is destroyed.`);
      if (typeof params.backupJournal !== 'string' || !params.backupJournal)
        throw refuse('Name the backup ceremony’s journal too (backupJournal): it proves which bundle the backup made.');
      const journal = await verifyJournalFile(params.backupJournal);
      if (!journal.ok) throw refuse(`The backup journal ${params.backupJournal} does not verify, so the backup cannot be trusted.`);
      const text = await readFile(params.backupJournal, 'utf8');
      if (!text.includes(bundle.manifestSha256)) throw refuse('The backup journal does not record this bundle (its manifest hash differs).');
      return {
        publicResult: {
          backup: 'verified',
          bundleManifestSha256: bundle.manifestSha256,
          summary: `A verified backup exists: bundle ${params.backupBundle} (manifest ${bundle.manifestSha256.slice(0, 16)}…), recorded by a journal that verifies. Its blobs match the manifest; the shares are not checked here.`,
        },
      };
    }
    if (params.destroyWithoutBackup === true || params.destroyWithoutBackup === 'true') {
      return {
        publicResult: { backup: 'none', summary: 'There is no backup of this key. The quorum confirms it is destroyed without one: it will be gone for good.' },
      };
    }
    throw refuse(
      'No verified backup of this key was named (backupBundle and backupJournal), and the script does not allow destroying it without one (destroyWithoutBackup).',
    );
  },
};

/** lifecycle.destroy-keys — C_DestroyObject of every half, each journaled, then proof of absence by label and by id. */
export const destroyKeys: ActionDefinition = {
  description: 'Destroys every half of the key and proves that the token no longer holds it.',
  async run(ctx, params, inputs) {
    const ref = keyRefOf(params);
    const expected = normaliseFingerprint(params.expectedFingerprint);
    const publicResult = await withLoggedInSession(ctx, params, inputs, async (sessionKey): Promise<JsonObject> => {
      const { pkcs11 } = pkcs11Services(ctx);
      const key = await findKey(ctx, sessionKey, ref);
      if (key.halves.length === 0) throw refuse('The token holds no such key any more; nothing was destroyed by this step.');
      if (expected && key.fingerprint !== expected)
        throw refuse('The key is not the one the witness confirmed (its fingerprint differs). Nothing is destroyed.');
      const destroyed: JsonObject[] = [];
      for (const half of key.halves) {
        const ref = { label: half.label, id: half.id || undefined, class: half.class as never };
        // a YubiHSM keeps both halves in one object: yubihsm_pkcs11 takes the public key with the private one
        if (destroyed.length > 0 && (await pkcs11.findObjects(sessionKey, ref)).length === 0) {
          await ctx.log(`The ${half.class} went with the other half`, { class: half.class, label: half.label, id: half.id });
          destroyed.push({ class: half.class, label: half.label, id: half.id, withOtherHalf: true });
          continue;
        }
        await pkcs11.destroyObject(sessionKey, ref);
        await ctx.log(`Destroyed the ${half.class}`, { class: half.class, label: half.label, id: half.id });
        destroyed.push({ class: half.class, label: half.label, id: half.id });
      }
      const byLabel = await pkcs11.findObjects(sessionKey, { label: key.halves[0].label });
      const byId = key.halves[0].id ? await pkcs11.findObjects(sessionKey, { id: key.halves[0].id }) : [];
      if (byLabel.length || byId.length)
        throw refuse(`After destruction the token still lists ${byLabel.length + byId.length} object(s) with that label or id. Stop and investigate.`);
      return {
        destroyed,
        fingerprint: key.fingerprint,
        proofOfAbsence: { label: key.halves[0].label, id: key.halves[0].id, foundByLabel: 0, foundById: 0 },
        summary: [
          `Destroyed:      ${describeHalves(key.halves).join('\n                ')}`,
          `Fingerprint:    ${key.fingerprint ?? 'none (a secret key)'}`,
          `Proof:          a search by label “${key.halves[0].label}”${key.halves[0].id ? ` and by id ${key.halves[0].id}` : ''} finds nothing on the token.`,
        ].join('\n'),
      };
    });
    return { publicResult };
  },
  async checkEffect(ctx, params) {
    const ref = keyRefOf(params);
    const found = await objectsLeftOnToken(ctx, ref);
    if ('unknown' in found) return found.unknown;
    if (found.left.length) return { state: 'absent' };
    return {
      state: 'present',
      detail: 'The key was already gone when the step was retried: the interrupted attempt destroyed it.',
      publicResult: {
        destroyed: [],
        proofOfAbsence: { ...ref, foundByLabel: 0, foundById: 0 },
        summary: 'The interrupted attempt destroyed the key; a search by its label and id finds nothing on the token.',
      },
    };
  },
};
