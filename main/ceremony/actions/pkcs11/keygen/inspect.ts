import { randomBytes, verify } from 'node:crypto';
import type { ExportedPublicKey, ObjectSummary, Pkcs11Client } from '../../../../devices';
import { KEY_POLICY_PROMISES, SHOWN_ATTRIBUTES } from './algorithms';
import { KeygenErrorCode, type KeygenProblem } from './errors';
import type { KeyRequest } from './request';

/** CKA_EC_PARAMS "edwards25519" as a PrintableString (13 0c …) */
const EDWARDS25519_NAME_HEX = '130c' + Buffer.from('edwards25519').toString('hex');

/**
 * Reads a key back from the token and compares it with the request: the objects under its label and id, the key
 * type and size, every attribute the policy promises (the PKCS#11 layer's own check), and the public key. Used right
 * after generation, by the witnessed read-back step, and on a retry to recognise a key an interrupted attempt made.
 */
export interface KeyOnToken {
  /** the private key of a pair, or the secret key */
  key: ObjectSummary;
  publicKey?: ExportedPublicKey;
  problems: KeygenProblem[];
}

const mismatch = (message: string): KeygenProblem => ({ code: KeygenErrorCode.KeyMismatch, message });

/** undefined when no object with the label (and id) is on the token */
export async function inspectKey(pkcs11: Pkcs11Client, sessionKey: string, request: KeyRequest, id: string): Promise<KeyOnToken | undefined> {
  const objects = await pkcs11.findObjects(sessionKey, { label: request.label, id });
  if (objects.length === 0) return undefined;
  const problems: KeygenProblem[] = [];
  const pair = request.spec.family !== 'AES';
  const keyClass = pair ? 'privateKey' : 'secretKey';
  const keys = objects.filter((o) => o.class === keyClass);
  const publics = objects.filter((o) => o.class === 'publicKey');
  const others = objects.filter((o) => o.class !== keyClass && o.class !== 'publicKey');
  if (keys.length !== 1)
    problems.push(mismatch(`Expected one ${pair ? 'private' : 'secret'} key labelled “${request.label}” with id ${id}; the token has ${keys.length}.`));
  if (pair && publics.length !== 1)
    problems.push(mismatch(`Expected one public key labelled “${request.label}” with id ${id}; the token has ${publics.length}.`));
  if (!pair && publics.length > 0) problems.push(mismatch(`A secret key should have no public key, but the token has one labelled “${request.label}”.`));
  if (others.length > 0) problems.push(mismatch(`Other objects share the label “${request.label}” and id ${id}: ${others.map((o) => o.class).join(', ')}.`));
  const key = keys[0];
  if (!key) return { key: objects[0], problems };

  if (key.keyType !== request.spec.keyType)
    problems.push(mismatch(`The key is of type ${key.keyType ?? 'unknown'}, not ${request.spec.keyType} as ${request.algorithm} needs.`));
  // Ed25519 may read back as PKCS#11 3.0's printable string "edwards25519" (yubihsm_pkcs11 2.8.0 knows only that form)
  const sameCurve = (hex: unknown) => hex === request.spec.ecParamsHex || (request.spec.curve === 'Ed25519' && hex === EDWARDS25519_NAME_HEX);
  if (request.spec.ecParamsHex && !sameCurve(key.attributes.CKA_EC_PARAMS)) {
    problems.push(mismatch(`The key is not on the curve ${request.spec.curve}.`));
  }
  if (request.spec.family === 'AES' && key.attributes.CKA_VALUE_LEN !== request.spec.bits / 8) {
    problems.push(mismatch(`The key is ${Number(key.attributes.CKA_VALUE_LEN) * 8} bits long, not ${request.spec.bits}.`));
  }

  const policy = await pkcs11.checkKeyPolicy(sessionKey, { label: request.label, id, class: keyClass }, request.policy);
  if (!policy.ok) {
    const list = policy.differences.map((d) => `${d.attribute} is ${String(d.actual)}, should be ${String(d.expected)}`).join('; ');
    problems.push(mismatch(`The key breaks the “${request.policy}” policy: ${list}.`));
  }

  let publicKey: ExportedPublicKey | undefined;
  if (pair && publics.length === 1) {
    publicKey = await pkcs11.exportPublicKey(sessionKey, { label: request.label, id, class: 'publicKey' });
    const problem = publicKeyProblem(request, publicKey) ?? (await samePairProblem(pkcs11, sessionKey, request, id, publicKey));
    if (problem) problems.push(mismatch(problem));
  }
  return { key, publicKey, problems };
}

