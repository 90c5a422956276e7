import { createHash } from 'node:crypto';
import { toWords } from '../../../../fingerprint';
import { KeygenError, KeygenErrorCode, outputNames, writeOutputOnce } from '../../pkcs11/keygen';
import type { ActionContext, ActionDefinition, JsonObject } from '../../registry';
import { objectFacts } from '../describe';
import { integerParam, yubihsmClient, type SessionHandle } from '../device';
import { onKeygenSession } from './session';
import type { ObjectInfo } from '../../../../devices';
import { ASYMMETRIC_KEY, attributesLines, objectProblems, yubihsmKeyRequestOf, type YubiHsmKeyRequest } from './request';

export const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

export function pemOf(label: 'PUBLIC KEY' | 'CERTIFICATE', der: Uint8Array): string {
  const lines =
    Buffer.from(der)
      .toString('base64')
      .match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** The generated key's SPKI from the device, checked against the fingerprint an earlier step recorded. */
export async function checkedPublicKey(ctx: ActionContext, handle: SessionHandle, keyId: number, params: JsonObject): Promise<Uint8Array> {
  const { spki } = await yubihsmClient(ctx).publicKey(handle.sessionKey, keyId);
  const expected =
    typeof params.expectedPublicKeySha256 === 'string' && /^[0-9a-f]{64}$/.test(params.expectedPublicKeySha256) ? params.expectedPublicKeySha256 : '';
  if (expected && sha256Hex(spki) !== expected) {
    throw new KeygenError(
      KeygenErrorCode.KeyMismatch,
      `The public key of YubiHSM key ${keyId} is not the one generated in this ceremony. Stop and investigate before going on.`,
    );
  }
  return spki;
}

/**
 * The key's information read back and compared with the request (objectProblems). A key that breaks the promise is
 * deleted, logged, and the step refused with `refusal` of the problems found; else its information.
 */
export async function promisedKey(
  ctx: ActionContext,
  handle: SessionHandle,
  keyId: number,
  request: YubiHsmKeyRequest,
  refusal: (problems: string) => string,
): Promise<ObjectInfo> {
  const client = yubihsmClient(ctx);
  const info = await client.objectInfo(handle.sessionKey, keyId, ASYMMETRIC_KEY);
  const problems = objectProblems(info, request, keyId);
  if (problems.length) {
    await client.deleteObject(handle.sessionKey, keyId, ASYMMETRIC_KEY).catch(() => undefined);
    await ctx.log(`Deleted asymmetric key ${keyId}: it was not what the script promised.`, { deletedKeyId: keyId });
    throw new KeygenError(KeygenErrorCode.KeyMismatch, refusal(problems.join(' ')));
  }
  return info;
}

/**
 * yubihsm.read-back-key — the witnessed check, as keygen.read-back does it on PKCS#11: the object's information read
 * back and compared with the policy (type, algorithm, label, domains, capabilities, origin "generated"); the public
 * key (the generate step's fingerprint must match) written as PEM to the outputs, with its SHA-256 fingerprint in
 * hex and words computed here from the DER. A key that breaks the promise is deleted and the step fails.
 * params { session, keyId, expectedPublicKeySha256, …the request }
 */
export const readBack: ActionDefinition = {
  description: 'Reads the key back, checks it against the policy, and exports the public key with its fingerprint.',
  async run(ctx, params, inputs) {
    const request = yubihsmKeyRequestOf(params);
    const keyId = integerParam(params, 'keyId');
    return onKeygenSession(ctx, params, inputs, async (handle) => {
      const info = await promisedKey(
        ctx,
        handle,
        keyId,
        request,
        (problems) => `The key on the YubiHSM is not what the script promised: ${problems} It was deleted; abort this ceremony and start again.`,
      );
      const spki = await checkedPublicKey(ctx, handle, keyId, params);
      const fingerprint = sha256Hex(spki);
      const pem = pemOf('PUBLIC KEY', spki);
      const file = await writeOutputOnce(ctx, outputNames(request.base.label).publicKey, pem);
      return {
        publicResult: {
          keyId,
          ...objectFacts(info),
          algorithm: request.base.algorithm,
          policy: request.base.policy,
          attributesText: attributesLines(info, request),
          publicKeyPem: pem,
          publicKeyFile: file.name,
          publicKeyFileSha256: file.sha256,
          publicKeySha256: fingerprint,
          fingerprint,
          fingerprintWords: toWords(new Uint8Array(Buffer.from(fingerprint, 'hex'))).join(' '),
        },
      };
    });
  },
};
