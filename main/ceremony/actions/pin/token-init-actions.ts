import { randomBytes } from 'node:crypto';
import type { TokenDescription, TokenSelector } from '../../../devices';
import { modulePathOf, pinFlags, pkcs11Services, tokenFacts } from '../pkcs11';
import type { ActionContext, ActionDefinition, JsonObject } from '../registry';
import { mixedWithHostRandom } from '../host-random';
import { vaultOf } from '../vault';
import { errorCodeOf, PinCeremonyError, PinCeremonyErrorCode } from '../../../errors';
import { entropyBits, generateSoPin, parseAlphabet, soPinLength } from './so-pin-generator';
import { hasSoPin, heldSoPin, SoPinVaultKey, vaultKeyParam } from './so-pin-vault';
import { soLogout, soLogin } from './so-session';
import { describeTarget, findTarget, pinLimitsOf, targetOf } from './token-lookup';
import { refuseWithoutPinAdministration } from './module-limits';

/** How many public objects of a token to name in the transcript before saying "and N more". */
const OBJECTS_LISTED = 20;

function newLabelOf(params: JsonObject): string {
  const label = typeof params.newTokenLabel === 'string' ? params.newTokenLabel.trim() : '';
  if (!label || Buffer.byteLength(label) > 32) {
    throw new PinCeremonyError(PinCeremonyErrorCode.StepMisconfigured, 'The new token label must be 1 to 32 characters (newTokenLabel).');
  }
  return label;
}

/** Another initialised token already answering to the label would make every later step ambiguous. */
function assertLabelFree(all: TokenDescription[], target: TokenDescription, label: string): void {
  const clash = all.find((t) => t.flags.initialized && t.label === label && !(target.flags.initialized && t.serial === target.serial));
  if (clash) {
    throw new PinCeremonyError(
      PinCeremonyErrorCode.TokenLabelInUse,
      `Another token (serial ${clash.serial}) is already labelled “${label}”. Choose another label: tokens are found by label, and two with the same one cannot be told apart.`,
    );
  }
}

/** The public objects of an initialised token, for the administrator to see what erasing it destroys. */
async function publicHoldings(ctx: ActionContext, module: string, selector: TokenSelector): Promise<JsonObject> {
  const { pkcs11 } = pkcs11Services(ctx);
  const behaviour = await pkcs11.behaviour(module, selector).catch(() => undefined);
  if (behaviour?.objectsBeforeLogin !== 'visible') {
    // yubihsm_pkcs11 shows no object before login: an empty list here would say the token is empty when it is not.
    return {
      publicObjects: null,
      listed: [],
      note: 'This module shows no objects before login, so what the token holds cannot be listed here; erasing destroys everything on it.',
    };
  }
  const { sessionKey } = await pkcs11.openSession(module, selector, false);
  try {
    const objects = await pkcs11.findObjects(sessionKey, {});
    return {
      publicObjects: objects.length,
      listed: objects.slice(0, OBJECTS_LISTED).map((o) => ({ class: String(o.class), label: o.label, id: o.id })),
      note: 'Private objects (private and secret keys) are hidden without the user PIN; erasing destroys them too.',
    };
  } finally {
    await pkcs11.closeSession(sessionKey).catch(() => undefined);
  }
}

/** Step 1 of token-init: which token, what it holds, and whether it may be initialised. Changes nothing. */
const inspectToken: ActionDefinition = {
  description: 'Shows the token to be initialised: identity, PIN limits, and what it holds if it is already initialised.',
  async run(ctx, params) {
    const selector = targetOf(ctx, params);
    const label = newLabelOf(params);
    await refuseWithoutPinAdministration(ctx, selector, 'initialise this token');
    const { module, token, all } = await findTarget(ctx, selector);
    assertLabelFree(all, token, label);
    // preflight: a token whose PIN length cannot hold a 128-bit SO-PIN is refused before anything is made
    const alphabet = parseAlphabet(params.characterSet);
    const soPinChars = soPinLength(pinLimitsOf(token), alphabet, typeof params.length === 'number' ? params.length : undefined);
    const holdings = token.flags.initialized ? await publicHoldings(ctx, module, selector) : null;
    if (token.flags.initialized && params.eraseExisting !== true) {
      const count = holdings?.publicObjects;
      const holds =
        typeof count === 'number' ? `holds ${count} public object(s), and maybe private ones` : 'may hold keys (this module lists none before login)';
      throw new PinCeremonyError(
        PinCeremonyErrorCode.TokenNotErasable,
        `Token “${token.label}” (serial ${token.serial}) is already initialised and ${holds}. ` +
          'Initialising erases everything on it. Nothing was changed. To erase it, start the ceremony again with “erase an initialised token” (eraseExisting) set; the administrator and a witness then confirm.',
      );
    }
    return {
      publicResult: {
        ...tokenFacts(token),
        slot: describeTarget(selector),
        willErase: token.flags.initialized,
        holdings,
        newLabel: label,
        soPinPolicy: { characters: soPinChars, characterSet: alphabet, entropyBits: entropyBits(soPinChars, alphabet) },
      },
    };
  },
};

