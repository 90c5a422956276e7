import type { TokenDescription } from '../../../devices';
import type { PinCounterState } from '../../../../native/pkcs11';
import { BackupError, BackupErrorCode, CeremonyError, CeremonyErrorCode } from '../../../errors';
import type { ActionContext, ActionDefinition, ActionRegistry, JsonObject } from '../registry';
import { missingTokenSentence, modulePathOf, pkcs11Services, secretInputBytes, sessionSlot, tokenOf } from './context';

/** The PIN flags as the transcript and the screen show them. */
export function pinFlags(state: PinCounterState): JsonObject {
  return { countLow: state.countLow, finalTry: state.finalTry, locked: state.locked, toBeChanged: state.toBeChanged };
}

/** What a witness compares with the label on the device: no secrets, no handles. */
export function tokenFacts(token: TokenDescription): JsonObject {
  return {
    label: token.label,
    manufacturer: token.manufacturer,
    model: token.model,
    serial: token.serial,
    initialized: token.flags.initialized,
    // "userPin"/"soPin" would be refused by the journal's secret-name guard: these are counters, and say so
    userPinCounters: pinFlags(token.flags.userPin),
    soPinCounters: pinFlags(token.flags.soPin),
    pinLength: { min: token.pinLength.min, max: token.pinLength.max },
  };
}

/** A sentence about the PIN counters, shown before a login so nobody spends the last try by accident. */
export function counterSentence(who: 'user' | 'SO', state: Pick<PinCounterState, 'countLow' | 'finalTry' | 'locked' | 'triesLeft'>): string {
  if (state.locked) return `The ${who} PIN is locked.`;
  if (state.triesLeft !== undefined) return `The ${who} PIN has ${state.triesLeft === 1 ? '1 try' : `${state.triesLeft} tries`} left.`;
  if (state.finalTry) return `FINAL TRY: one more wrong ${who} PIN locks it.`;
  // COUNT_LOW alone gives no count (SoftHSM2 sets it after one wrong PIN): say only what the token says.
  if (state.countLow) return `The token has counted a wrong ${who} PIN (it does not say how many tries are left).`;
  return `The ${who} PIN counter is clean.`;
}

async function findToken(ctx: ActionContext, params: JsonObject): Promise<{ module: string; token: TokenDescription }> {
  const { pkcs11 } = pkcs11Services(ctx);
  const module = modulePathOf(ctx);
  const selector = tokenOf(ctx, params);
  const tokens = await pkcs11.listTokens(module);
  const token = tokens.find((t) =>
    'serial' in selector ? t.serial === selector.serial : 'label' in selector ? t.label === selector.label : !t.flags.initialized,
  );
  if (!token) {
    const what = 'serial' in selector ? `serial ${selector.serial}` : 'label' in selector ? `label “${selector.label}”` : 'an uninitialised slot';
    throw new CeremonyError(CeremonyErrorCode.ActionFailed, await missingTokenSentence(pkcs11, module, what));
  }
  return { module, token };
}

/**
 * params.needs names what the ceremony will ask of the module; one the module is known not to offer is refused here,
 * before anyone logs in and before anything is touched (module-behaviour.ts holds the limits and their sources).
 */
async function refuseWhatTheModuleLacks(ctx: ActionContext, params: JsonObject, module: string): Promise<void> {
  const needs = params.needs;
  if (needs !== 'key-backup' && needs !== 'key-restore') return;
  const behaviour = await pkcs11Services(ctx).pkcs11.behaviour(module, tokenOf(ctx, params));
  if (!behaviour.keyBackupRefusal) return;
  const what = needs === 'key-backup' ? 'No key can be backed up through this module' : 'No backup bundle can be restored through this module';
  throw new BackupError(BackupErrorCode.ModuleCannotWrap, `${what}; nothing was touched. ${behaviour.keyBackupRefusal}`);
}

/** Shows the token's identity and PIN counters for the witness: the first step of every token ceremony. */
export const tokenStatus: ActionDefinition = {
  description: 'Reads the token’s manufacturer, model, serial number and PIN counters.',
  async run(ctx, params) {
    const { module, token } = await findToken(ctx, params);
    await refuseWhatTheModuleLacks(ctx, params, module);
    return {
      publicResult: {
        ...tokenFacts(token),
        userPinStatus: counterSentence('user', token.flags.userPin),
        soPinStatus: counterSentence('SO', token.flags.soPin),
      },
    };
  },
};

