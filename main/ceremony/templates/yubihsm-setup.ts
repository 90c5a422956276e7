import { scalarParameters } from './parameters';
import {
  action,
  ADMIN,
  announce,
  answersText as buildAnswers,
  boolParam,
  checkIns,
  intParam,
  restoreRehearsalSteps,
  revealAndCardSteps,
  scriptText as buildScript,
  show,
  stringParam,
  WITNESS,
  custodian,
  type BuiltStep,
  type Obj,
} from './pin-ceremony-parts';
import { capabilityList, capabilityMask, ROLES, WRAP_KEY_DESIGN, type RoleName } from '../actions/yubihsm';

// YubiHSM 2 setup: from the factory state to a device whose only keys are the ones this ceremony made — a wrap key
// whose value is split among the custodians, and one authentication key per role (admin, operator, auditor) with
// least privilege — with wrapped backups of the auth keys, the factory key deleted, and the audit log verified and
// anchored for the next ceremony. The script is generated for N, M and who holds each password.
export const name = 'yubihsm-setup';

const HEADER = '# YubiHSM 2 setup. Generated for the parameters below; `custodian template yubihsm-setup` prints it.';
const WRAP = 'yubihsm.wrap-secret';
const DEVICE = '${parameters.device}';
const DOMAINS = '${parameters.domains}';

export const REHEARSAL_PASSWORDS = { admin: 'rehearsal-admin-pass', operator: 'rehearsal-operator-pass', auditor: 'rehearsal-auditor-pass' } as const;

type Role = 'admin' | 'operator' | 'auditor';
const ROLE_ORDER: Role[] = ['admin', 'operator', 'auditor'];

