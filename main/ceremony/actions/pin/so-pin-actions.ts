import { counterSentence, pinFlags, pkcs11Services, tokenOf } from '../pkcs11';
import type { ActionDefinition } from '../registry';
import { errorCodeOf, PinCeremonyError, PinCeremonyErrorCode } from '../../../errors';
import { forgetSoPin, hasSoPin, heldSoPin, SoPinVaultKey, vaultKeyParam } from './so-pin-vault';
import { soLogin, soLogout, withSoSession } from './so-session';
import { findTarget, pinLimitsOf } from './token-lookup';

/** Logs in as Security Officer with the SO-PIN in the vault (rebuilt from shares); the counters are shown first. */
const soLoginAction: ActionDefinition = {
  description: 'Logs in as Security Officer with the rebuilt SO-PIN; stops before the final try.',
  async run(ctx, params) {
    const session = await soLogin(ctx, params, vaultKeyParam(params));
    return {
      publicResult: {
        user: 'SO',
        token: { label: session.token.label, serial: session.token.serial },
        before: pinFlags(session.counters.before),
        after: pinFlags(session.counters.after),
        soCountersSay: counterSentence('SO', session.counters.after),
      },
    };
  },
};

/**
 * Rotates the SO-PIN: C_SetPIN as SO from the rebuilt old SO-PIN to the newly generated one (both in the vault), then
 * proves the new one with a test SO login. Not repeated blindly after an interruption: checkEffect tries the new PIN.
 */
const changeSoPin: ActionDefinition = {
  description: 'Changes the SO-PIN (C_SetPIN as Security Officer) to the newly generated one and proves it.',
  async run(ctx, params) {
    const { pkcs11 } = pkcs11Services(ctx);
    const oldKey = vaultKeyParam(params);
    const newKey = vaultKeyParam(params, 'newVaultKey', SoPinVaultKey.Next);
    const next = heldSoPin(ctx, newKey);
    heldSoPin(ctx, oldKey);
    const { token } = await findTarget(ctx, tokenOf(ctx, params));
    const limits = pinLimitsOf(token);
    if (next.length < limits.min || next.length > limits.max) {
      throw new PinCeremonyError(
        PinCeremonyErrorCode.PinLengthOutsideTokenLimits,
        `The new SO-PIN does not fit this token’s PIN limits (${limits.min} to ${limits.max}). Nothing was sent.`,
      );
    }
    await withSoSession(
      ctx,
      params,
      oldKey,
      async (sessionKey) => {
        await ctx.log(`C_SetPIN as Security Officer on token “${token.label}” (serial ${token.serial})`);
        await pkcs11.setPin(sessionKey, heldSoPin(ctx, oldKey), heldSoPin(ctx, newKey));
        await ctx.log('C_SetPIN done: the SO-PIN is changed');
      },
      { relogin: false },
    );
    await soLogout(ctx, params);
    await ctx.log('Test login as Security Officer with the new SO-PIN');
    const proof = await soLogin(ctx, params, newKey);
    await soLogout(ctx, params);
    return {
      publicResult: {
        token: { label: token.label, serial: token.serial },
        soPinChanged: true,
        testLogin: 'the new SO-PIN opens the token',
        soCountersAfter: pinFlags(proof.counters.after),
      },
    };
  },
  async checkEffect(ctx, params) {
    const newKey = vaultKeyParam(params, 'newVaultKey', SoPinVaultKey.Next);
    if (!hasSoPin(ctx, newKey)) return { state: 'unknown', detail: 'the new SO-PIN is no longer in memory' };
    try {
      const proof = await soLogin(ctx, params, newKey);
      await soLogout(ctx, params);
      return {
        state: 'present',
        detail: 'the token already accepts the new SO-PIN',
        publicResult: {
          token: { label: proof.token.label, serial: proof.token.serial },
          soPinChanged: true,
          testLogin: 'the new SO-PIN opens the token',
          recovered: true,
        },
      };
    } catch (error) {
      if (errorCodeOf(error) === PinCeremonyErrorCode.SoPinRejected) return { state: 'absent' };
      return { state: 'unknown', detail: (error as Error).message };
    }
  },
};

/** Zeroes the SO-PIN(s) in memory: the end of every window in which the SO-PIN existed whole. */
const forgetSoPinAction: ActionDefinition = {
  description: 'Zeroes the SO-PIN in memory.',
  async run(ctx, params) {
    const keys = Array.isArray(params.vaultKeys) ? params.vaultKeys.filter((k): k is string => typeof k === 'string') : [vaultKeyParam(params)];
    const held = keys.filter((key) => forgetSoPin(ctx, key));
    return { publicResult: { zeroed: keys, wereHeld: held, statement: 'The SO-PIN no longer exists whole anywhere; only the custodians’ shares remain.' } };
  },
};

/** Declares in the transcript that a share set no longer rebuilds a working SO-PIN (after a rotation). */
const voidShareSet: ActionDefinition = {
  description: 'Declares the old SO-PIN share set void in the transcript.',
  async run(_ctx, params) {
    const voided = typeof params.setId === 'string' ? params.setId : '';
    if (!voided) throw new PinCeremonyError(PinCeremonyErrorCode.StepMisconfigured, 'The step does not name the share set to declare void (setId).');
    const replacedBy = typeof params.replacedBySetId === 'string' ? params.replacedBySetId : null;
    return {
      publicResult: {
        voidedSetId: voided,
        replacedBySetId: replacedBy,
        statement: `Share set ${voided} is VOID: it no longer rebuilds the token’s SO-PIN${replacedBy ? `, which is now held as share set ${replacedBy}` : ''}. Custodians destroy their old share cards in front of a witness.`,
      },
    };
  },
};

export const soPinActions: Record<string, ActionDefinition> = {
  'pin.so-login': soLoginAction,
  'pin.change-so-pin': changeSoPin,
  'pin.forget-so-pin': forgetSoPinAction,
  'pin.void-share-set': voidShareSet,
};
