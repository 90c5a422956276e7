import { pkcs11Services, sessionSlot, tokenOf, withLoggedInSession } from '..';
import type { ActionContext, ActionDefinition, EffectCheck, JsonObject } from '../../registry';
import { KeygenError, KeygenErrorCode, refuse } from './errors';
import { destroyedSentence, destroyKeyObjects, halfOnToken, inspectKey, keyFacts, type KeyOnToken } from './inspect';
import { keyRequestOf, type KeyRequest } from './request';

/**
 * keygen.generate — generates the key inside the HSM in the ceremony's logged-in session, under the label and the id
 * the preflight fixed. Before generating it looks, now logged in (every object is visible, also on modules that show
 * none before login), for anything with that label or id. After generating it reads the key back and destroys it if
 * it is not exactly what the request promised. Generation is complete only when both halves of a pair are on the
 * token and are one key (a signature by the private key verifies under the public key). On a retry it never makes a
 * second key and never keeps half of one: a whole, matching key from the interrupted attempt is taken (finished); a
 * lone half is destroyed and the destruction journaled, then the key is generated afresh (cleaned up). A generation
 * call that fails after the token made part of the key has that part destroyed in the same call, journaled here.
 */

/** The id fixed by the preflight step (params.id is `${steps.preflight.result.id}` in the template). */
export function fixedId(request: KeyRequest): string {
  if (!request.id) throw new KeygenError(KeygenErrorCode.IdInvalid, 'This step needs the key id fixed by the preflight step.');
  return request.id;
}

function generatedResult(request: KeyRequest, key: KeyOnToken, recovered: boolean): JsonObject {
  return { ...keyFacts(request, key), recovered };
}

/** Destroys the lone half an interrupted attempt left, and journals it. */
async function cleanUpHalf(ctx: ActionContext, request: KeyRequest, id: string, sessionKey: string, half: string): Promise<void> {
  const destroyed = await destroyKeyObjects(pkcs11Services(ctx).pkcs11, sessionKey, request.label, id);
  await ctx.log(
    `Cleaned up: an interrupted attempt left only the ${half.replace(/Key$/, ' key')} of “${request.label}” on the token; it was destroyed before generating again.`,
    { label: request.label, id, destroyed: destroyed.destroyed, withOtherHalf: destroyed.withOtherHalf, left: destroyed.left, outcome: 'cleaned up' },
  );
}

/** The token's own call, with any part it made before failing destroyed by the device host, and that journaled. */
async function callGenerate(ctx: ActionContext, request: KeyRequest, id: string, sessionKey: string): Promise<void> {
  try {
    await pkcs11Services(ctx).pkcs11.generateKey(sessionKey, { algorithm: request.algorithm, policy: request.policy, label: request.label, id });
  } catch (error) {
    const half = (error as { details?: { halfMade?: { cleanup: string; destroyed: string[] } } }).details?.halfMade;
    if (half) {
      await ctx.log(
        half.cleanup === 'destroyed'
          ? `The generation failed after the token had made part of the key; what it made was destroyed, so a retry starts clean.`
          : half.cleanup === 'nothing made'
            ? 'The generation failed; nothing was left on the token.'
            : 'The generation failed, and what the token made could not be looked for; the retry looks after login and destroys any part left.',
        { label: request.label, id, cleanup: half.cleanup, destroyed: half.destroyed },
      );
    }
    throw error;
  }
}

async function generateFresh(ctx: ActionContext, request: KeyRequest, id: string, sessionKey: string): Promise<JsonObject> {
  const { pkcs11 } = pkcs11Services(ctx);
  const half = ctx.attempt > 1 ? await halfOnToken(pkcs11, sessionKey, request, id) : undefined;
  if (half) await cleanUpHalf(ctx, request, id, sessionKey, half);
  const existing = half ? undefined : await inspectKey(pkcs11, sessionKey, request, id);
  if (existing) {
    // Label and id together: the id is random per ceremony (or the preflight found it free), so this key comes from
    // an earlier attempt of this step. Use it only if it is exactly what was promised.
    if (ctx.attempt > 1 && existing.problems.length === 0) {
      await ctx.log('Finished: the key made by an interrupted attempt is on the token, whole, and matches the request; it is not generated again.', {
        label: request.label,
        id,
        outcome: 'finished',
      });
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
  await callGenerate(ctx, request, id, sessionKey);
  const made = await inspectKey(pkcs11, sessionKey, request, id);
  if (!made) throw new KeygenError(KeygenErrorCode.KeyMissing, `The token reported success but no key labelled “${request.label}” can be found.`);
  if (made.problems.length > 0) {
    const destroyed = await destroyKeyObjects(pkcs11, sessionKey, request.label, id).catch(() => undefined);
    if (destroyed) await ctx.log(destroyedSentence(request.label, destroyed), { label: request.label, id, ...destroyed, outcome: 'destroyed' });
    const fate = destroyed && destroyed.left === 0 ? 'It was destroyed.' : 'It could NOT be destroyed; remove it by hand before going on.';
    throw new KeygenError(
      KeygenErrorCode.KeyMismatch,
      `The token made a key that is not what the script promised: ${made.problems.map((p) => p.message).join(' ')} ${fate}`,
      made.problems,
    );
  }
  return generatedResult(request, made, false);
}

/**
 * Before a retry: logged in, the key is judged whole (both halves, one key, as promised) or not; a lone half is
 * destroyed (journaled) and the step runs again. Without a logged-in session nothing about the private half can be
 * seen, so the step runs again, logs in with the PIN typed for the retry, and looks before it generates anything.
 */
async function checkEffect(ctx: ActionContext, params: JsonObject): Promise<EffectCheck> {
  const request = keyRequestOf(params);
  const id = fixedId(request);
  const { pkcs11, pkcs11Sessions } = pkcs11Services(ctx);
  const slot = sessionSlot(ctx, tokenOf(ctx, params), 'USER');
  const session = pkcs11Sessions.get(slot);
  if (session) {
    try {
      const half = await halfOnToken(pkcs11, session.sessionKey, request, id);
      if (half) {
        await cleanUpHalf(ctx, request, id, session.sessionKey, half);
        return { state: 'absent' };
      }
      const found = await inspectKey(pkcs11, session.sessionKey, request, id);
      if (!found) return { state: 'absent' };
      if (found.problems.length > 0)
        return { state: 'unknown', detail: `a key with this label and id is on the token, but ${found.problems.map((p) => p.message).join(' ')}` };
      await ctx.log('Finished: the key made by the interrupted attempt is on the token, whole, and matches the request.', {
        label: request.label,
        id,
        outcome: 'finished',
      });
      return {
        state: 'present',
        detail: 'the key made by the interrupted attempt is on the token, whole, and matches the request',
        publicResult: generatedResult(request, found, true),
      };
    } catch {
      pkcs11Sessions.delete(slot); // the session died with the token; the run below logs in again
    }
  }
  await ctx.log(
    'No logged-in session: this step logs in with the PIN typed for the retry and looks for the key before generating anything; it finishes a whole key, destroys a lone half, and never makes a second key.',
    { label: request.label, id },
  );
  return { state: 'absent' };
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