/**
 * Random bytes from the token's generator, or — when it cannot open a session, as an uninitialised SoftHSM2 slot
 * cannot, or refuses random bytes before login, as yubihsm_pkcs11 does — another token of the module; else none.
 */
async function tokenRandom(
  ctx: ActionContext,
  module: string,
  target: TokenDescription,
  selector: TokenSelector,
  all: TokenDescription[],
  refused: string[] = [],
) {
  const { pkcs11 } = pkcs11Services(ctx);
  const candidates: Array<{ selector: TokenSelector; what: string }> = [{ selector, what: `token “${target.label || '(uninitialised)'}”` }];
  for (const other of all) {
    if (other.flags.initialized && other.flags.rng && other.serial !== target.serial)
      candidates.push({ selector: { serial: other.serial }, what: `token “${other.label}” of the same module` });
  }
  for (const candidate of candidates) {
    let sessionKey: string | undefined;
    try {
      // read-write: a read-only session cannot be opened while the SO is logged in (a rotation)
      sessionKey = (await pkcs11.openSession(module, candidate.selector, true)).sessionKey;
      const key = sessionKey;
      // One byte first: a module like yubihsm_pkcs11 gives random bytes only after login (CKR_USER_NOT_LOGGED_IN).
      (await pkcs11.random(key, 1)).fill(0);
      return {
        draw: (count: number) => pkcs11.random(key, count),
        close: () => pkcs11.closeSession(key).catch(() => undefined),
        source: candidate.what,
        refused,
      };
    } catch (error) {
      refused.push(`${candidate.what}: ${errorCodeOf(error) ?? 'error'}`);
      if (sessionKey) await pkcs11.closeSession(sessionKey).catch(() => undefined);
    }
  }
  return null;
}

/**
 * Draws an SO-PIN inside the token's PIN limits. Every byte is the token's random XOR the host's, so neither a weak
 * token generator nor a weak host alone decides it. The caller owns (and zeroes, or hands to the vault) the bytes.
 */
export async function drawSoPin(
  ctx: ActionContext,
  selector: TokenSelector,
  params: JsonObject,
): Promise<{ pin: Uint8Array; entropyBits: number; facts: JsonObject }> {
  const { module, token, all } = await findTarget(ctx, selector);
  const limits = pinLimitsOf(token);
  const alphabet = parseAlphabet(params.characterSet);
  const length = soPinLength(limits, alphabet, typeof params.length === 'number' ? params.length : undefined);
  const refused: string[] = [];
  const generator = await tokenRandom(ctx, module, token, selector, all, refused);
  let pin: Uint8Array;
  try {
    pin = await generateSoPin(length, alphabet, async (count) => {
      if (!generator) return new Uint8Array(randomBytes(count));
      const fromToken = await generator.draw(count);
      if (fromToken.length !== count) {
        fromToken.fill(0);
        throw new PinCeremonyError(
          PinCeremonyErrorCode.StepMisconfigured,
          'The token returned a different amount of random data than asked. Nothing was changed.',
        );
      }
      return mixedWithHostRandom(fromToken);
    });
  } finally {
    await generator?.close();
  }
  return {
    pin,
    entropyBits: entropyBits(length, alphabet),
    facts: {
      soPinLength: length,
      characterSet: alphabet,
      entropyBits: entropyBits(length, alphabet),
      tokenPinLengthLimits: { min: limits.min, max: limits.max },
      randomSource: generator ? `${generator.source} XOR the host’s generator` : 'the host’s generator only (no token of the module could draw random bytes)',
      tokenGeneratorRefusedBy: refused,
    },
  };
}

/**
 * Before anyone types a share or anything changes: the token can hold a generated SO-PIN of 128 bits in the chosen
 * character set (its maximum PIN length read from the token). Refused with the numbers otherwise. Changes nothing.
 */
const checkSoPinFits: ActionDefinition = {
  description: 'Checks that the token can hold a generated 128-bit SO-PIN before anything is entered or changed.',
  async run(ctx, params) {
    await refuseWithoutPinAdministration(ctx, targetOf(ctx, params), 'rotate the SO-PIN');
    const { token } = await findTarget(ctx, targetOf(ctx, params));
    const limits = pinLimitsOf(token);
    const alphabet = parseAlphabet(params.characterSet);
    const characters = soPinLength(limits, alphabet);
    return {
      publicResult: {
        label: token.label,
        serial: token.serial,
        tokenPinLengthLimits: { min: limits.min, max: limits.max },
        soPinPolicy: { characters, characterSet: alphabet, entropyBits: entropyBits(characters, alphabet) },
      },
    };
  },
};

