import { modulePathOf, pkcs11Services, sessionSlot, tokenOf, withLoggedInSession } from '../pkcs11';
import type { ActionContext, ActionDefinition, EffectCheck, JsonObject } from '../registry';
import { KeygenError, KeygenErrorCode, refuse } from './errors';
import { destroyKeyObjects, inspectKey, keyFacts, publicKeyProblem, type KeyOnToken } from './inspect';
import { keyRequestOf, type KeyRequest } from './request';

/**
 * keygen.generate — generates the key inside the HSM in the ceremony's logged-in session, under the label and the id
 * the preflight fixed. Before generating it looks again, now logged in (private objects are visible), for anything
 * with that label or id. After generating it reads the key back and destroys it if it is not exactly what the
 * request promised. On a retry (token removed, device host restarted) it never makes a second key: checkEffect, and
 * run itself once logged in, recognise the key an interrupted attempt made by its label and its random id.
 */

/** The id fixed by the preflight step (params.id is `${steps.preflight.result.id}` in the template). */
export function fixedId(request: KeyRequest): string {
  if (!request.id) throw new KeygenError(KeygenErrorCode.IdInvalid, 'This step needs the key id fixed by the preflight step.');
  return request.id;
}

function generatedResult(request: KeyRequest, key: KeyOnToken, recovered: boolean): JsonObject {
  return { ...keyFacts(request, key), recovered };
}

async function generateFresh(ctx: ActionContext, request: KeyRequest, id: string, sessionKey: string): Promise<JsonObject> {
  const { pkcs11 } = pkcs11Services(ctx);
  const existing = await inspectKey(pkcs11, sessionKey, request, id);
  if (existing) {
    // Label and id together: the id is random per ceremony (or the preflight found it free), so this key comes from
    // an earlier attempt of this step. Use it only if it is exactly what was promised.
    if (ctx.attempt > 1 && existing.problems.length === 0) {
      await ctx.log('The key made by an interrupted attempt is on the token and matches the request; it is not generated again.', { label: request.label, id });
      return generatedResult(request, existing, true);
    }
    throw refuse(
      existing.problems.length
        ? existing.problems
        : [{ code: KeygenErrorCode.LabelExists, message: `A key labelled “${request.label}” with id ${id} already exists on this token.` }],
    );
  }
  if ((await pkcs11.findObjects(sessionKey, { label: request.label })).length > 0) {
    throw new KeygenError(KeygenErrorCode.LabelExists, `A key labelled “${request.label}” already exists on this token; choose another label.`);
  }
  if ((await pkcs11.findObjects(sessionKey, { id })).length > 0) {
    throw new KeygenError(KeygenErrorCode.IdExists, `An object with id ${id} already exists on this token.`);
  }
  await pkcs11.generateKey(sessionKey, { algorithm: request.algorithm, policy: request.policy, label: request.label, id });
  const made = await inspectKey(pkcs11, sessionKey, request, id);
  if (!made) throw new KeygenError(KeygenErrorCode.KeyMissing, `The token reported success but no key labelled “${request.label}” can be found.`);
  if (made.problems.length > 0) {
    const destroyed = await destroyKeyObjects(pkcs11, sessionKey, request.label, id).catch(() => []);
    const fate = destroyed.length > 0 ? 'It was destroyed.' : 'It could NOT be destroyed; remove it by hand before going on.';
    throw new KeygenError(
      KeygenErrorCode.KeyMismatch,
      `The token made a key that is not what the script promised: ${made.problems.map((p) => p.message).join(' ')} ${fate}`,
      made.problems,
    );
  }
  return generatedResult(request, made, false);
}

async function checkEffect(ctx: ActionContext, params: JsonObject): Promise<EffectCheck> {
  const request = keyRequestOf(params);
  const id = fixedId(request);
  const { pkcs11, pkcs11Sessions } = pkcs11Services(ctx);
  const token = tokenOf(ctx, params);
  const slot = sessionSlot(ctx, token, 'USER');
  const session = pkcs11Sessions.get(slot);
  if (session) {
    let found: KeyOnToken | undefined;
    let sessionAlive = true;
    try {
      found = await inspectKey(pkcs11, session.sessionKey, request, id);
    } catch {
      sessionAlive = false; // the session died with the token; look without it below
      pkcs11Sessions.delete(slot);
    }
    if (sessionAlive) {
      if (!found) return { state: 'absent' };
      if (found.problems.length > 0)
        return { state: 'unknown', detail: `a key with this label and id is on the token, but ${found.problems.map((p) => p.message).join(' ')}` };
      return {
        state: 'present',
        detail: 'the key made by the interrupted attempt is on the token and matches the request',
        publicResult: generatedResult(request, found, true),
      };
    }
  }
  // Not logged in: only public objects are visible.
  if (request.spec.family === 'AES') {
    await ctx.log(
      'A secret key is visible only after login: this step logs in with the PIN typed for the retry and looks for the key again before generating anything; it never makes a second key.',
    );
    return { state: 'absent' };
  }
  const { sessionKey } = await pkcs11.openSession(modulePathOf(ctx), token, false);
  try {
    const publics = await pkcs11.findObjects(sessionKey, { label: request.label, id, class: 'publicKey' });
    if (publics.length === 0) return { state: 'absent' };
    const publicKey = await pkcs11.exportPublicKey(sessionKey, { label: request.label, id, class: 'publicKey' });
    const problem = publicKeyProblem(request, publicKey);
    if (problem) return { state: 'unknown', detail: `a public key with this label and id is on the token, but ${problem}` };
    return {
      state: 'present',
      detail: 'the key pair made by the interrupted attempt is on the token; the read-back step checks the private key after login',
      publicResult: {
        label: request.label,
        id,
        algorithm: request.algorithm,
        policy: request.policy,
        publicKeySha256: publicKey.sha256,
        recovered: true,
        privateKeyChecked: false,
      },
    };
  } finally {
    await pkcs11.closeSession(sessionKey).catch(() => undefined);
  }
}

export const generate: ActionDefinition = {
  description: 'Generates the key inside the HSM, reads it back and checks it against the promised policy.',
  async run(ctx, params, inputs) {
    const request = keyRequestOf(params);
    const id = fixedId(request);
    const publicResult = await withLoggedInSession(ctx, params, inputs, (sessionKey) => generateFresh(ctx, request, id, sessionKey));
    return { publicResult };
  },
  checkEffect,
};
