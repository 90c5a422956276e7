import { randomBytes } from 'node:crypto';
import type { AuthKeyRequest, ObjectInfo, YubiHsmDeviceClient } from '../../../devices';
import type { ActionDefinition, JsonObject } from '../registry';
import { capabilityList, hasCapabilities, parseDomains } from './capabilities';
import { objectFacts } from './describe';
import { deviceOf, integerParam, sessionNamed, translateHostError, yubihsmClient, type SessionHandle } from './device';
import { misconfigured, YubiHsmCeremonyError, YubiHsmCeremonyErrorCode } from '../../../errors';
import { newPassword, samePassword, typedPassword } from './passwords';
import { isRoleName, MANAGES_AUTH_KEYS, roleMasks, ROLES } from './roles';

const AUTHENTICATION_KEY = 2;

function domainsParam(params: JsonObject): number {
  const domains = parseDomains(String(params.domains ?? ''));
  if (domains === undefined) throw misconfigured('"domains" must be domain numbers from 1 to 16 separated by commas, or "all".');
  return domains;
}

/** What the new key must be: a role of the design, or a copy of an existing key (a rotation's replacement). */
async function requestedKey(client: YubiHsmDeviceClient, handle: SessionHandle, params: JsonObject): Promise<AuthKeyRequest & { role: string }> {
  const id = integerParam(params, 'keyId', 0);
  if (params.copyOf !== undefined && params.copyOf !== null && params.copyOf !== '') {
    const old = await client.objectInfo(handle.sessionKey, integerParam(params, 'copyOf'), AUTHENTICATION_KEY);
    const label = typeof params.label === 'string' && params.label ? params.label : old.label;
    return {
      id,
      label,
      domains: old.domains,
      capabilities: old.capabilities,
      delegatedCapabilities: old.delegatedCapabilities,
      role: `replacement of key ${old.id}`,
    };
  }
  if (!isRoleName(params.role)) throw misconfigured('"role" must be admin, operator or auditor (or give "copyOf").');
  const masks = roleMasks(params.role);
  const label = typeof params.label === 'string' && params.label ? params.label : ROLES[params.role].label;
  return {
    id,
    label: label.slice(0, 40),
    domains: domainsParam(params),
    capabilities: masks.capabilities,
    delegatedCapabilities: masks.delegated,
    role: params.role,
  };
}

function sameAsAsked(info: ObjectInfo, asked: AuthKeyRequest): boolean {
  return (
    info.capabilities === asked.capabilities &&
    info.delegatedCapabilities === asked.delegatedCapabilities &&
    info.domains === asked.domains &&
    info.label === asked.label
  );
}

/**
 * yubihsm.put-auth-key — creates an authentication key for a role of the design (params.role, params.domains) or as
 * a copy of an existing key's capabilities, delegated capabilities and domains (params.copyOf), with the password
 * its holder types twice (inputs `password`, `passwordAgain`). Reads it back and proves it opens a session before
 * the step completes; a key that does not is deleted again. params { session, keyId (0: the device picks), label? }
 */
export const putAuthKey: ActionDefinition = {
  description: 'Creates an authentication key with the password its holder typed twice, and proves it opens a session.',
  async run(ctx, params, inputs) {
    const handle = sessionNamed(ctx, params);
    const password = newPassword(inputs);
    const client = yubihsmClient(ctx);
    try {
      const { role, ...asked } = await requestedKey(client, handle, params);
      const { id } = await client.putAuthKey(handle.sessionKey, asked, password.slice());
      const info = await client.objectInfo(handle.sessionKey, id, AUTHENTICATION_KEY);
      const proof = await client.proveSession(handle.device, id, password.slice());
      if (!sameAsAsked(info, { ...asked, id }) || !proof.ok) {
        await client.deleteObject(handle.sessionKey, id, AUTHENTICATION_KEY).catch(() => undefined);
        if (!proof.ok)
          throw new YubiHsmCeremonyError(
            YubiHsmCeremonyErrorCode.KeyDoesNotOpenSession,
            `The new key ${id} did not open a session (the YubiHSM said: ${proof.message}); it was deleted again.`,
          );
        throw new YubiHsmCeremonyError(
          YubiHsmCeremonyErrorCode.ReadBackMismatch,
          `The YubiHSM stored key ${id} with other capabilities, domains or label than asked; it was deleted again.`,
        );
      }
      return { publicResult: { keyId: id, role, ...objectFacts(info), opensSession: true } };
    } catch (error) {
      return translateHostError(error);
    }
  },
};

