import type { ObjectSummary } from '../../../devices';
import { pkcs11Services } from '../pkcs11';
import type { ActionContext, EffectCheck, JsonObject } from '../registry';
import { CeremonyError, CeremonyErrorCode } from '../../../errors';

/** The key lifecycle ceremonies' view of a token's objects: what an inventory lists and what destruction names. */
export interface KeyObject {
  readonly class: string;
  readonly label: string;
  readonly id: string;
  readonly keyType?: string;
  /** RSA bits, EC curve, AES bytes — as the token reports them */
  readonly size?: string;
  readonly attributes: Record<string, boolean | number | string>;
}

export const refuse = (message: string) => new CeremonyError(CeremonyErrorCode.ActionFailed, message);

/**
 * The preamble of a lifecycle action's effect check after a crash: the objects the ceremony's logged-in session finds
 * for `query`, or the 'unknown' answer when no session is open to look.
 */
export async function objectsLeftOnToken(
  ctx: ActionContext,
  query: { label?: string; id?: string },
): Promise<{ left: ObjectSummary[] } | { unknown: EffectCheck }> {
  const { pkcs11, pkcs11Sessions } = pkcs11Services(ctx);
  const sessions = pkcs11Sessions.ofCeremony(ctx.ceremonyId);
  if (!sessions.length) return { unknown: { state: 'unknown', detail: 'No logged-in session to look at the token; log in and retry.' } };
  return { left: await pkcs11.findObjects(sessions[0][1].sessionKey, query) };
}

const CURVES: Record<string, string> = {
  '06082a8648ce3d030107': 'P-256',
  '06052b81040022': 'P-384',
  '06052b81040023': 'P-521',
  '06032b6570': 'Ed25519',
  '130c656477617264733235353139': 'Ed25519',
};

export function sizeOf(summary: ObjectSummary): string | undefined {
  const a = summary.attributes;
  if (typeof a.CKA_MODULUS_BITS === 'number') return `${a.CKA_MODULUS_BITS} bits`;
  if (typeof a.CKA_EC_PARAMS === 'string') return CURVES[a.CKA_EC_PARAMS] ?? `curve ${a.CKA_EC_PARAMS}`;
  if (typeof a.CKA_VALUE_LEN === 'number') return `${a.CKA_VALUE_LEN * 8} bits`;
  return undefined;
}

export function keyObjectOf(summary: ObjectSummary): KeyObject {
  return {
    class: String(summary.class),
    label: summary.label,
    id: summary.id,
    keyType: summary.keyType,
    size: sizeOf(summary),
    attributes: summary.attributes,
  };
}

/** The key named by label (or id): every half of it, and the SHA-256 of its public key where it has one. */
export async function findKey(
  ctx: ActionContext,
  sessionKey: string,
  ref: { label?: string; id?: string },
): Promise<{ halves: KeyObject[]; fingerprint: string | null; spkiPem: string | null }> {
  if (!ref.label && !ref.id) throw refuse('Name the key by its label or its id.');
  const { pkcs11 } = pkcs11Services(ctx);
  const found = (await pkcs11.findObjects(sessionKey, ref)).filter((o) => ['privateKey', 'publicKey', 'secretKey'].includes(String(o.class)));
  const halves = found.map(keyObjectOf);
  const ids = new Set(halves.map((h) => h.id));
  const labels = new Set(halves.map((h) => h.label));
  if (ids.size > 1 || labels.size > 1) {
    throw refuse(
      `The ${ref.label ? `label “${ref.label}”` : `id ${ref.id}`} names ${ids.size > 1 ? ids.size : labels.size} different keys; name one key exactly (label and id).`,
    );
  }
  let fingerprint: string | null = null;
  let spkiPem: string | null = null;
  if (halves.some((h) => h.class !== 'secretKey')) {
    const exported = await pkcs11.exportPublicKey(sessionKey, { ...ref, class: halves.some((h) => h.class === 'publicKey') ? 'publicKey' : 'privateKey' });
    fingerprint = exported.sha256;
    spkiPem = exported.spkiPem;
  }
  return { halves, fingerprint, spkiPem };
}

export const normaliseFingerprint = (text: unknown) => (typeof text === 'string' ? text.replace(/[\s:]/g, '').toLowerCase() : '');

export function keyRefOf(params: JsonObject): { label?: string; id?: string } {
  const label = typeof params.label === 'string' && params.label ? params.label : undefined;
  const id = typeof params.id === 'string' && params.id ? params.id.toLowerCase() : undefined;
  if (id !== undefined && !/^([0-9a-f]{2})+$/.test(id)) throw refuse(`The key id “${params.id}” is not hexadecimal bytes.`);
  return { label, id };
}

export const describeHalves = (halves: KeyObject[]) =>
  halves.map(
    (h) =>
      `${h.class === 'privateKey' ? 'private key' : h.class === 'publicKey' ? 'public key' : 'secret key'} “${h.label}” (id ${h.id || 'none'}${h.keyType ? `, ${h.keyType}` : ''}${h.size ? ` ${h.size}` : ''})`,
  );
