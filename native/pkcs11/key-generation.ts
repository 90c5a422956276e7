import { CKA, CKK } from './constants';
import type { Cryptoki, Handle } from './cryptoki';
import { readAttributes, template } from './attributes';
import { LayerErrorCode, Pkcs11LayerError, toLayerError } from './errors';
import {
  algorithmSpec,
  comparePolicy,
  expectedAttributes,
  policyByName,
  usageFor,
  type AlgorithmSpec,
  type KeyFamily,
  type KeyPolicy,
  type PolicyDifference,
} from './key-policies';
import { requireMechanism } from './mechanisms';
import { profileOf } from './module-behaviour';
import { classNameOf, describeObject, findObjects, type ObjectSummary } from './objects';
import { exportPublicKey, type ExportedPublicKey } from './public-key';
import type { TokenSession } from './sessions';

/**
 * Key generation inside the token from a named policy. The steps follow boulder's ceremony tool: refuse a label that
 * exists, generate (asynchronously: RSA-4096 takes a while and must not block the host's event loop), read every key
 * back, and destroy and report a key whose attributes differ from the policy.
 */

export interface GenerateKeyRequest {
  readonly algorithm: string;
  readonly policy: string;
  readonly label: string;
  /** Hex; when absent, drawn from the token's RNG in the logged-in session, as long as the module holds ids natively (else 8 bytes). */
  readonly id?: string;
}

export interface GeneratedKey {
  readonly label: string;
  readonly id: string;
  readonly algorithm: string;
  readonly policy: string;
  readonly privateKey: ObjectSummary;
  readonly publicKey?: ExportedPublicKey;
}

export function assertLabelFree(cryptoki: Cryptoki, session: Handle, label: string): void {
  if (findObjects(cryptoki, session, { label }, 1).length > 0) {
    throw new Pkcs11LayerError(LayerErrorCode.LabelExists, `A key labelled '${label}' already exists on this token; choose another label.`, { label });
  }
}

function keyPairTemplates(spec: AlgorithmSpec, policy: KeyPolicy, label: string, id: Buffer) {
  const usage = usageFor(spec.family);
  const common = [
    [CKA.CKA_LABEL, label],
    [CKA.CKA_ID, id],
  ] as const;
  const publicEntries: Array<readonly [CKA, boolean | number | string | Uint8Array]> = [
    ...common,
    [CKA.CKA_TOKEN, true],
    [CKA.CKA_PRIVATE, false],
    ...usage.public,
  ];
  if (spec.family === 'RSA') publicEntries.push([CKA.CKA_MODULUS_BITS, spec.bits!], [CKA.CKA_PUBLIC_EXPONENT, new Uint8Array([1, 0, 1])]);
  else publicEntries.push([CKA.CKA_EC_PARAMS, spec.ecParams!]);
  const privateEntries = [...common, ...policy.protection, ...usage.privateOrSecret];
  return { publicTemplate: template(publicEntries), privateTemplate: template(privateEntries) };
}

/** CKA_EC_PARAMS of Ed25519 as PKCS#11 3.0's printable string "edwards25519" (13 0c …). */
const EDWARDS25519_NAME = Buffer.concat([Buffer.from([0x13, 0x0c]), Buffer.from('edwards25519')]);

/**
 * Ed25519 is asked first by its OID (RFC 8410); yubihsm_pkcs11 (2.8.0, util_pkcs11.c parse_edparams) takes only the
 * printable string and answers CKR_CURVE_NOT_SUPPORTED (0x140) before making anything, so that one refusal is
 * asked again with the name.
 */