/** Generates the SO-PIN and keeps it in the vault only; it is never shown or printed whole. */
const generateSoPinAction: ActionDefinition = {
  description: 'Generates a random SO-PIN within the token’s PIN limits; nobody sees it.',
  async run(ctx, params) {
    const { pin, entropyBits: bits, facts } = await drawSoPin(ctx, targetOf(ctx, params), params);
    vaultOf(ctx.services).putBytes(ctx.ceremonyId, vaultKeyParam(params), pin, { entropyBits: bits });
    return { publicResult: { ...facts, heldIn: 'memory only, until the last step that needs it zeroes it' } };
  },
};

/** C_InitToken with the generated SO-PIN and the new label. Only after the shares have been printed and rehearsed. */
const initToken: ActionDefinition = {
  description: 'Initialises the token (C_InitToken) with the generated SO-PIN and the new label. This erases the token.',
  async run(ctx, params) {
    const { pkcs11, pkcs11Sessions } = pkcs11Services(ctx);
    const selector = targetOf(ctx, params);
    const label = newLabelOf(params);
    const vaultKey = vaultKeyParam(params);
    const soPin = heldSoPin(ctx, vaultKey);
    const { module, token, all } = await findTarget(ctx, selector);
    const expectedSerial = typeof params.expectedSerial === 'string' ? params.expectedSerial : undefined;
    if (expectedSerial !== undefined && token.serial !== expectedSerial) {
      throw new PinCeremonyError(
        PinCeremonyErrorCode.TokenAbsent,
        `The token now found (serial ${token.serial || 'none'}) is not the one inspected at the start (serial ${expectedSerial || 'none'}). Nothing was changed. Put the inspected token back and retry.`,
      );
    }
    if (token.flags.initialized && params.eraseExisting !== true) {
      throw new PinCeremonyError(
        PinCeremonyErrorCode.TokenNotErasable,
        `Token “${token.label}” is initialised and erasing it was not confirmed. Nothing was changed.`,
      );
    }
    assertLabelFree(all, token, label);
    // C_InitToken needs the token without open sessions: close this ceremony's own
    for (const [slot, session] of pkcs11Sessions.ofCeremony(ctx.ceremonyId)) {
      pkcs11Sessions.delete(slot);
      await pkcs11.closeSession(session.sessionKey).catch(() => undefined);
    }
    await ctx.log(`C_InitToken on ${describeTarget(selector)} (serial ${token.serial || 'none'}) with label “${label}”`);
    const made = await pkcs11.initToken(module, selector, soPin, label);
    await ctx.log(`C_InitToken done: token “${made.label}”, serial ${made.serial}`);
    const after = await findTarget(ctx, { serial: made.serial });
    return {
      publicResult: {
        label: made.label,
        serial: made.serial,
        erasedPrevious: token.flags.initialized,
        initialized: after.token.flags.initialized,
        userPinSet: after.token.flags.userPinInitialized,
        soPinCounters: pinFlags(after.token.flags.soPin),
      },
    };
  },
  /** After an interruption: a token with the new label that accepts the vault's SO-PIN was initialised by this step. */
  async checkEffect(ctx, params) {
    const label = newLabelOf(params);
    const vaultKey = vaultKeyParam(params);
    const tokens = await pkcs11Services(ctx).pkcs11.listTokens(modulePathOf(ctx));
    const named = tokens.find((t) => t.flags.initialized && t.label === label);
    if (!named) return { state: 'absent' };
    if (!hasSoPin(ctx, vaultKey))
      return { state: 'unknown', detail: `a token labelled “${label}” exists, and the SO-PIN is no longer in memory to tell whether this step made it` };
    try {
      await soLogin(ctx, { ...params, token: { label } }, vaultKey);
      await soLogout(ctx, { ...params, token: { label } });
      return {
        state: 'present',
        detail: 'the token already accepts the new SO-PIN',
        publicResult: {
          label,
          serial: named.serial,
          erasedPrevious: params.eraseExisting === true,
          initialized: true,
          userPinSet: named.flags.userPinInitialized,
          recovered: true,
        },
      };
    } catch (error) {
      if (errorCodeOf(error) === PinCeremonyErrorCode.SoPinRejected) return { state: 'absent' };
      return { state: 'unknown', detail: (error as Error).message };
    }
  },
};

export const tokenInitActions: Record<string, ActionDefinition> = {
  'pin.inspect-token': inspectToken,
  'pin.check-so-pin-fits': checkSoPinFits,
  'pin.generate-so-pin': generateSoPinAction,
  'pin.init-token': initToken,
};

export { SoPinVaultKey };