/**
 * Opens a read-write session and logs in with the PIN typed on this step (params.user: USER or SO). The counters
 * are read before the try; on the final try the login is refused unless the step's `confirmFinalTry` input is
 * true. The session stays open for the ceremony's next steps.
 */
const login: ActionDefinition = {
  description: 'Logs in to the token with the PIN typed by its holder.',
  async run(ctx, params, inputs) {
    const { pkcs11, pkcs11Sessions } = pkcs11Services(ctx);
    const user = params.user === 'SO' ? 'SO' : 'USER';
    const module = modulePathOf(ctx);
    const token = tokenOf(ctx, params);
    const pin = secretInputBytes(inputs, 'pin');
    if (!pin) throw new CeremonyError(CeremonyErrorCode.ActionFailed, 'Type the PIN on this step first.');
    const slot = sessionSlot(ctx, token, user);
    const existing = pkcs11Sessions.get(slot);
    if (existing) {
      await pkcs11.closeSession(existing.sessionKey).catch(() => undefined);
      pkcs11Sessions.delete(slot);
    }
    const opened = await pkcs11.openSession(module, token, true);
    try {
      const counters = await pkcs11.login(opened.sessionKey, user, pin, inputs.confirmFinalTry === true);
      pkcs11Sessions.set(slot, { sessionKey: opened.sessionKey, module, token });
      return {
        publicResult: {
          user,
          token: { label: opened.token.label, serial: opened.token.serial },
          before: pinFlags(counters.before),
          after: pinFlags(counters.after),
        },
      };
    } catch (error) {
      await pkcs11.closeSession(opened.sessionKey).catch(() => undefined);
      throw error;
    }
  },
};

const logout: ActionDefinition = {
  description: 'Logs out of the token and closes the session.',
  async run(ctx, params) {
    const { pkcs11, pkcs11Sessions } = pkcs11Services(ctx);
    const user = params.user === 'SO' ? 'SO' : 'USER';
    const slot = sessionSlot(ctx, tokenOf(ctx, params), user);
    const session = pkcs11Sessions.get(slot);
    pkcs11Sessions.delete(slot);
    if (!session) return { publicResult: { loggedOut: false, user, note: 'there was no open session' } };
    await pkcs11.logout(session.sessionKey).catch(() => undefined);
    await pkcs11.closeSession(session.sessionKey).catch(() => undefined);
    return { publicResult: { loggedOut: true, user, note: 'logged out' } };
  },
};

/**
 * Runs `fn` in the ceremony's logged-in session for the token. When the session is gone (token removed, device
 * host restarted) and the step carries an optional `pin` input, logs in again with it; otherwise fails with a
 * sentence that says what to do.
 */
export async function withLoggedInSession<T>(
  ctx: ActionContext,
  params: JsonObject,
  inputs: Record<string, unknown>,
  fn: (sessionKey: string, module: string) => Promise<T>,
  user: 'USER' | 'SO' = 'USER',
): Promise<T> {
  const { pkcs11Sessions } = pkcs11Services(ctx);
  const token = tokenOf(ctx, params);
  const slot = sessionSlot(ctx, token, user);
  let session = pkcs11Sessions.get(slot);
  const pin = secretInputBytes(inputs as never, 'pin');
  if (!session && pin) {
    await login.run(ctx, { ...params, user }, inputs as never);
    session = pkcs11Sessions.get(slot);
  }
  if (!session) {
    throw new CeremonyError(
      CeremonyErrorCode.ActionFailed,
      `There is no logged-in session with the token (it was removed, or the device host restarted). Type the ${user === 'SO' ? 'SO-PIN' : 'user PIN'} on this step and retry it.`,
    );
  }
  try {
    return await fn(session.sessionKey, session.module);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code && ['SessionUnknown', 'HostLost', 'DeviceRemoved', 'TokenNotPresent', 'SessionHandleInvalid', 'DeviceError', 'SessionClosed'].includes(code)) {
      pkcs11Sessions.delete(slot);
    }
    throw error;
  }
}

export function registerTokenActions(registry: ActionRegistry): void {
  registry.register('pkcs11.token-status', tokenStatus);
  registry.register('pkcs11.login', login);
  registry.register('pkcs11.logout', logout);
}