async function generatePair(cryptoki: Cryptoki, session: Handle, spec: AlgorithmSpec, policy: KeyPolicy, label: string, id: Buffer) {
  const first = keyPairTemplates(spec, policy, label, id);
  try {
    return await cryptoki.C_GenerateKeyPairAsync(session, { mechanism: spec.generation }, first.publicTemplate, first.privateTemplate);
  } catch (e) {
    const code = (e as { code?: number }).code;
    if (spec.curve !== 'Ed25519' || (code !== 0x140 && !/CURVE_NOT_SUPPORTED|:320\b/.test((e as Error).message ?? ''))) throw e;
    const named = keyPairTemplates({ ...spec, ecParams: EDWARDS25519_NAME }, policy, label, id);
    return await cryptoki.C_GenerateKeyPairAsync(session, { mechanism: spec.generation }, named.publicTemplate, named.privateTemplate);
  }
}

function secretTemplate(spec: AlgorithmSpec, policy: KeyPolicy, label: string, id: Buffer) {
  return template([
    [CKA.CKA_LABEL, label],
    [CKA.CKA_ID, id],
    [CKA.CKA_VALUE_LEN, spec.bits! / 8],
    ...policy.protection,
    ...usageFor(spec.family).privateOrSecret,
  ]);
}

/** Read the key back and compare to the policy; on a difference destroy it and throw PolicyMismatch. */
export function enforcePolicy(
  cryptoki: Cryptoki,
  session: Handle,
  key: Handle,
  policy: KeyPolicy,
  family: KeyFamily,
  opts: { fromUnwrap: boolean; label: string; alsoDestroy?: Handle[] },
): void {
  const expected = expectedAttributes(policy, family, opts.fromUnwrap);
  const actual = readAttributes(
    cryptoki,
    session,
    key,
    expected.map(([type]) => type),
  );
  const differences: PolicyDifference[] = comparePolicy(expected, actual);
  if (differences.length === 0) return;
  const destroyed: string[] = [];
  for (const handle of [key, ...(opts.alsoDestroy ?? [])]) {
    try {
      cryptoki.C_DestroyObject(session, handle);
      destroyed.push(handle === key ? 'key' : 'companion');
    } catch {
      // Reported below through `destroyed`: a key we could not destroy must be named in the transcript.
    }
  }
  throw new Pkcs11LayerError(
    LayerErrorCode.PolicyMismatch,
    `The token made key '${opts.label}' with attributes that break the '${policy.name}' policy (${differences.map((d) => d.attribute).join(', ')}). ` +
      (destroyed.includes('key') ? 'The key was destroyed.' : 'The key could NOT be destroyed; remove it by hand.'),
    { label: opts.label, policy: policy.name, differences, destroyed: destroyed.includes('key') },
  );
}

/**
 * A generation call that failed may have made part of the key (yubihsm_pkcs11 makes the pair, then fails writing the
 * meta object; a token can fail between the two halves). Whatever carries the label and id now is destroyed in the
 * same session, and the error says what was destroyed, so a retry starts from a clean token.
 */
function failedGeneration(cryptoki: Cryptoki, session: Handle, e: unknown, doing: string, label: string, id: Buffer): Pkcs11LayerError {
  const error = toLayerError(e, doing);
  const destroyed: string[] = [];
  let cleanup: 'destroyed' | 'nothing made' | 'could not look' = 'nothing made';
  try {
    // By label alone: it was free before the call (assertLabelFree), and an id the module keeps apart may be lost.
    for (const handle of findObjects(cryptoki, session, { label })) {
      const cls = Number(readAttributes(cryptoki, session, handle, [CKA.CKA_CLASS]).CKA_CLASS);
      cryptoki.C_DestroyObject(session, handle);
      destroyed.push(classNameOf(cls) ?? 'object');
    }
    if (destroyed.length > 0) cleanup = 'destroyed';
  } catch {
    cleanup = 'could not look';
  }
  const names = destroyed.map((c) => c.replace(/Key$/, ' key'));
  const sentence =
    cleanup === 'destroyed'
      ? `The token had already made the ${names.join(' and the ')}; ${names.length > 1 ? 'they were' : 'it was'} destroyed, so a retry starts clean.`
      : cleanup === 'nothing made'
        ? 'Nothing was left on the token.'
        : 'Custodian could not look for what the token made; the retry looks again after login and destroys any part left.';
  return new Pkcs11LayerError(error.code, `${error.message} ${sentence}`, {
    ...error.details,
    halfMade: { cleanup, destroyed, label, id: id.toString('hex') },
  });
}

