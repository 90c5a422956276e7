import { combineShareTexts, type CheckValue } from '../../../main/shares';
import type { AppContext } from '../../../main/ipc/app-context';
import { createCeremony, drive, resultOf, type Plan } from '../../fixtures/harness';

export interface InitialisedToken {
  label: string;
  serial: string;
  setId: string;
  /** "HMAC-SHA256-V1 1a2b3c4d", as on the cards */
  checkValue: string;
  shareSet: { setId: string; n: number; m: number; checkValue: CheckValue };
  /** share texts by custodian index, as the privacy screen showed them */
  shares: Record<number, string>;
  userPin: string;
  ceremonyDir: string;
}

/** The restore-rehearsal inputs: every custodian types back the share the privacy screen showed them. */
export function typedBack(stepIds: string[], revealed: Record<string, string>, prefix = ''): Plan['inputs'] {
  const inputs: NonNullable<Plan['inputs']> = {};
  for (const id of stepIds) {
    const match = new RegExp(`^${prefix}rehearse-\\d+-(\\d+)$`).exec(id);
    if (match) inputs[id] = { values: { share: revealed[`${prefix}reveal-${match[1]}`] } };
  }
  return inputs;
}

/**
 * Runs token-init on an uninitialised slot through the engine: the custodians' shares come off the privacy screen and
 * are typed back in the restore rehearsal, the user PIN is typed twice by its holder.
 */
export async function initialiseToken(
  context: AppContext,
  dataDir: string,
  label: string,
  n: number,
  m: number,
  userPin: string,
  services?: Record<string, unknown>,
): Promise<InitialisedToken> {
  const { ceremony, answers } = await createCeremony(context, dataDir, 'token-init', { newTokenLabel: label, custodians: n, threshold: m }, { services });
  const ids = ceremony.view().steps.map((s) => s.id);
  // first up to the rehearsal, to learn the shares; then the rest with them typed back
  const first = await drive(ceremony, answers, { stopBefore: 'rehearsal-intro' });
  const done = await drive(
    ceremony,
    answers,
    {
      inputs: { ...typedBack(ids, first.revealed), 'set-user-pin': { values: { newPin: userPin, newPinAgain: userPin } } },
    },
    first.revealed,
  );
  if (done.view.status !== 'completed') throw new Error(`token-init stopped: ${JSON.stringify(done.view.current?.failure)}`);
  const split = resultOf(done.view, 'split') as { setId: string; checkValue: string; shareSet: InitialisedToken['shareSet'] };
  const init = resultOf(done.view, 'init-token') as { serial: string };
  const shares: Record<number, string> = {};
  for (let i = 1; i <= n; i++) shares[i] = first.revealed[`reveal-${i}`];
  return { label, serial: init.serial, setId: split.setId, checkValue: split.checkValue, shareSet: split.shareSet, shares, userPin, ceremonyDir: ceremony.dir };
}

/** What the shares rebuild, for the test's own checks (as a custodian team would with `custodian share combine`). */
export async function rebuild(token: Pick<InitialisedToken, 'shareSet'>, shares: string[]): Promise<string> {
  const bytes = await combineShareTexts(shares, { checkValue: token.shareSet.checkValue });
  const text = new TextDecoder().decode(bytes);
  bytes.fill(0);
  return text;
}

/** pin-change's so-rotation parameters: the token's SO-PIN, split 2 of 3, goes to a new 3-of-5 share set. */
export function soRotationParameters(token: Pick<InitialisedToken, 'label' | 'setId' | 'checkValue'>) {
  return {
    mode: 'so-rotation',
    practice: false,
    tokenLabel: token.label,
    shareSetId: token.setId,
    checkValue: token.checkValue,
    custodians: 3,
    threshold: 2,
    newCustodians: 5,
    newThreshold: 3,
  };
}
