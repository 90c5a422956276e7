import { scalarParameters } from './parameters';
import {
  action,
  ADMIN,
  announce,
  answersText as buildAnswers,
  boolParam,
  checkIns,
  collectSteps,
  holderParam,
  intParam,
  newPinFields,
  scriptText as buildScript,
  show,
  stringParam,
  type BuiltStep,
} from './pin-ceremony-parts';

// User PIN reset: M custodians rebuild the SO-PIN from their shares for the few minutes the reset takes; the SO
// sets the new user PIN typed twice by its holder; the SO-PIN is zeroed; the new PIN is proved by a test login.
export const name = 'user-pin-reset';

const HEADER = '# User PIN reset by M of N custodians. Generated for the parameters below; `custodian template user-pin-reset` prints it.';
const SO_PIN = 'so-pin';
const PRACTICE_SO_PIN = 'so-pin-practice';
const PRACTICE_NEW_USER_PIN = '13572468';

/** Rehearsal practice: a practice token whose user PIN nobody knows, and practice shares of its SO-PIN. */
export function practiceSteps(n: number, m: number, holder?: string): BuiltStep[] {
  return [
    action(
      'practice-token',
      'Rehearsal: make a practice token',
      'pin.practice-token',
      { vaultKey: PRACTICE_SO_PIN },
      {
        text: 'Rehearsal only: a free slot becomes a practice token with a generated SO-PIN, so the ceremony can be practised without touching a real token.',
        ...(holder
          ? {
              inputs: {
                from: holder,
                fields: [{ name: 'userPin', label: 'Practice token’s user PIN (leave empty: nobody knows it)', type: 'text', secret: true, optional: true }],
              },
            }
          : {}),
      },
      holder ? { input: { by: holder, values: { userPin: '11223344' } } } : undefined,
    ),
    action('practice-split', `Rehearsal: split its SO-PIN into ${n} practice shares`, 'shares.split', { vaultKey: PRACTICE_SO_PIN, n, m }),
    action(
      'practice-zero',
      'Rehearsal: zero the practice SO-PIN',
      'pin.forget-so-pin',
      { vaultKey: PRACTICE_SO_PIN },
      {
        text: 'Only the practice shares remain (read back from memory when a custodian leaves the share field empty).',
      },
    ),
  ];
}

/** Where the share set and the token come from: the practice steps, or what the administrator copied from the cards. */
export function shareSource(practice: boolean, n: number, m: number, holder?: string) {
  if (practice) {
    return {
      steps: practiceSteps(n, m, holder),
      shareSetRef: '${steps.practice-split.result.shareSet}',
      oldSetIdRef: '${steps.practice-split.result.setId}',
      token: { label: '${steps.practice-token.result.label}' },
      copyOf: PRACTICE_SO_PIN,
    };
  }
  return {
    steps: [
      action(
        'expect-set',
        'Name the SO-PIN share set',
        'pin.expect-share-set',
        { setId: '${parameters.shareSetId}', checkValue: '${parameters.checkValue}', n, m },
        {
          text: 'The set id and check value as printed on the share cards and in the token-init transcript.',
          approve: { witnesses: 1 },
        },
      ),
    ],
    shareSetRef: '${steps.expect-set.result.shareSet}',
    oldSetIdRef: '${steps.expect-set.result.setId}',
    token: { label: '${parameters.tokenLabel}' },
    copyOf: undefined,
  };
}

