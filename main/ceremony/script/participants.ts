import type { Quorum, ScriptRoles } from './model';

export const Role = {
  Administrator: 'administrator',
  Custodian: 'custodian',
  Witness: 'witness',
  Auditor: 'auditor',
} as const;
export type Role = (typeof Role)[keyof typeof Role];

/** A seat the script expects to be filled at check-in. Ids are stable: administrator, custodian-1…N, witness-1…K, auditor. */
export interface ExpectedParticipant {
  id: string;
  role: Role;
  /** the name the script gives, if any; check-in must then match it */
  expectedName?: string;
  /** must check in before the first step */
  required: boolean;
}

export function expectedParticipants(roles: ScriptRoles): ExpectedParticipant[] {
  const seats: ExpectedParticipant[] = [{ id: 'administrator', role: Role.Administrator, expectedName: roles.administrator.name, required: true }];
  if (roles.custodians) {
    const count = roles.custodians.names?.length ?? roles.custodians.count ?? 0;
    for (let i = 1; i <= count; i++) {
      seats.push({
        id: `custodian-${i}`,
        role: Role.Custodian,
        expectedName: roles.custodians.names?.[i - 1],
        required: roles.custodians.attendance === 'all',
      });
    }
  }
  const witnesses = roles.witnesses.names?.length ?? roles.witnesses.count ?? 0;
  for (let i = 1; i <= witnesses; i++) {
    seats.push({ id: `witness-${i}`, role: Role.Witness, expectedName: roles.witnesses.names?.[i - 1], required: true });
  }
  if (roles.auditor) seats.push({ id: 'auditor', role: Role.Auditor, expectedName: roles.auditor.name, required: false });
  return seats;
}

/** How many custodians must at least be present (all, or the threshold). */
export function custodiansRequired(roles: ScriptRoles): number {
  if (!roles.custodians) return 0;
  const count = roles.custodians.names?.length ?? roles.custodians.count ?? 0;
  return roles.custodians.attendance === 'all' ? count : roles.custodians.threshold;
}

/** The role names a quorum and an input `from` may use for "any one of". */
export const ROLE_GROUPS: Record<string, Role> = {
  administrator: Role.Administrator,
  custodians: Role.Custodian,
  witnesses: Role.Witness,
  auditor: Role.Auditor,
};

export function quorumRoleCounts(quorum: Quorum): [Role, number][] {
  const counts: [Role, number][] = [];
  if (quorum.administrator) counts.push([Role.Administrator, quorum.administrator]);
  if (quorum.custodians) counts.push([Role.Custodian, quorum.custodians]);
  if (quorum.witnesses) counts.push([Role.Witness, quorum.witnesses]);
  if (quorum.auditor) counts.push([Role.Auditor, quorum.auditor]);
  return counts;
}

/** A sentence for the screen and the transcript: "2 custodians and 1 witness". */
export function describeQuorum(quorum: Quorum): string {
  const nouns: Record<Role, [string, string]> = {
    [Role.Administrator]: ['the administrator', 'the administrator'],
    [Role.Custodian]: ['custodian', 'custodians'],
    [Role.Witness]: ['witness', 'witnesses'],
    [Role.Auditor]: ['the auditor', 'the auditor'],
  };
  const parts = quorumRoleCounts(quorum).map(([role, n]) =>
    role === Role.Administrator || role === Role.Auditor ? nouns[role][0] : `${n} ${n === 1 ? nouns[role][0] : nouns[role][1]}`,
  );
  for (const id of quorum.participants ?? []) parts.push(id);
  return parts.length <= 1 ? (parts[0] ?? 'nobody') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}
