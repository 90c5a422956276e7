import { HostError } from '../../../../devices';
import type { ActionContext, ActionInputs, JsonObject } from '../../registry';
import { vaultOf } from '../../vault';
import { deviceOf, integerParam, keepSession, secretInput, SessionHandle, translateHostError, yubihsmClient } from '../device';
import { misconfigured, YubiHsmCeremonyError, YubiHsmCeremonyErrorCode } from '../../../../errors';

const lost = (e: unknown) =>
  (e instanceof YubiHsmCeremonyError && e.code === YubiHsmCeremonyErrorCode.SessionNotOpen) ||
  (e instanceof HostError && (e.code === 'YUBIHSM_SESSION_UNKNOWN' || e.code === 'HostLost'));

/**
 * Runs a key-generation step on the named session. When that session is gone (the device was unplugged, the
 * connector stopped, the device host restarted) the step's retry takes the password again (optional input
 * `password`, typed by the key's holder) and opens a new session with params.authKeyId — so a retry finishes or
 * cleans up instead of forcing the ceremony to start over. Without the password it says how to go on.
 */
export async function onKeygenSession<T>(ctx: ActionContext, params: JsonObject, inputs: ActionInputs, fn: (handle: SessionHandle) => Promise<T>): Promise<T> {
  const name = typeof params.session === 'string' && params.session ? params.session : '';
  if (!name) throw misconfigured('the step needs the parameter "session" (the name given when it was opened).');
  const existing = vaultOf(ctx.services).getObject<SessionHandle>(ctx.ceremonyId, `yubihsm.session.${name}`);
  try {
    if (!existing) throw new YubiHsmCeremonyError(YubiHsmCeremonyErrorCode.SessionNotOpen, `The YubiHSM session "${name}" is not open.`);
    return await fn(existing);
  } catch (error) {
    if (!lost(error)) return translateHostError(error);
    const password = secretInput(inputs, 'password');
    if (!password || params.authKeyId === undefined || params.authKeyId === '') {
      throw new YubiHsmCeremonyError(
        YubiHsmCeremonyErrorCode.SessionNotOpen,
        'The YubiHSM session was lost (the device was unplugged, the connector stopped or the application restarted). Retry this step with the password of the authentication key typed again.',
      );
    }
    const keyId = integerParam(params, 'authKeyId');
    const device = deviceOf(ctx, params);
    const client = yubihsmClient(ctx);
    const opened = await client.openSession(device, keyId, password.slice());
    const handle = new SessionHandle(opened.sessionKey, keyId, device, opened.device.serial, client);
    if (existing && existing.serial !== handle.serial) {
      handle.destroy();
      throw new YubiHsmCeremonyError(
        YubiHsmCeremonyErrorCode.ReadBackMismatch,
        `This is YubiHSM ${handle.serial}, not ${existing.serial} on which the ceremony began. Connect that device and retry.`,
      );
    }
    keepSession(ctx, name, handle);
    await ctx.log(`A new YubiHSM session was opened with authentication key ${keyId} after the previous one was lost.`, { authKeyId: keyId });
    try {
      return await fn(handle);
    } catch (again) {
      return translateHostError(again);
    }
  }
}