export async function generateKey(session: TokenSession, request: GenerateKeyRequest, offered: readonly number[]): Promise<GeneratedKey> {
  const spec = algorithmSpec(request.algorithm);
  const policy = policyByName(request.policy);
  requireMechanism(offered, spec.generation, `generating ${request.algorithm} keys`);
  const doing = `generating ${request.algorithm} key '${request.label}'`;

  return session.use(doing, async (handle, cryptoki) => {
    assertLabelFree(cryptoki, handle, request.label);
    const idBytes = profileOf(session.module.info).idSizes.nativeBytes ?? 8;
    const id = request.id !== undefined ? Buffer.from(request.id, 'hex') : cryptoki.C_GenerateRandom(handle, Buffer.alloc(idBytes));
    if (spec.family === 'AES') {
      let key;
      try {
        key = await cryptoki.C_GenerateKeyAsync(handle, { mechanism: spec.generation }, secretTemplate(spec, policy, request.label, id));
      } catch (e) {
        throw failedGeneration(cryptoki, handle, e, doing, request.label, id);
      }
      enforcePolicy(cryptoki, handle, key, policy, spec.family, { fromUnwrap: false, label: request.label });
      return {
        label: request.label,
        id: id.toString('hex'),
        algorithm: request.algorithm,
        policy: policy.name,
        privateKey: describeObject(cryptoki, handle, key),
      };
    }
    let pair;
    try {
      pair = await generatePair(cryptoki, handle, spec, policy, request.label, id);
    } catch (e) {
      throw failedGeneration(cryptoki, handle, e, doing, request.label, id);
    }
    enforcePolicy(cryptoki, handle, pair.privateKey, policy, spec.family, { fromUnwrap: false, label: request.label, alsoDestroy: [pair.publicKey] });
    return {
      label: request.label,
      id: id.toString('hex'),
      algorithm: request.algorithm,
      policy: policy.name,
      privateKey: describeObject(cryptoki, handle, pair.privateKey),
      publicKey: exportPublicKey(cryptoki, handle, pair.publicKey),
    };
  });
}

/** The key family from CKA_KEY_TYPE. */
export function familyOfKeyType(keyType: unknown): KeyFamily {
  switch (keyType) {
    case CKK.CKK_RSA:
      return 'RSA';
    case CKK.CKK_EC:
      return 'EC';
    case CKK.CKK_EC_EDWARDS:
      return 'EdDSA';
    case CKK.CKK_AES:
      return 'AES';
    default:
      throw new Pkcs11LayerError(LayerErrorCode.InvalidParams, 'This key type has no policy in this program.');
  }
}

export interface PolicyCheck {
  readonly ok: boolean;
  readonly differences: PolicyDifference[];
}

/** Check an existing key against a policy (after a restore, or to audit a token); optionally destroy on mismatch. */
export function checkKeyPolicy(
  cryptoki: Cryptoki,
  session: Handle,
  key: Handle,
  policyName: string,
  opts: { fromUnwrap: boolean; destroyOnMismatch: boolean; label: string },
): PolicyCheck {
  const policy = policyByName(policyName);
  const family = familyOfKeyType(readAttributes(cryptoki, session, key, [CKA.CKA_KEY_TYPE]).CKA_KEY_TYPE);
  const expected = expectedAttributes(policy, family, opts.fromUnwrap);
  const differences = comparePolicy(
    expected,
    readAttributes(
      cryptoki,
      session,
      key,
      expected.map(([type]) => type),
    ),
  );
  if (differences.length > 0 && opts.destroyOnMismatch) enforcePolicy(cryptoki, session, key, policy, family, opts);
  return { ok: differences.length === 0, differences };
}