const NODE_HASH = { 'RSA-PKCS1-SHA256': 'sha256', 'ECDSA-SHA256': 'sha256', 'ECDSA-SHA384': 'sha384', 'ECDSA-SHA512': 'sha512' } as const;

/**
 * Both halves of a pair are one key only if the private key's signature verifies under the public key: a challenge
 * signed inside the token, checked here with node:crypto against the exported SubjectPublicKeyInfo.
 */
export async function samePairProblem(
  pkcs11: Pkcs11Client,
  sessionKey: string,
  request: KeyRequest,
  id: string,
  publicKey: Pick<ExportedPublicKey, 'spkiPem'>,
): Promise<string | undefined> {
  const algorithm = request.spec.family === 'EdDSA' ? 'EdDSA' : request.spec.certificateSignature;
  const hash = algorithm === 'EdDSA' ? null : NODE_HASH[algorithm as keyof typeof NODE_HASH];
  if (!algorithm || hash === undefined) return undefined;
  const challenge = randomBytes(32);
  const signature = await pkcs11.sign(sessionKey, { label: request.label, id, class: 'privateKey' }, algorithm, challenge);
  const key = request.spec.family === 'EC' ? { key: publicKey.spkiPem, dsaEncoding: 'ieee-p1363' as const } : publicKey.spkiPem;
  return verify(hash, challenge, key, signature)
    ? undefined
    : `The private key and the public key labelled “${request.label}” with id ${id} are not one pair (a signature by the private key does not verify under the public key).`;
}

/** The one half of a pair that is on the token alone (what an interrupted generation can leave), if that is all there is. */
export async function halfOnToken(pkcs11: Pkcs11Client, sessionKey: string, request: KeyRequest, id: string): Promise<'privateKey' | 'publicKey' | undefined> {
  if (request.spec.family === 'AES') return undefined;
  const objects = await pkcs11.findObjects(sessionKey, { label: request.label, id });
  if (objects.length !== 1) return undefined;
  const only = objects[0].class;
  return only === 'privateKey' || only === 'publicKey' ? only : undefined;
}

/** Does the exported public key have the size or curve the request names? */
export function publicKeyProblem(request: KeyRequest, publicKey: Pick<ExportedPublicKey, 'algorithm' | 'bits' | 'curve'>): string | undefined {
  const { spec } = request;
  if (spec.family === 'RSA' && (publicKey.algorithm !== 'RSA' || publicKey.bits !== spec.bits)) {
    return `The public key is ${publicKey.algorithm} ${publicKey.bits ?? publicKey.curve ?? ''}, not RSA ${spec.bits}.`;
  }
  if ((spec.family === 'EC' || spec.family === 'EdDSA') && publicKey.curve !== spec.curve) {
    return `The public key is on ${publicKey.curve ?? publicKey.algorithm}, not ${spec.curve}.`;
  }
  return undefined;
}

/** What destroyKeyObjects did: the classes destroyed, those that went with another half, and what is left. */
export interface KeyObjectsDestroyed {
  /** every class gone from the token, in the order they went */
  destroyed: string[];
  /** the classes that went with the half destroyed before them: yubihsm_pkcs11 keeps a pair as one device object */
  withOtherHalf: string[];
  /** objects still carrying the label and id afterwards (0: the token holds nothing of the key) */
  left: number;
}