function steps(parameters: Record<string, unknown>) {
  const n = intParam(parameters, 'custodians', 3, 2, 16);
  const m = intParam(parameters, 'threshold', 2, 2, n);
  const holders: Record<Role, string> = {
    admin: holderParam(parameters, 'adminHolder', ADMIN, n),
    operator: holderParam(parameters, 'operatorHolder', custodian(1), n),
    auditor: holderParam(parameters, 'auditorHolder', WITNESS, n),
  };
  const keyStep = (role: Role): BuiltStep =>
    action(
      `create-${role}-key`,
      `Create the ${role} authentication key`,
      'yubihsm.put-auth-key',
      { session: 'setup', role, keyId: `\${parameters.${role}KeyId}`, domains: DOMAINS },
      {
        text: `${roleLine(role)} Its holder (${holders[role]}) types the new password twice; the key is read back and must open a session before the step completes.`,
        inputs: { from: holders[role], fields: newPasswordFields(`${role} key`) },
        approve: { witnesses: 1 },
      },
      { input: { by: holders[role], values: { password: REHEARSAL_PASSWORDS[role], passwordAgain: REHEARSAL_PASSWORDS[role] } } },
    );

  const list: BuiltStep[] = [
    announce(
      'welcome',
      'Purpose of this ceremony',
      `We set up a YubiHSM 2 from its factory state. A fresh wrap key is split among ${n} custodians (any ${m} rebuild it); three authentication keys replace the factory key, each with only what its role needs: ${ROLE_ORDER.map(roleLine).join(' ')} ${wrapKeyLine()} The factory key is then deleted, and the audit log is verified and anchored for next time.`,
    ),
    action(
      'inspect-device',
      'Identify the YubiHSM and check its factory state',
      'yubihsm.inspect-device',
      { device: DEVICE, as: 'setup', allowNonFactory: '${parameters.allowNonFactory}' },
      {
        text: 'A session is opened with the factory key (ID 1, password "password"). The witness compares the serial number with the device. A device that is not in its factory state (key 1 changed, or other objects present) is refused, unless the administrator started this ceremony with "allowNonFactory" after reading what it holds.',
        approve: { administrator: 1, witnesses: 1 },
      },
    ),
    show(
      'show-serial',
      'Read the serial number aloud',
      '${steps.inspect-device.result.serial}',
      'Serial number, firmware and log usage are on screen; the witness compares the serial with the label on the device.',
    ),
    action(
      'enable-audit',
      'Switch the command audit on',
      'yubihsm.enable-audit',
      { session: 'setup', forceAudit: '${parameters.forceAudit}' },
      {
        text: 'Every command except ECHO and DEVICE_INFO is logged from now on; the screen says whether force audit is on. The log’s current end is taken as the starting anchor.',
      },
    ),
    action(
      'make-wrap-key',
      'Make the wrap key',
      'yubihsm.make-wrap-secret',
      { session: 'setup', vaultKey: WRAP },
      {
        text: 'The workstation’s random generator and the YubiHSM’s are combined; the key stays in memory only.',
      },
    ),
    action(
      'split',
      `Split the wrap key into ${n} shares, any ${m} rebuild it`,
      'shares.split',
      { vaultKey: WRAP, n, m },
      {
        text: 'The journal records the set id, the check value and a commitment to every share; never a share.',
        approve: { witnesses: 1 },
      },
    ),
    ...revealAndCardSteps('', 'split', WRAP, n, 'wrap key'),
    action(
      'put-wrap-key',
      'Store the wrap key in the YubiHSM',
      'yubihsm.put-wrap-key',
      { session: 'setup', vaultKey: WRAP, keyId: '${parameters.wrapKeyId}', domains: DOMAINS },
      {
        text: wrapKeyLine(),
        approve: { witnesses: 1 },
      },
    ),
    ...ROLE_ORDER.map(keyStep),
    action(
      'export-backups',
      'Export wrapped backups of the authentication keys',
      'yubihsm.export-wrapped',
      {
        session: 'setup',
        wrapKeyId: '${steps.put-wrap-key.result.wrapKeyId}',
        keyIds: ROLE_ORDER.map((r) => `\${steps.create-${r}-key.result.keyId}`),
        shareSetId: '${steps.split.result.setId}',
        wrapKeyCheckValue: '${steps.split.result.checkValue}',
      },
      {
        text: 'Each backup is ciphertext under the wrap key; its SHA-256 goes into the journal. The wrap key itself cannot be exported: its shares are its backup.',
      },
    ),
    action(
      'open-admin-session',
      'The admin key holder opens a session with the new admin key',
      'yubihsm.open-session',
      { device: DEVICE, keyId: '${steps.create-admin-key.result.keyId}', as: 'admin' },
      {
        text: 'This proves the admin key once more; the factory key is deleted from this session, not from its own.',
        inputs: { from: holders.admin, fields: [passwordField('Password of the admin key')] },
      },
      { input: { by: holders.admin, values: { password: REHEARSAL_PASSWORDS.admin } } },
    ),
    action('close-setup-session', 'Close the factory key’s session', 'yubihsm.close-session', { session: 'setup' }),
    action(
      'delete-factory-key',
      'Delete the factory authentication key (ID 1)',
      'yubihsm.delete-auth-key',
      { session: 'admin', keyId: 1 },
      {
        text: 'Refused if it were the last key able to manage authentication keys.',
        approve: { administrator: 1, witnesses: 1 },
      },
    ),
    action('prove-factory-key-gone', 'Prove the factory key no longer opens a session', 'yubihsm.prove-refused', {
      device: DEVICE,
      keyId: 1,
      withFactoryDefault: true,
      mustBeGone: true,
    }),
    action(
      'verify-audit-log',
      'Read and verify the audit log',
      'yubihsm.verify-audit-log',
      { session: 'admin', anchor: '${steps.enable-audit.result.startAnchor}', markRead: true },
      {
        text: 'The digest chain must continue from the entry taken when the audit was switched on. The entries go into the outputs; the last verified one is the anchor for the next ceremony.',
      },
    ),
    show(
      'show-anchor',
      'Write down the audit anchor',
      '${steps.verify-audit-log.result.newAnchor}',
      'Entry number and digest of the last verified audit-log entry. It is printed on the transcript; the next rotation ceremony starts from it.',
    ),
    action('inventory', 'List what the YubiHSM holds now', 'yubihsm.list-objects', { session: 'admin' }),
    action('close-admin-session', 'Close the admin session', 'yubihsm.close-session', { session: 'admin' }),
    announce(
      'rehearsal-intro',
      'Restore rehearsal',
      'Each custodian types their share back from the printed card; every group of shares must rebuild exactly the wrap key that was stored.',
    ),
    ...restoreRehearsalSteps('', 'split', WRAP, n, m),
    action(
      'zero-wrap-key',
      'Zero the wrap key in memory',
      'shares.forget',
      { vaultKeys: [WRAP] },
      { text: 'From now on the wrap key exists only in the YubiHSM and as the custodians’ shares.' },
    ),
    announce(
      'goodbye',
      'Close the ceremony',
      `Custodians keep their cards apart; the wrapped backups and the audit log are in the outputs. Any ${m} of the ${n} custodians can rebuild the wrap key to restore the backups into a YubiHSM.`,
    ),
  ];
  return { n, m, list };
}

