import { pkcs11Services, withLoggedInSession } from '../pkcs11';
import type { ActionDefinition, JsonObject } from '../registry';
import { keyObjectOf } from './objects';

const POLICY_ATTRIBUTES = [
  'CKA_TOKEN',
  'CKA_PRIVATE',
  'CKA_SENSITIVE',
  'CKA_EXTRACTABLE',
  'CKA_NEVER_EXTRACTABLE',
  'CKA_WRAP_WITH_TRUSTED',
  'CKA_LOCAL',
  'CKA_SIGN',
  'CKA_DECRYPT',
  'CKA_ENCRYPT',
  'CKA_VERIFY',
  'CKA_WRAP',
  'CKA_UNWRAP',
  'CKA_DERIVE',
  'CKA_TRUSTED',
  'CKA_MODIFIABLE',
];

/**
 * lifecycle.inventory — every object on the token with its class, label, id, key type, size, policy attributes and
 * public-key fingerprint, written to the outputs as inventory.json and printed as audit evidence.
 */
export const inventory: ActionDefinition = {
  description: 'Lists every object on the token with its attributes and fingerprints.',
  async run(ctx, params, inputs) {
    const publicResult = await withLoggedInSession(ctx, params, inputs, async (sessionKey): Promise<JsonObject> => {
      const { pkcs11 } = pkcs11Services(ctx);
      const all = (await pkcs11.findObjects(sessionKey, {})).map(keyObjectOf);
      const fingerprints = new Map<string, string>();
      const objects: JsonObject[] = [];
      ctx.progress(0, all.length, 'objects listed');
      for (const o of all) {
        let fingerprint: string | null = null;
        if (o.class === 'publicKey' || o.class === 'privateKey') {
          const key = `${o.label}|${o.id}`;
          if (!fingerprints.has(key)) {
            const exported = await pkcs11.exportPublicKey(sessionKey, { label: o.label || undefined, id: o.id || undefined, class: o.class }).catch(() => null);
            if (exported) fingerprints.set(key, exported.sha256);
          }
          fingerprint = fingerprints.get(key) ?? null;
        }
        const policy = Object.fromEntries(POLICY_ATTRIBUTES.filter((a) => a in o.attributes).map((a) => [a, o.attributes[a]]));
        objects.push({ class: o.class, label: o.label, id: o.id, keyType: o.keyType ?? null, size: o.size ?? null, policy, fingerprint });
        ctx.progress(objects.length, all.length, 'objects listed');
      }
      objects.sort((a, b) => String(a.label).localeCompare(String(b.label)) || String(a.class).localeCompare(String(b.class)));
      const file = await ctx.outputs.write('inventory.json', JSON.stringify({ objects }, null, 2) + '\n');
      const lines = objects.map(
        (o) =>
          `${String(o.class).padEnd(10)} ${String(o.label).padEnd(28)} id ${String(o.id || '-').padEnd(16)} ${[o.keyType, o.size].filter(Boolean).join(' ').padEnd(18)} ${o.fingerprint ? String(o.fingerprint).slice(0, 16) + '…' : ''}`,
      );
      return { count: objects.length, objects, file: file.name, summary: [`${objects.length} object(s) on the token:`, ...lines].join('\n') };
    });
    return { publicResult };
  },
};
