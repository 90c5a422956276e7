import { describeQuorum, quorumRoleCounts, Role, type Quorum, type Step } from '../script';
import type { CheckIn } from './state';

/** Which confirmations a step needs before it may run (announce: the administrator; show: a witness by default). */
export function requiredQuorum(step: Step): Quorum | undefined {
  switch (step.kind) {
    case 'announce':
      return step.confirm ?? { administrator: 1 };
    case 'confirm':
      return step.quorum;
    case 'show':
      return step.confirm ?? { witnesses: 1 };
    case 'action':
      return step.approve;
    case 'input':
    case 'print':
      return step.confirm;
    case 'reveal':
      return undefined; // acknowledged by the one participant it is shown to
  }
}

/** May this participant confirm under this quorum (their role is asked for, or they are named)? */
export function mayConfirm(quorum: Quorum, participantId: string, role: string): boolean {
  if (quorum.participants?.includes(participantId)) return true;
  return quorumRoleCounts(quorum).some(([r, n]) => r === role && n > 0);
}

export interface QuorumProgress {
  met: boolean;
  /** "1 more custodian", "witness-1" … for the screen */
  missing: string[];
  /** how many more confirmations the quorum needs (a named person counts one) */
  needed: number;
  description: string;
}

export function quorumProgress(quorum: Quorum | undefined, confirmedBy: string[], checkIns: Record<string, CheckIn>): QuorumProgress {
  if (!quorum) return { met: true, missing: [], needed: 0, description: 'no confirmation needed' };
  const missing: string[] = [];
  let needed = 0;
  for (const id of quorum.participants ?? []) {
    if (!confirmedBy.includes(id)) {
      missing.push(id);
      needed++;
    }
  }
  const nouns: Record<Role, string> = {
    [Role.Administrator]: 'administrator',
    [Role.Custodian]: 'custodian',
    [Role.Witness]: 'witness',
    [Role.Auditor]: 'auditor',
  };
  for (const [role, count] of quorumRoleCounts(quorum)) {
    const have = confirmedBy.filter((id) => checkIns[id]?.role === role).length;
    if (have >= count) continue;
    needed += count - have;
    missing.push(`${count - have} more ${nouns[role]}${count - have > 1 ? (role === Role.Witness ? 'es' : 's') : ''}`);
  }
  return { met: missing.length === 0, missing, needed, description: describeQuorum(quorum) };
}
