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
  restoreRehearsalSteps,
  revealAndCardSteps,
  scriptText as buildScript,
  show,
  stringParam,
  confirmStep,
  type BuiltStep,
} from './pin-ceremony-parts';
import { shareSource } from './user-pin-reset';

// PIN change, one template with a mode:
//   user         the user PIN holder changes their own PIN (C_SetPIN), the counters shown before the login;
//   so-rotation  M custodians rebuild the old SO-PIN, a new one is generated and split to a (possibly different)
//                set of custodians, rehearsed, set with C_SetPIN as SO, and the old set is declared void.
export const name = 'pin-change';

const HEADER = '# PIN change: the user PIN by its holder, or the SO-PIN rotated to a new share set. Generated for the parameters below.';
const OLD_SO_PIN = 'so-pin';
const NEW_SO_PIN = 'so-pin-next';
const PRACTICE_OLD_USER_PIN = '11223344';
const PRACTICE_NEW_USER_PIN = '44332211';

function userSteps(practice: boolean, holder: string, n: number, m: number): BuiltStep[] {
  const source = practice ? shareSource(true, n, m, holder) : null;
  const token = source ? source.token : { label: '${parameters.tokenLabel}' };
  return [
    announce(
      'welcome',
      'Welcome',
      `The user PIN holder (${holder}) changes the user PIN. The PIN counters are read before the login; the last try is never spent without confirmation.`,
    ),
    ...(source ? source.steps.filter((s) => s.step.id !== 'practice-split') : []),
    action('token-status', 'Show the token and its PIN counters', 'pkcs11.token-status', { token }),
    show('show-user-counters', 'Read the user PIN state aloud', '${steps.token-status.result.userPinStatus}'),
    action(
      'change-user-pin',
      'Change the user PIN (C_SetPIN)',
      'pin.change-user-pin',
      { token },
      {
        text: 'The holder types the current PIN and the new one twice. The new PIN is checked against the token’s limits before anything is sent; a test login proves it.',
        inputs: {
          from: holder,
          fields: [
            { name: 'oldPin', label: 'Current user PIN', type: 'text', secret: true },
            ...newPinFields('user PIN'),
            { name: 'confirmFinalTry', label: 'Spend the final try if the token is at it (true/false)', type: 'boolean', optional: true },
          ],
        },
      },
      { input: { by: holder, values: { oldPin: PRACTICE_OLD_USER_PIN, newPin: PRACTICE_NEW_USER_PIN, newPinAgain: PRACTICE_NEW_USER_PIN } } },
    ),
    action('final-status', 'Read the PIN counters again', 'pkcs11.token-status', { token }),
    announce('goodbye', 'Close the ceremony', 'The user PIN is changed. Compare the chain head on screen with the printed transcript.'),
  ];
}

function rotationSteps(practice: boolean, n: number, m: number, newN: number, newM: number): BuiltStep[] {
  const source = shareSource(practice, n, m);
  const token = source.token;
  return [
    announce(
      'welcome',
      'Welcome',
      `We rotate the SO-PIN. ${m} custodians rebuild the old SO-PIN; a new one is generated and split ${newM} of ${newN}; the old shares become void.`,
    ),
    ...source.steps,
    action('token-status', 'Show the token and its PIN counters', 'pkcs11.token-status', { token }),
    show('show-so-counters', 'Read the SO-PIN state aloud', '${steps.token-status.result.soPinStatus}'),
    ...collectSteps('old-', m, source.shareSetRef, 'old-so-pin-shares', source.copyOf),
    action('rebuild-old', 'Rebuild the old SO-PIN and compare its check value', 'shares.combine', {
      collectorVaultKey: 'old-so-pin-shares',
      into: OLD_SO_PIN,
      m,
    }),
    action(
      'so-login',
      'Security Officer logs in with the old SO-PIN',
      'pin.so-login',
      { token, vaultKey: OLD_SO_PIN },
      {
        text: 'Proves the rebuilt old SO-PIN before anything new is made.',
        approve: { witnesses: 1 },
      },
    ),
    action('generate-new', 'Generate the new SO-PIN', 'pin.generate-so-pin', { token, vaultKey: NEW_SO_PIN, characterSet: '${parameters.characterSet}' }),
    action(
      'split-new',
      `Split the new SO-PIN into ${newN} shares, any ${newM} rebuild it`,
      'shares.split',
      { vaultKey: NEW_SO_PIN, n: newN, m: newM },
      { approve: { witnesses: 1 } },
    ),
    ...revealAndCardSteps('new-', 'split-new', NEW_SO_PIN, newN, 'new SO-PIN'),
    announce(
      'rehearsal-intro',
      'Restore rehearsal of the new shares',
      'Before the token changes, every new card is typed back and each group must rebuild the new SO-PIN: a bad card is found while the old SO-PIN still works.',
    ),
    ...restoreRehearsalSteps('new-', 'split-new', NEW_SO_PIN, newN, newM),
    action(
      'change-so-pin',
      'Change the SO-PIN (C_SetPIN as SO)',
      'pin.change-so-pin',
      { token, vaultKey: OLD_SO_PIN, newVaultKey: NEW_SO_PIN },
      {
        text: 'The token takes the new SO-PIN; a test SO login proves it.',
        approve: { administrator: 1, witnesses: 1 },
      },
    ),
    action('zero-so-pins', 'Zero both SO-PINs', 'shares.forget', {
      vaultKeys: practice ? [OLD_SO_PIN, NEW_SO_PIN, 'so-pin-practice'] : [OLD_SO_PIN, NEW_SO_PIN],
    }),
    action(
      'void-old-set',
      'Declare the old share set void',
      'pin.void-share-set',
      { setId: source.oldSetIdRef, replacedBySetId: '${steps.split-new.result.setId}' },
      { approve: { witnesses: 1 } },
    ),
    confirmStep('destroy-old-cards', 'Old cards destroyed', 'The holders of the old shares destroy their old cards in front of the witness.', { witnesses: 1 }),
    action('final-status', 'Read the PIN counters again', 'pkcs11.token-status', { token }),
    announce(
      'goodbye',
      'Close the ceremony',
      `The SO-PIN is rotated: only the new set (any ${newM} of ${newN}) rebuilds it. Compare the chain head on screen with the printed transcript.`,
    ),
  ];
}