/**
 * yubihsm.delete-auth-key — deletes authentication key params.keyId, never locking the device out: it refuses to
 * delete the key of the session it runs in, a key whose replacement (params.replacementKeyId) was not proven
 * (params.replacementProven must be true), and the last key that can manage authentication keys. params { session }
 */
export const deleteAuthKey: ActionDefinition = {
  description: 'Deletes an authentication key, never the last one that can manage keys.',
  async run(ctx, params) {
    const handle = sessionNamed(ctx, params);
    const keyId = integerParam(params, 'keyId');
    if (keyId === handle.authKeyId) {
      throw new YubiHsmCeremonyError(
        YubiHsmCeremonyErrorCode.DeletesOpenSessionKey,
        `Key ${keyId} is the key of the session this step runs in; open a session with another key (the new one) before deleting it.`,
      );
    }
    if (params.replacementKeyId !== undefined && params.replacementProven !== true) {
      throw new YubiHsmCeremonyError(
        YubiHsmCeremonyErrorCode.ReplacementNotProven,
        `Key ${keyId} is deleted only after its replacement has been proven to open a session.`,
      );
    }
    const client = yubihsmClient(ctx);
    try {
      const keys = await client.listObjects(handle.sessionKey, AUTHENTICATION_KEY);
      const target = keys.find((k) => k.id === keyId);
      if (!target)
        throw new YubiHsmCeremonyError(YubiHsmCeremonyErrorCode.ReadBackMismatch, `The YubiHSM has no authentication key ${keyId} that this session can see.`);
      const managers = keys.filter((k) => hasCapabilities(k.capabilities, ...MANAGES_AUTH_KEYS)).map((k) => k.id);
      const remaining = keys.filter((k) => k.id !== keyId);
      if (remaining.length === 0 || (managers.includes(keyId) && managers.length === 1)) {
        throw new YubiHsmCeremonyError(
          YubiHsmCeremonyErrorCode.WouldLockOut,
          `Key ${keyId} is the last key that can manage authentication keys; deleting it would lock everyone out of the YubiHSM. Nothing was deleted.`,
        );
      }
      await client.deleteObject(handle.sessionKey, keyId, AUTHENTICATION_KEY);
      const after = await client.listObjects(handle.sessionKey, AUTHENTICATION_KEY);
      if (after.some((k) => k.id === keyId))
        throw new YubiHsmCeremonyError(YubiHsmCeremonyErrorCode.KeyStillWorks, `The YubiHSM still lists key ${keyId} after deleting it.`);
      return {
        publicResult: {
          deletedKeyId: keyId,
          deletedLabel: target.label,
          remainingKeyIds: after.map((k) => k.id),
          managingKeyIds: after.filter((k) => hasCapabilities(k.capabilities, ...MANAGES_AUTH_KEYS)).map((k) => k.id),
        },
      };
    } catch (error) {
      return translateHostError(error);
    }
  },
};

/**
 * yubihsm.prove-refused — proves that key params.keyId no longer opens a session. params.mustBeGone: the key must be
 * deleted (the device says OBJECT_NOT_FOUND whatever the password); otherwise the password typed (input `password`,
 * or the factory default "password" when params.withFactoryDefault) must be refused. params { device?, keyId }
 */
