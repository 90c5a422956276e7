import {
  action,
  ADMIN,
  announce,
  answersText as buildAnswers,
  checkIns,
  custodian,
  intParam,
  scriptText as buildScript,
  show,
  stringParam,
  type BuiltStep,
} from './pin-ceremony-parts';
import { DEVICE_PARAMETER, holderParam, newPasswordFields, passwordField, REHEARSAL_PASSWORDS } from './yubihsm-setup';

// YubiHSM 2 authentication-key rotation, without ever locking the device out. First the audit log is verified from
// the anchor the last ceremony recorded (refused if the chain does not continue from it). Then either
//  replace:          a new key with the same capabilities, delegated capabilities and domains is created and proven,
//                    then the old key is deleted (never from its own session, never the last key that manages keys)
//                    and proven gone; or
//  change-password:  CHANGE_AUTHENTICATION_KEY on the key's own session (which stays valid); the new password is
//                    proven to open a session and the old one to be refused.
// The new anchor is recorded for next time.
export const name = 'yubihsm-auth-rotation';

const HEADER = '# YubiHSM 2 authentication-key rotation. Generated for the parameters below; `custodian template yubihsm-auth-rotation` prints it.';
const DEVICE = '${parameters.device}';
const NEW_PASSWORD = 'rehearsal-operator-new';
type Mode = 'replace' | 'change-password';

function steps(parameters: Record<string, unknown>) {
  const n = intParam(parameters, 'custodians', 1, 1, 16);
  const mode: Mode = stringParam(parameters, 'mode', 'replace') === 'change-password' ? 'change-password' : 'replace';
  const keyId = intParam(parameters, 'keyId', 3, 1, 0xfffe);
  const managerKeyId = intParam(parameters, 'managerKeyId', 2, 1, 0xfffe);
  const managerHolder = holderParam(parameters, 'managerHolder', ADMIN, n);
  const keyHolder = holderParam(parameters, 'keyHolder', custodian(1), n);
  const managerPassword = stringParam(parameters, 'rehearsalManagerPassword', REHEARSAL_PASSWORDS.admin);
  const keyPassword = stringParam(parameters, 'rehearsalKeyPassword', keyId === managerKeyId ? REHEARSAL_PASSWORDS.admin : REHEARSAL_PASSWORDS.operator);

  const list: BuiltStep[] = [
    announce(
      'welcome',
      'Purpose of this ceremony',
      mode === 'replace'
        ? `We replace authentication key ${keyId} of the YubiHSM with a new key that has exactly the same capabilities and domains. The old key is deleted only after the new one has opened a session, and never if that would leave no key able to manage keys.`
        : `We change the password of authentication key ${keyId} of the YubiHSM (CHANGE_AUTHENTICATION_KEY from its own session). The new password must open a session and the old one must be refused before the ceremony ends.`,
    ),
    action(
      'open-manager-session',
      `Open a session with the managing key ${managerKeyId}`,
      'yubihsm.open-session',
      { device: DEVICE, keyId: managerKeyId, as: 'rotation' },
      {
        text: 'The holder of the key that manages authentication keys types its password. A wrong password is refused by the device, and a retry asks again.',
        inputs: { from: managerHolder, fields: [passwordField(`Password of key ${managerKeyId}`)] },
      },
      { input: { by: managerHolder, values: { password: managerPassword } } },
    ),
    action(
      'verify-audit-log',
      'Verify the audit log from the anchor of last time',
      'yubihsm.verify-audit-log',
      { session: 'rotation', anchor: '${parameters.auditAnchor}' },
      {
        text: 'The digest chain must continue from the entry recorded by the last ceremony; if it does not, the ceremony stops here.',
        approve: { witnesses: 1 },
      },
    ),
    action('inventory-before', 'List the authentication keys', 'yubihsm.list-objects', { session: 'rotation' }),
  ];
  if (mode === 'replace') {
    list.push(
      action(
        'create-replacement',
        `Create the replacement of key ${keyId}`,
        'yubihsm.put-auth-key',
        { session: 'rotation', copyOf: keyId, keyId: '${parameters.newKeyId}' },
        {
          text: `Same capabilities, delegated capabilities, domains and label as key ${keyId}. Its holder (${keyHolder}) types the new password twice; the key must open a session before the step completes.`,
          inputs: { from: keyHolder, fields: newPasswordFields('replacement key') },
          approve: { witnesses: 1 },
        },
        { input: { by: keyHolder, values: { password: NEW_PASSWORD, passwordAgain: NEW_PASSWORD } } },
      ),
    );
    if (keyId === managerKeyId) {
      list.push(
        action(
          'open-replacement-session',
          'Open a session with the replacement key',
          'yubihsm.open-session',
          { device: DEVICE, keyId: '${steps.create-replacement.result.keyId}', as: 'rotation' },
          {
            text: 'The old key is about to be deleted, so the session moves to the new key first (a key is never deleted from its own session).',
            inputs: { from: keyHolder, fields: [passwordField('Password of the replacement key')] },
          },
          { input: { by: keyHolder, values: { password: NEW_PASSWORD } } },
        ),
      );
    }
    list.push(
      action(
        'delete-old-key',
        `Delete the old key ${keyId}`,
        'yubihsm.delete-auth-key',
        {
          session: 'rotation',
          keyId,
          replacementKeyId: '${steps.create-replacement.result.keyId}',
          replacementProven: '${steps.create-replacement.result.opensSession}',
        },
        {
          text: 'Refused if the replacement was not proven, or if no other key could manage authentication keys afterwards.',
          approve: { administrator: 1, witnesses: 1 },
        },
      ),
      action('prove-old-key-gone', `Prove key ${keyId} no longer opens a session`, 'yubihsm.prove-refused', { device: DEVICE, keyId, mustBeGone: true }),
    );
  } else {
    list.push(
      action(
        'change-password',
        `Change the password of key ${keyId}`,
        'yubihsm.change-password',
        { device: DEVICE, keyId, session: 'rotation' },
        {
          text: `The holder (${keyHolder}) types the current password once and the new one twice. The session that changes it stays valid; the new password must open a session and the old one must be refused.`,
          inputs: {
            from: keyHolder,
            fields: [passwordField('Current password', 'currentPassword'), ...newPasswordFields('key', ['newPassword', 'newPasswordAgain'])],
          },
          approve: { witnesses: 1 },
        },
        { input: { by: keyHolder, values: { currentPassword: keyPassword, newPassword: NEW_PASSWORD, newPasswordAgain: NEW_PASSWORD } } },
      ),
    );
  }
  list.push(
    action(
      'verify-audit-log-after',
      'Read the audit log again and record the new anchor',
      'yubihsm.verify-audit-log',
      { session: 'rotation', anchor: '${steps.verify-audit-log.result.newAnchor}', markRead: true },
      {
        text: 'Everything this ceremony did is in the log, chained to the anchor verified at the start.',
      },
    ),
    show(
      'show-anchor',
      'Write down the new audit anchor',
      '${steps.verify-audit-log-after.result.newAnchor}',
      'It is printed on the transcript; the next ceremony starts from it.',
    ),
    action('inventory-after', 'List the authentication keys now', 'yubihsm.list-objects', { session: 'rotation' }),
    action('close-session', 'Close the session', 'yubihsm.close-session', { session: 'rotation' }),
    announce('goodbye', 'Close the ceremony', 'The holders keep their passwords to themselves. Compare the chain head on screen with the printed transcript.'),
  );
  return { n, list };
}