function steps(parameters: Record<string, unknown>) {
  const n = intParam(parameters, 'custodians', 3, 2, 16);
  const m = intParam(parameters, 'threshold', 2, 2, n);
  const practice = boolParam(parameters, 'practice', true);
  const holder = holderParam(parameters, n);
  const source = shareSource(practice, n, m);
  const token = source.token;
  const list: BuiltStep[] = [
    announce(
      'welcome',
      'Welcome',
      `We reset the user PIN. ${m} custodians rebuild the SO-PIN from their shares; it exists whole only in memory, for the minutes this takes, and is zeroed afterwards.`,
    ),
    ...source.steps,
    action('token-status', 'Show the token and its PIN counters', 'pkcs11.token-status', { token }),
    show(
      'show-user-counters',
      'Read the user PIN state aloud',
      '${steps.token-status.result.userPinStatus}',
      'Locked, count low, or clean: the reason for this reset goes into the transcript.',
    ),
    show(
      'show-so-counters',
      'Read the SO-PIN state aloud',
      '${steps.token-status.result.soPinStatus}',
      'At the final SO try, Custodian will not log in with a rebuilt PIN.',
    ),
    ...collectSteps('', m, source.shareSetRef, 'so-pin-shares', source.copyOf),
    action(
      'rebuild',
      'Rebuild the SO-PIN and compare its check value',
      'shares.combine',
      { collectorVaultKey: 'so-pin-shares', into: SO_PIN, m },
      {
        text: 'The rebuilt SO-PIN must have the check value printed on the cards; it is never shown.',
      },
    ),
    action('so-login', 'Security Officer logs in with the rebuilt SO-PIN', 'pin.so-login', { token, vaultKey: SO_PIN }, { approve: { witnesses: 1 } }),
    action(
      'set-user-pin',
      'Set the new user PIN (C_InitPIN)',
      'pin.set-user-pin',
      { token, vaultKey: SO_PIN },
      {
        text: `The user PIN holder (${holder}) types the new PIN twice; it is checked against the token’s limits before anything is sent.`,
        inputs: { from: holder, fields: newPinFields('user PIN') },
      },
      { input: { by: holder, values: { newPin: PRACTICE_NEW_USER_PIN, newPinAgain: PRACTICE_NEW_USER_PIN } } },
    ),
    action('so-logout', 'Security Officer logs out', 'pkcs11.logout', { user: 'SO', token }),
    action(
      'zero-so-pin',
      'Zero the SO-PIN',
      'shares.forget',
      { vaultKeys: practice ? [SO_PIN, PRACTICE_SO_PIN] : [SO_PIN] },
      { text: 'The rebuilt SO-PIN is zeroed; only the custodians’ shares remain.' },
    ),
    action(
      'test-login',
      'Test login with the new user PIN',
      'pkcs11.login',
      { user: 'USER', token },
      {
        inputs: { from: holder, fields: [{ name: 'pin', label: 'New user PIN', type: 'text', secret: true }] },
      },
      { input: { by: holder, values: { pin: PRACTICE_NEW_USER_PIN } } },
    ),
    action('test-logout', 'Log out', 'pkcs11.logout', { user: 'USER', token }),
    action('final-status', 'Read the PIN counters again', 'pkcs11.token-status', { token }),
    announce('goodbye', 'Close the ceremony', 'The user PIN is reset and the SO-PIN zeroed. Compare the chain head on screen with the printed transcript.'),
  ];
  return { n, m, list };
}

export function scriptFor(parameters: Record<string, unknown>): string {
  const { n, m, list } = steps(parameters);
  return buildScript({
    header: HEADER,
    metadata: {
      id: 'user-pin-reset',
      title: 'User PIN reset by M of N custodians',
      description: 'Rebuild the SO-PIN from custodian shares, set a new user PIN, zero the SO-PIN.',
      version: '1',
    },
    roles: { administrator: {}, custodians: { count: n, threshold: m, attendance: 'threshold' }, witnesses: { count: 1 } },
    parameters: {
      practice: {
        type: 'boolean',
        default: boolParam(parameters, 'practice', true),
        description: 'Rehearsal practice on a practice token (uncheck for a real reset)',
      },
      tokenLabel: {
        type: 'string',
        default: stringParam(parameters, 'tokenLabel', 'Custodian PIN Token'),
        description: 'Label of the token whose user PIN is reset',
      },
      shareSetId: { type: 'string', default: stringParam(parameters, 'shareSetId', ''), description: 'SO-PIN share set id (from a share card)' },
      checkValue: { type: 'string', default: stringParam(parameters, 'checkValue', ''), description: 'SO-PIN check value (from a share card)' },
      custodians: { type: 'integer', default: n, description: 'Number of custodians in the set (N)' },
      threshold: { type: 'integer', default: m, description: 'Shares needed (M)' },
      userPinHolder: {
        type: 'string',
        default: stringParam(parameters, 'userPinHolder', ADMIN),
        description: 'Who holds the user PIN (administrator, witness-1 or custodian-i)',
      },
    },
    steps: list,
  });
}

export function answersFor(parameters: Record<string, unknown>): string {
  const { n, m, list } = steps(parameters);
  const given = scalarParameters(parameters);
  return buildAnswers(
    '# Rehearsal answers for user-pin-reset (practice mode): the shares are read back from memory; the PINs are rehearsal values.',
    given,
    list,
    checkIns(
      n,
      Array.from({ length: m }, (_, i) => i + 1),
    ),
  );
}

export const scriptText = scriptFor({});
export const answersText = answersFor({});
