import { pkcs11Services, withLoggedInSession } from '../pkcs11';
import type { ActionDefinition, JsonObject } from '../registry';
import { describeHalves, findKey, keyRefOf, normaliseFingerprint, objectsLeftOnToken, refuse } from './objects';

/** `<label>-retired-<yyyy-mm-dd>`: what a retired key is relabelled, so an inventory shows it for what it is. */
export const retiredLabel = (label: string, date: Date) => `${label}-retired-${date.toISOString().slice(0, 10)}`;

/**
 * lifecycle.retire-key — the old key of a rotation: signing (and encryption with its public half) turned off where the
 * token allows it, said plainly where it does not, and both halves relabelled as retired. It stays on the token for
 * verification or decryption only. The fingerprint fixed at identification is checked again first.
 */
export const retireKey: ActionDefinition = {
  description: 'Turns signing off on the old key where the token allows it, and relabels it as retired.',
  async run(ctx, params, inputs) {
    const ref = keyRefOf(params);
    if (!ref.label) throw refuse('The key to retire is named by its label.');
    const label = ref.label;
    const expected = normaliseFingerprint(params.expectedFingerprint);
    const publicResult = await withLoggedInSession(ctx, params, inputs, async (sessionKey): Promise<JsonObject> => {
      const { pkcs11 } = pkcs11Services(ctx);
      const key = await findKey(ctx, sessionKey, ref);
      if (key.halves.length === 0) throw refuse(`The token holds no key labelled “${label}”.`);
      if (expected && key.fingerprint !== expected)
        throw refuse('The key labelled so is not the one identified earlier (its fingerprint differs). Stop and investigate.');
      const newLabel = retiredLabel(label, new Date());
      const changes: JsonObject[] = [];
      const refused: string[] = [];
      for (const half of key.halves) {
        const turnOff =
          half.class === 'privateKey'
            ? { sign: false as const }
            : half.class === 'publicKey'
              ? { encrypt: false as const }
              : { sign: false as const, encrypt: false as const, wrap: false as const };
        const ref = { label, id: half.id || undefined, class: half.class as never };
        // a YubiHSM keeps both halves in one object: relabelling one half through yubihsm_pkcs11 relabels the other
        const gone = changes.length > 0 && (await pkcs11.findObjects(sessionKey, ref)).length === 0;
        const results = await pkcs11.setKeyAttributes(sessionKey, gone ? { ...ref, label: newLabel } : ref, { ...turnOff, label: newLabel });
        for (const r of results) {
          changes.push({ half: half.class, attribute: r.attribute, changed: r.changed, ...(r.refusedWith ? { refusedWith: r.refusedWith } : {}) });
          if (!r.changed)
            refused.push(
              `${half.class === 'privateKey' ? 'the private key' : half.class === 'publicKey' ? 'the public key' : 'the key'}: ${r.attribute} (${r.refusedWith})`,
            );
        }
      }
      const still = await pkcs11.findObjects(sessionKey, { label });
      if (still.length) throw refuse(`After relabelling, ${still.length} object(s) still carry the label “${label}”.`);
      return {
        oldLabel: label,
        retiredLabel: newLabel,
        fingerprint: key.fingerprint,
        changes,
        refused,
        summary: [
          `Retired:        ${describeHalves(key.halves).join('; ')}`,
          `New label:      ${newLabel}`,
          refused.length
            ? `The token did not allow: ${refused.join('; ')}. That usage stays on; keep the retired key under the same controls.`
            : 'Signing is off on the private key and encryption is off on the public key; the key remains for verification or decryption only.',
        ].join('\n'),
      };
    });
    return { publicResult };
  },
  async checkEffect(ctx, params) {
    // After a crash: the effect is whole when no object carries the old label any more.
    const found = await objectsLeftOnToken(ctx, { label: keyRefOf(params).label });
    if ('unknown' in found) return found.unknown;
    return found.left.length
      ? { state: 'absent' }
      : { state: 'unknown', detail: 'The old label is gone; check the retired key in an inventory before going on.' };
  },
};
