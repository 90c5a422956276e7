import { capabilityMask, type CapabilityName } from './capabilities';

/**
 * The least-privilege design of a YubiHSM set up by Custodian. Each role gets one authentication key; nothing holds
 * more than its job needs. The setup template states the same table to the room.
 *
 *  admin     manages authentication keys (create, delete, change own password), reads the audit log and its settings,
 *            makes and restores wrapped backups. Cannot sign, decrypt, generate keys or reset the device.
 *            Delegated: what the three roles hold, so it can create replacement keys in a rotation.
 *  operator  generates asymmetric keys, signs with them and has the device attest them (reading the device's
 *            attestation certificate, opaque 0); exports them under wrap for backup; changes its own password. Delegated: signing and exportable-under-wrap, for the keys it generates.
 *  auditor   reads the audit log and the audit settings, changes its own password. Delegated: nothing.
 *  wrap key  (not an authentication key) AES-256-CCM, export-wrapped + import-wrapped only. Delegated: everything the
 *            objects it must carry hold (the auth keys and the operator's keys), and exportable-under-wrap.
 * Every authentication key is itself exportable under wrap, so it has a wrapped backup.
 */
export type RoleName = 'admin' | 'operator' | 'auditor';

export interface RoleDesign {
  role: RoleName;
  label: string;
  purpose: string;
  capabilities: CapabilityName[];
  delegated: CapabilityName[];
}

const SIGNING: CapabilityName[] = ['sign-ecdsa', 'sign-eddsa', 'sign-pkcs', 'sign-pss'];

const OPERATOR: RoleDesign = {
  role: 'operator',
  label: 'custodian operator',
  purpose: 'generates and uses signing keys; cannot manage authentication keys',
  capabilities: [
    'generate-asymmetric-key',
    ...SIGNING,
    'sign-attestation-certificate',
    'get-opaque',
    'export-wrapped',
    'change-authentication-key',
    'exportable-under-wrap',
  ],
  delegated: [...SIGNING, 'exportable-under-wrap'],
};

const AUDITOR: RoleDesign = {
  role: 'auditor',
  label: 'custodian auditor',
  purpose: 'reads the audit log; changes nothing else',
  capabilities: ['get-log-entries', 'get-option', 'change-authentication-key', 'exportable-under-wrap'],
  delegated: [],
};

const ADMIN_OWN: CapabilityName[] = [
  'put-authentication-key',
  'delete-authentication-key',
  'change-authentication-key',
  'get-log-entries',
  'get-option',
  'set-option',
  'export-wrapped',
  'import-wrapped',
  'exportable-under-wrap',
];

const ADMIN: RoleDesign = {
  role: 'admin',
  label: 'custodian admin',
  purpose: 'manages authentication keys, audit settings and wrapped backups; cannot sign or reset',
  capabilities: ADMIN_OWN,
  delegated: unique([...ADMIN_OWN, ...OPERATOR.capabilities, ...OPERATOR.delegated, ...AUDITOR.capabilities]),
};

export const ROLES: Record<RoleName, RoleDesign> = { admin: ADMIN, operator: OPERATOR, auditor: AUDITOR };

/** The wrap key carries the auth keys and the operator's keys, never more. */
export const WRAP_KEY_DESIGN = {
  label: 'custodian backup wrap key',
  capabilities: ['export-wrapped', 'import-wrapped'] as CapabilityName[],
  delegated: unique([...ADMIN.delegated, 'exportable-under-wrap']),
};

/** What a key must hold to manage authentication keys (create a replacement, delete an old one). */
export const MANAGES_AUTH_KEYS: CapabilityName[] = ['put-authentication-key', 'delete-authentication-key'];

export function roleMasks(role: RoleName): { capabilities: bigint; delegated: bigint } {
  const design = ROLES[role];
  return { capabilities: capabilityMask(...design.capabilities), delegated: capabilityMask(...design.delegated) };
}

export function isRoleName(value: unknown): value is RoleName {
  return value === 'admin' || value === 'operator' || value === 'auditor';
}

function unique(names: CapabilityName[]): CapabilityName[] {
  return [...new Set(names)];
}