/** Destroys every object with the label and id (a key that breaks the promise must not stay behind). */
export async function destroyKeyObjects(pkcs11: Pkcs11Client, sessionKey: string, label: string, id: string): Promise<KeyObjectsDestroyed> {
  const present: Array<'privateKey' | 'secretKey' | 'publicKey'> = [];
  for (const objectClass of ['privateKey', 'secretKey', 'publicKey'] as const) {
    // Exactly one per class is what generation makes; several would need a person to look before anything is destroyed.
    if ((await pkcs11.findObjects(sessionKey, { label, id, class: objectClass })).length === 1) present.push(objectClass);
  }
  const result: KeyObjectsDestroyed = { destroyed: [], withOtherHalf: [], left: 0 };
  for (const objectClass of present) {
    if (result.destroyed.length > 0 && (await pkcs11.findObjects(sessionKey, { label, id, class: objectClass })).length === 0) {
      result.destroyed.push(objectClass);
      result.withOtherHalf.push(objectClass);
      continue;
    }
    await pkcs11.destroyObject(sessionKey, { label, id, class: objectClass });
    result.destroyed.push(objectClass);
  }
  result.left = (await pkcs11.findObjects(sessionKey, { label, id })).length;
  return result;
}

/** The destruction in the journal's words: both halves named, and one device object said when the pair went as one. */
export function destroyedSentence(label: string, result: KeyObjectsDestroyed): string {
  const names = result.destroyed.map((c) => c.replace(/Key$/, ' key'));
  const one = result.withOtherHalf.length > 0 ? ' (one device object: the module removed both halves with one destruction)' : '';
  const left = result.left > 0 ? ` ${result.left} object(s) with that label and id are still on the token.` : '';
  return `Destroyed the ${names.join(' and the ') || 'nothing'} of “${label}”${one}.${left}`;
}

/** The public facts about a verified key, as step results carry them into the journal and the transcript. */
export function keyFacts(request: KeyRequest, inspected: KeyOnToken) {
  const { key, publicKey } = inspected;
  const attributes: Record<string, boolean> = {};
  for (const [name] of SHOWN_ATTRIBUTES) if (typeof key.attributes[name] === 'boolean') attributes[name] = key.attributes[name] as boolean;
  return {
    label: key.label,
    id: key.id,
    algorithm: request.algorithm,
    keyType: key.keyType ?? '',
    size: request.spec.curve ?? `${request.spec.bits} bits`,
    policy: request.policy,
    policyPromise: KEY_POLICY_PROMISES[request.policy],
    policyHolds: inspected.problems.length === 0,
    attributes,
    // 'none' for a secret key, so later steps can always refer to it
    publicKeySha256: publicKey?.sha256 ?? 'none',
  };
}

/** The key types as a person names them (the token's CKK_ names stay in the step's details). */
const KEY_TYPE_WORDS: Record<string, string> = { CKK_EC: 'an EC key', CKK_RSA: 'an RSA key', CKK_EC_EDWARDS: 'an Ed25519 key', CKK_AES: 'an AES key' };

/**
 * The attribute table for the screen and the paper: one line per attribute in words, what it means and yes or no.
 * The token's own names (CKA_…) are in the step's recorded result, shown under its details.
 */
export function attributesText(key: ObjectSummary): string {
  const type = (key.keyType && KEY_TYPE_WORDS[key.keyType]) ?? 'a key of a type this program does not name';
  const lines = [`${key.class === 'secretKey' ? 'Secret' : 'Private'} key “${key.label}”, id ${key.id}, ${type}`];
  for (const [name, meaning] of SHOWN_ATTRIBUTES) {
    const value = key.attributes[name];
    if (typeof value === 'boolean') lines.push(`${meaning.padEnd(34)} ${value ? 'yes' : 'no'}`);
  }
  return lines.join('\n');
}
