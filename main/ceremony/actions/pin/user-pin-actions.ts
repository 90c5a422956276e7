import { counterSentence, pinFlags, pkcs11Services, tokenOf } from '../pkcs11';
import type { ActionDefinition } from '../registry';
import { PinCeremonyError, PinCeremonyErrorCode } from '../../../errors';
import { checkNewPin, requiredPin } from './pin-rules';
import { vaultKeyParam } from './so-pin-vault';
import { withSoSession } from './so-session';
import { findTarget, pinLimitsOf } from './token-lookup';
import { pinTokenStatus } from './module-limits';

/**
 * C_InitPIN: the Security Officer sets the user PIN (the first one after initialisation, or a reset of a forgotten or
 * locked one). The new PIN is typed twice by its holder on this step and checked against the token's limits before
 * anything is sent. The SO session comes from an earlier pin.so-login step, or is opened here with the vault's
 * SO-PIN — which is also how the step resumes after the token was removed and put back.
 */
const setUserPin: ActionDefinition = {
  description: 'Sets the user PIN as Security Officer (C_InitPIN), with the new PIN typed twice by its holder.',
  async run(ctx, params, inputs) {
    const { pkcs11 } = pkcs11Services(ctx);
    const selector = tokenOf(ctx, params);
    const { token } = await findTarget(ctx, selector);
    const newPin = checkNewPin(inputs, pinLimitsOf(token));
    await withSoSession(ctx, params, vaultKeyParam(params), async (sessionKey) => {
      await ctx.log(`C_InitPIN on token “${token.label}” (serial ${token.serial})`);
      await pkcs11.initPin(sessionKey, newPin);
      await ctx.log('C_InitPIN done: the user PIN is set');
    });
    const after = (await findTarget(ctx, selector)).token;
    return {
      publicResult: {
        token: { label: after.label, serial: after.serial },
        userPinSet: after.flags.userPinInitialized,
        userPinCounters: pinFlags(after.flags.userPin),
      },
    };
  },
  // C_InitPIN may be repeated: a retry sets the PIN typed on the retry, so no effect check is needed.
};

/**
 * C_SetPIN as the user: the holder types the current PIN and the new one twice. The counters are read and reported
 * before the login; a locked PIN sends the holder to the user-pin-reset ceremony, and the final try is spent only with
 * confirmFinalTry. After the change the new PIN is proved by a test login.
 */
const changeUserPin: ActionDefinition = {
  description: 'The user PIN holder changes their PIN (C_SetPIN), then proves the new one with a test login.',
  async run(ctx, params, inputs) {
    const { pkcs11 } = pkcs11Services(ctx);
    const selector = tokenOf(ctx, params);
    const { module, token } = await findTarget(ctx, selector);
    const before = token.flags.userPin;
    if (before.locked) {
      throw new PinCeremonyError(
        PinCeremonyErrorCode.UserPinLocked,
        `The user PIN of token “${token.label}” is locked. It cannot be changed, only reset by M custodians (the user-pin-reset ceremony).`,
      );
    }
    const newPin = checkNewPin(inputs, pinLimitsOf(token), { pin: 'newPin', again: 'newPinAgain', old: 'oldPin' });
    const oldPin = requiredPin(inputs, 'oldPin', 'the current PIN');
    const { sessionKey } = await pkcs11.openSession(module, selector, true);
    try {
      await ctx.log(`C_Login as user on token “${token.label}” (serial ${token.serial}); ${counterSentence('user', before)}`, {
        userCountersBefore: pinFlags(before),
      });
      await pkcs11.login(sessionKey, 'USER', oldPin, inputs.confirmFinalTry === true);
      await ctx.log('C_SetPIN as user');
      await pkcs11.setPin(sessionKey, oldPin, newPin);
      await ctx.log('C_SetPIN done; C_Logout, then a test C_Login with the new PIN');
      await pkcs11.logout(sessionKey);
      await pkcs11.login(sessionKey, 'USER', newPin);
      await pkcs11.logout(sessionKey);
      await ctx.log('Test login with the new PIN accepted');
    } finally {
      await pkcs11.closeSession(sessionKey).catch(() => undefined);
    }
    const after = (await findTarget(ctx, selector)).token;
    return {
      publicResult: {
        token: { label: after.label, serial: after.serial },
        userCountersBefore: pinFlags(before),
        userPinChanged: true,
        testLogin: 'the new PIN opens the token',
        userPinCounters: pinFlags(after.flags.userPin),
      },
    };
  },
};

export const userPinActions: Record<string, ActionDefinition> = {
  'pin.token-status': pinTokenStatus,
  'pin.set-user-pin': setUserPin,
  'pin.change-user-pin': changeUserPin,
};