export const proveRefused: ActionDefinition = {
  description: 'Proves that a key or password no longer opens a session.',
  async run(ctx, params, inputs) {
    const keyId = integerParam(params, 'keyId');
    const typed =
      params.withFactoryDefault === true
        ? new TextEncoder().encode('password')
        : params.mustBeGone === true && !inputs.password
          ? new Uint8Array(randomBytes(16))
          : typedPassword(inputs, 'password', `old password of key ${keyId}`);
    const proof = await yubihsmClient(ctx).proveSession(deviceOf(ctx, params), keyId, typed.slice());
    if (proof.ok || (params.mustBeGone === true && proof.code !== 'OBJECT_NOT_FOUND')) {
      throw new YubiHsmCeremonyError(
        YubiHsmCeremonyErrorCode.KeyStillWorks,
        proof.ok
          ? `Key ${keyId} still opens a session with that password. Stop: the device is not in the state the ceremony expects.`
          : `Key ${keyId} still exists on the YubiHSM (it refused the password, but the key was not deleted).`,
      );
    }
    return { publicResult: { keyId, opensSession: false, deviceSaid: proof.code, deviceSentence: proof.message } };
  },
};

/**
 * yubihsm.change-password — CHANGE_AUTHENTICATION_KEY for a session's own key. The holder types the current password
 * (input `currentPassword`) and the new one twice (`newPassword`, `newPasswordAgain`). Uses the session params.session
 * when it belongs to params.keyId (and shows it stays valid), else opens one for the change and closes it. Proves the
 * new password opens a session and the old one is refused. params { device?, keyId, session? }
 */
export const changePassword: ActionDefinition = {
  description: 'Changes the password of an authentication key (its own session), and proves the new one works and the old one does not.',
  async run(ctx, params, inputs) {
    const keyId = integerParam(params, 'keyId');
    const current = typedPassword(inputs, 'currentPassword', `current password of key ${keyId}`);
    const next = newPassword(inputs, 'newPassword', 'newPasswordAgain');
    if (samePassword(current, next))
      throw new YubiHsmCeremonyError(YubiHsmCeremonyErrorCode.PasswordUnchanged, 'The new password is the current one. Choose another.');
    const client = yubihsmClient(ctx);
    const device = deviceOf(ctx, params);
    const named = typeof params.session === 'string' && params.session ? sessionNamed(ctx, params) : undefined;
    const useNamed = named?.authKeyId === keyId;
    try {
      const sessionKey = useNamed ? named!.sessionKey : (await client.openSession(device, keyId, current.slice())).sessionKey;
      try {
        await client.changeOwnAuthKey(sessionKey, next.slice());
        const stillValid = await client.objectInfo(sessionKey, keyId, AUTHENTICATION_KEY);
        const newWorks = await client.proveSession(device, keyId, next.slice());
        const oldRefused = await client.proveSession(device, keyId, current.slice());
        if (!newWorks.ok)
          throw new YubiHsmCeremonyError(
            YubiHsmCeremonyErrorCode.KeyDoesNotOpenSession,
            `The new password does not open a session (the YubiHSM said: ${newWorks.message}). The session used for the change is still open: retry the step.`,
          );
        if (oldRefused.ok)
          throw new YubiHsmCeremonyError(YubiHsmCeremonyErrorCode.KeyStillWorks, 'The old password still opens a session: the change did not take effect.');
        return {
          publicResult: {
            keyId,
            label: stillValid.label,
            capabilities: capabilityList(stillValid.capabilities),
            changed: true,
            sessionStayedValid: true,
            sessionUsed: useNamed ? String(params.session) : 'opened for the change',
            newOpensSession: true,
            oldRefusedWith: oldRefused.code,
          },
        };
      } finally {
        if (!useNamed) await client.closeSession(sessionKey).catch(() => undefined);
      }
    } catch (error) {
      return translateHostError(error);
    }
  },
};