export function scriptFor(parameters: Record<string, unknown>): string {
  const { n, list } = steps(parameters);
  const mode = stringParam(parameters, 'mode', 'replace');
  return buildScript({
    header: HEADER,
    metadata: {
      id: 'yubihsm-auth-rotation',
      title: 'YubiHSM 2 authentication-key rotation',
      description: 'Replace an authentication key or change its password without ever locking the device out, verifying the audit log from the last anchor.',
      version: '1',
    },
    roles: { administrator: {}, custodians: { count: n, threshold: 1, attendance: 'all' }, witnesses: { count: 1 } },
    parameters: {
      device: { ...DEVICE_PARAMETER, default: stringParam(parameters, 'device', 'simulator') },
      mode: {
        type: 'choice',
        choices: ['replace', 'change-password'],
        default: mode === 'change-password' ? 'change-password' : 'replace',
        description: 'Replace the key with a new one, or change its password',
      },
      keyId: { type: 'integer', default: intParam(parameters, 'keyId', 3, 1, 0xfffe), description: 'The authentication key to rotate' },
      managerKeyId: {
        type: 'integer',
        default: intParam(parameters, 'managerKeyId', 2, 1, 0xfffe),
        description: 'The key whose session manages authentication keys and reads the log',
      },
      newKeyId: {
        type: 'integer',
        default: intParam(parameters, 'newKeyId', 0, 0, 0xfffe),
        description: 'Object ID of the replacement key (0: the device picks)',
      },
      auditAnchor: {
        type: 'string',
        default: stringParam(parameters, 'auditAnchor', ''),
        description: 'The audit anchor from last time: "<entry number>:<digest>" as the last transcript shows it (empty: none)',
      },
      custodians: { type: 'integer', default: n, description: 'Number of custodians present (key holders)' },
      managerHolder: { type: 'string', default: stringParam(parameters, 'managerHolder', ADMIN), description: 'Who holds the managing key’s password' },
      keyHolder: { type: 'string', default: stringParam(parameters, 'keyHolder', custodian(1)), description: 'Who holds the rotated key’s password' },
    },
    steps: list,
  });
}

export function answersFor(parameters: Record<string, unknown>): string {
  const { n, list } = steps(parameters);
  const given = Object.fromEntries(
    Object.entries(parameters).filter(([k, v]) => !k.startsWith('rehearsal') && (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')),
  );
  return buildAnswers(
    '# Rehearsal answers for yubihsm-auth-rotation on the simulator, after the yubihsm-setup rehearsal (its passwords): rotates the operator key.',
    given,
    list,
    checkIns(n),
  );
}

export const scriptText = scriptFor({});
export const answersText = answersFor({});
