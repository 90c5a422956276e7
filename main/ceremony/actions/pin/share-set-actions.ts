import { randomBytes, randomInt } from 'node:crypto';
import { CheckValueMethod, formatCheckValue, normalizeSetId } from '../../../shares';
import { pkcs11Services } from '../pkcs11';
import type { ActionDefinition, JsonObject } from '../registry';
import { vaultOf } from '../vault';
import { PinCeremonyError, PinCeremonyErrorCode } from '../../../errors';
import { checkNewPin, secretBytes } from './pin-rules';
import { heldSoPin, vaultKeyParam } from './so-pin-vault';
import { soLogin, soLogout } from './so-session';
import { drawSoPin } from './token-init-actions';
import { findTarget, pinLimitsOf } from './token-lookup';
import { refuseWithoutPinAdministration } from './module-limits';

/**
 * The SO-PIN share set a reset or rotation expects, from what is printed on every share card and in the token-init
 * transcript: set id and check value (M and N are the ceremony's parameters). The result is the public record
 * shares.accept checks each typed share against, and shares.combine checks the rebuilt SO-PIN against.
 */
const expectShareSet: ActionDefinition = {
  description: 'Records which SO-PIN share set (set id and check value, as printed on the cards) the custodians will enter.',
  async run(_ctx, params) {
    let setId: string;
    try {
      setId = normalizeSetId(String(params.setId ?? ''));
    } catch {
      throw new PinCeremonyError(
        PinCeremonyErrorCode.StepMisconfigured,
        'The share set id is not one Custodian wrote (copy it from a share card: the “Set” line).',
      );
    }
    const checkValue = parseCheckValue(String(params.checkValue ?? ''));
    const n = Number(params.n);
    const m = Number(params.m);
    if (!Number.isInteger(n) || !Number.isInteger(m) || m < 2 || m > n) {
      throw new PinCeremonyError(PinCeremonyErrorCode.StepMisconfigured, 'The share set needs a threshold of at least 2 and at most the number of custodians.');
    }
    return { publicResult: { shareSet: { setId, n, m, checkValue }, setId, checkValueText: formatCheckValue(checkValue) } };
  },
};

/** "HMAC-SHA256-V1 1a2b3c4d", "AES-KCV 1a2b3c", or the bare hex (its length tells the method). */
export function parseCheckValue(text: string): { method: CheckValueMethod; value: string } {
  const match = /^\s*(AES-KCV|HMAC-SHA256-V1)?\s*([0-9a-fA-F\s]+)$/i.exec(text);
  const value = match?.[2].replace(/\s+/g, '').toLowerCase() ?? '';
  const named = match?.[1]?.toUpperCase() as CheckValueMethod | undefined;
  const method = named ?? (value.length === 6 ? CheckValueMethod.AES_KCV : value.length === 8 ? CheckValueMethod.HMAC_SHA256_V1 : undefined);
  const expectedLength = method === CheckValueMethod.AES_KCV ? 6 : 8;
  if (!method || value.length !== expectedLength) {
    throw new PinCeremonyError(PinCeremonyErrorCode.StepMisconfigured, 'The check value must be copied from a share card, e.g. “HMAC-SHA256-V1 1a2b3c4d”.');
  }
  return { method, value };
}

/**
 * Rehearsal only: a practice token in a free slot, initialised with a generated SO-PIN (left in the vault for the
 * practice shares) and a user PIN — the one typed by its holder, or a generated one nobody learns (the practice is a
 * forgotten PIN). So a PIN ceremony can be rehearsed from its answers file without touching the rehearsal token.
 */
const practiceToken: ActionDefinition = {
  description: 'Rehearsal: makes a practice token with a generated SO-PIN, to practise the ceremony on.',
  async run(ctx, params: JsonObject, inputs) {
    if (!ctx.rehearsal) {
      throw new PinCeremonyError(
        PinCeremonyErrorCode.StepMisconfigured,
        'Practice tokens are made only in rehearsal. For a real ceremony, start it with “practice” unchecked.',
      );
    }
    const { pkcs11 } = pkcs11Services(ctx);
    const vaultKey = vaultKeyParam(params, 'vaultKey', 'so-pin-practice');
    const selector = { uninitialized: true } as const;
    await refuseWithoutPinAdministration(ctx, selector, 'make a practice token');
    const { module, token } = await findTarget(ctx, selector);
    const limits = pinLimitsOf(token);
    const typed = secretBytes(inputs, 'userPin');
    const userPin = typed
      ? checkNewPin({ userPin: typed, again: typed }, limits, { pin: 'userPin', again: 'again' })
      : generatedDigits(Math.max(limits.min, 12));
    const { pin, entropyBits, facts } = await drawSoPin(ctx, selector, params);
    vaultOf(ctx.services).putBytes(ctx.ceremonyId, vaultKey, pin, { entropyBits });
    const label = `PIN practice ${randomBytes(3).toString('hex')}`;
    await ctx.log(`C_InitToken on a free slot with label “${label}” (practice token)`);
    let made: { label: string; serial: string };
    try {
      made = await pkcs11.initToken(module, selector, heldSoPin(ctx, vaultKey), label);
      const session = await soLogin(ctx, { token: { label } }, vaultKey);
      await ctx.log('C_InitPIN on the practice token');
      await pkcs11.initPin(session.sessionKey, userPin);
      await soLogout(ctx, { token: { label } });
    } finally {
      if (!typed) userPin.fill(0); // a generated one is ours; a typed one is the engine's to zero
    }
    return {
      publicResult: {
        label: made.label,
        serial: made.serial,
        practice: true,
        userPinHolder: typed ? 'known to the user PIN holder (typed on this step)' : 'nobody: generated and discarded, as if forgotten',
        ...facts,
      },
    };
  },
};

/** A practice user PIN nobody learns, as bytes the caller zeroes. */
function generatedDigits(length: number): Uint8Array {
  const digits = new Uint8Array(length);
  for (let i = 0; i < length; i++) digits[i] = 0x30 + randomInt(10);
  return digits;
}

export const shareSetActions: Record<string, ActionDefinition> = {
  'pin.expect-share-set': expectShareSet,
  'pin.practice-token': practiceToken,
};