export function scriptFor(parameters: Record<string, unknown>): string {
  const { n, m, list } = steps(parameters);
  return buildScript({
    header: HEADER,
    metadata: {
      id: 'yubihsm-setup',
      title: 'YubiHSM 2 setup',
      description:
        'From the factory state: audit on, a wrap key split among custodians, least-privilege authentication keys, wrapped backups, the factory key deleted, the audit log anchored.',
      version: '1',
    },
    roles: { administrator: {}, custodians: { count: n, threshold: m, attendance: 'all' }, witnesses: { count: 1 } },
    parameters: {
      device: { ...DEVICE_PARAMETER, default: stringParam(parameters, 'device', 'simulator') },
      custodians: { type: 'integer', default: n, description: 'Number of custodians (shares of the wrap key)' },
      threshold: { type: 'integer', default: m, description: 'Shares needed to rebuild the wrap key' },
      domains: { type: 'string', default: stringParam(parameters, 'domains', '1'), description: 'Domains of the new keys: numbers 1–16 separated by commas' },
      wrapKeyId: {
        type: 'integer',
        default: intParam(parameters, 'wrapKeyId', 100, 0, 0xfffe),
        description: 'Object ID of the wrap key (0: the device picks)',
      },
      adminKeyId: { type: 'integer', default: intParam(parameters, 'adminKeyId', 2, 2, 0xfffe), description: 'Object ID of the admin authentication key' },
      operatorKeyId: {
        type: 'integer',
        default: intParam(parameters, 'operatorKeyId', 3, 2, 0xfffe),
        description: 'Object ID of the operator authentication key',
      },
      auditorKeyId: {
        type: 'integer',
        default: intParam(parameters, 'auditorKeyId', 4, 2, 0xfffe),
        description: 'Object ID of the auditor authentication key',
      },
      adminHolder: {
        type: 'string',
        default: stringParam(parameters, 'adminHolder', ADMIN),
        description: 'Who holds the admin key’s password (administrator, witness-1 or custodian-i)',
      },
      operatorHolder: {
        type: 'string',
        default: stringParam(parameters, 'operatorHolder', custodian(1)),
        description: 'Who holds the operator key’s password',
      },
      auditorHolder: { type: 'string', default: stringParam(parameters, 'auditorHolder', WITNESS), description: 'Who holds the auditor key’s password' },
      allowNonFactory: {
        type: 'boolean',
        default: boolParam(parameters, 'allowNonFactory', false),
        description: 'Go on although the device is not in its factory state (the administrator read what it holds)',
      },
      forceAudit: {
        type: 'boolean',
        default: boolParam(parameters, 'forceAudit', false),
        description: 'Also switch force audit on (commands fail when the log is full until it is read)',
      },
    },
    steps: list,
  });
}

export function answersFor(parameters: Record<string, unknown>): string {
  const { n, list } = steps(parameters);
  const given = scalarParameters(parameters);
  return buildAnswers(
    '# Rehearsal answers for yubihsm-setup on the simulator: rehearsal passwords; shares read back from memory in the restore rehearsal.',
    given,
    list,
    checkIns(n),
  );
}

// Pieces the two YubiHSM templates share (the rotation imports them from here): the device parameter, the password
// fields, who holds a password, and the role table read aloud.

export const DEVICE_PARAMETER = {
  type: 'string',
  default: 'simulator',
  description: 'Which YubiHSM: "simulator" (rehearsal), the connector on this computer (http://127.0.0.1:12345) or usb:<serial>',
};

/** A new password typed twice by its holder, on the step that sends it. */
export function newPasswordFields(what: string, names: [string, string] = ['password', 'passwordAgain']): Obj[] {
  return [
    { name: names[0], label: `New password of the ${what}`, type: 'text', secret: true, minLength: 12 },
    { name: names[1], label: `New password of the ${what} again`, type: 'text', secret: true, minLength: 12 },
  ];
}

export function passwordField(label: string, name = 'password', optional = false): Obj {
  return { name, label, type: 'text', secret: true, ...(optional ? { optional: true } : {}) };
}

/** A seat that holds a password: administrator, witness-1 or custodian-i of the ceremony. */
export function holderParam(parameters: Record<string, unknown>, name: string, fallback: string, custodians: number): string {
  const holder = stringParam(parameters, name, fallback);
  const seats = [ADMIN, WITNESS, ...Array.from({ length: custodians }, (_, i) => custodian(i + 1))];
  if (!seats.includes(holder)) throw new RangeError(`The parameter "${name}" must be one of ${seats.join(', ')}.`);
  return holder;
}

export function roleLine(role: RoleName): string {
  const r = ROLES[role];
  const delegated = r.delegated.length ? capabilityList(capabilityMask(...r.delegated)).join(', ') : 'none';
  return `${role} key — ${r.purpose}. Capabilities: ${r.capabilities.join(', ')}. Delegated: ${delegated}.`;
}

export function wrapKeyLine(): string {
  return `Wrap key (AES-256-CCM) — capabilities: ${WRAP_KEY_DESIGN.capabilities.join(', ')}; delegated: ${WRAP_KEY_DESIGN.delegated.join(', ')}. It cannot itself be exported.`;
}

// last: the functions above use the constants of this file
export const scriptText = scriptFor({});
export const answersText = answersFor({});
