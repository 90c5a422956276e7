import { createHash } from 'node:crypto';
import { toWords } from '../../../../fingerprint';
import { pkcs11Services, withLoggedInSession } from '..';
import type { ActionDefinition, JsonObject } from '../../registry';
import { KeygenError, KeygenErrorCode } from './errors';
import { fixedId } from './generate';
import { attributesText, destroyedSentence, destroyKeyObjects, inspectKey, keyFacts } from './inspect';
import { writeOutputOnce } from './outputs';
import { keyRequestOf, outputNames } from './request';

/**
 * keygen.read-back — the witnessed check: reads the key's attributes back from the token, compares them with the
 * policy, exports the public key as PEM into the outputs (exclusively) and gives its SHA-256 fingerprint as hex and
 * words. A key that breaks the promise is destroyed and the step fails; so no ceremony ends with a key that differs
 * from what its script said. params.expectedPublicKeySha256 (the generate step's result) must match the key read back.
 */
export const readBack: ActionDefinition = {
  description: 'Reads the key back, checks every promised attribute, and exports the public key with its fingerprint.',
  async run(ctx, params, inputs) {
    const request = keyRequestOf(params);
    const id = fixedId(request);
    const { pkcs11 } = pkcs11Services(ctx);
    const publicResult = await withLoggedInSession(ctx, params, inputs, async (sessionKey): Promise<JsonObject> => {
      const found = await inspectKey(pkcs11, sessionKey, request, id);
      if (!found) throw new KeygenError(KeygenErrorCode.KeyMissing, `No key labelled “${request.label}” with id ${id} is on the token.`);
      if (found.problems.length > 0) {
        const destroyed = await destroyKeyObjects(pkcs11, sessionKey, request.label, id).catch(() => undefined);
        if (destroyed) await ctx.log(destroyedSentence(request.label, destroyed), { label: request.label, id, ...destroyed, outcome: 'destroyed' });
        const fate =
          destroyed && destroyed.left === 0 ? 'It was destroyed; abort this ceremony and start again.' : 'It could NOT be destroyed; remove it by hand.';
        throw new KeygenError(
          KeygenErrorCode.KeyMismatch,
          `The key on the token is not what the script promised: ${found.problems.map((p) => p.message).join(' ')} ${fate}`,
          found.problems,
        );
      }
      const facts = { ...keyFacts(request, found), attributesText: attributesText(found.key) };
      if (!found.publicKey) {
        return { ...facts, fingerprint: 'none — a secret key has no public key', fingerprintWords: '' };
      }
      // The fingerprint is computed here, from the DER the token's attributes gave, not taken from the host's answer.
      const spkiDer = found.publicKey.spkiDer;
      const fingerprint = createHash('sha256').update(spkiDer).digest('hex');
      const expected =
        typeof params.expectedPublicKeySha256 === 'string' && /^[0-9a-f]{64}$/.test(params.expectedPublicKeySha256)
          ? params.expectedPublicKeySha256
          : undefined;
      if (fingerprint !== found.publicKey.sha256 || (expected && expected !== fingerprint)) {
        throw new KeygenError(
          KeygenErrorCode.KeyMismatch,
          'The public key read back is not the one generated in this ceremony. Stop and investigate before going on.',
        );
      }
      const file = await writeOutputOnce(ctx, outputNames(request.label).publicKey, found.publicKey.spkiPem);
      return {
        ...facts,
        publicKeyPem: found.publicKey.spkiPem,
        publicKeyFile: file.name,
        publicKeyFileSha256: file.sha256,
        fingerprint,
        fingerprintWords: toWords(new Uint8Array(Buffer.from(fingerprint, 'hex'))).join(' '),
      };
    });
    return { publicResult };
  },
};