function plan(parameters: Record<string, unknown>) {
  const mode = stringParam(parameters, 'mode', 'user') === 'so-rotation' ? 'so-rotation' : 'user';
  const n = intParam(parameters, 'custodians', 3, 2, 16);
  const m = intParam(parameters, 'threshold', 2, 2, n);
  const newN = intParam(parameters, 'newCustodians', n, 2, 16);
  const newM = intParam(parameters, 'newThreshold', m, 2, newN);
  const practice = boolParam(parameters, 'practice', true);
  const seats = Math.max(n, newN);
  const holder = holderParam(parameters, seats);
  const list = mode === 'user' ? userSteps(practice, holder, n, m) : rotationSteps(practice, n, m, newN, newM);
  return { mode, n, m, newN, newM, seats, practice, list };
}

export function scriptFor(parameters: Record<string, unknown>): string {
  const p = plan(parameters);
  return buildScript({
    header: HEADER,
    metadata: {
      id: 'pin-change',
      title: p.mode === 'user' ? 'User PIN change' : 'SO-PIN rotation to a new share set',
      description: 'Change the user PIN (mode user), or rotate the split SO-PIN to a new set of custodians (mode so-rotation).',
      version: '1',
    },
    roles: {
      administrator: {},
      // a rotation needs the old holders (custodian-1…N) and the new ones (custodian-1…N'): the larger of the two sets of seats
      custodians: { count: p.seats, threshold: p.mode === 'user' ? 2 : Math.max(p.m, p.newM), attendance: p.mode === 'user' ? 'threshold' : 'all' },
      witnesses: { count: 1 },
    },
    parameters: {
      mode: {
        type: 'choice',
        choices: ['user', 'so-rotation'],
        default: p.mode,
        description: 'user: change the user PIN; so-rotation: rotate the SO-PIN to a new share set',
      },
      practice: { type: 'boolean', default: p.practice, description: 'Rehearsal practice on a practice token (uncheck for a real ceremony)' },
      tokenLabel: { type: 'string', default: stringParam(parameters, 'tokenLabel', 'Custodian PIN Token'), description: 'Label of the token' },
      shareSetId: {
        type: 'string',
        default: stringParam(parameters, 'shareSetId', ''),
        description: 'so-rotation: the current SO-PIN share set id (from a card)',
      },
      checkValue: {
        type: 'string',
        default: stringParam(parameters, 'checkValue', ''),
        description: 'so-rotation: the current SO-PIN check value (from a card)',
      },
      custodians: { type: 'integer', default: p.n, description: 'Custodians of the current set (N)' },
      threshold: { type: 'integer', default: p.m, description: 'Shares needed in the current set (M)' },
      newCustodians: { type: 'integer', default: p.newN, description: 'so-rotation: custodians of the new set' },
      newThreshold: { type: 'integer', default: p.newM, description: 'so-rotation: shares needed in the new set' },
      userPinHolder: {
        type: 'string',
        default: stringParam(parameters, 'userPinHolder', ADMIN),
        description: 'Who holds the user PIN (administrator, witness-1 or custodian-i)',
      },
      characterSet: {
        type: 'choice',
        choices: ['alphanumeric', 'digits'],
        default: stringParam(parameters, 'characterSet', 'alphanumeric'),
        description: 'so-rotation: SO-PIN characters the token accepts',
      },
    },
    steps: p.list,
  });
}

export function answersFor(parameters: Record<string, unknown>): string {
  const p = plan(parameters);
  const given = scalarParameters(parameters);
  const present = p.mode === 'user' ? [1, 2] : Array.from({ length: p.seats }, (_, i) => i + 1);
  return buildAnswers(
    `# Rehearsal answers for pin-change (mode ${p.mode}, practice): PINs are rehearsal values; shares are read back from memory.`,
    given,
    p.list,
    checkIns(p.seats, present),
  );
}

export const scriptText = scriptFor({});
export const answersText = answersFor({});
