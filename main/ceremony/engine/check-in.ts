import { randomBytes } from 'node:crypto';
import type { JsonValue } from '../../journal';
import { CeremonyError, CeremonyErrorCode } from '../../errors';
import { expectedParticipants } from '../script';
import type { CeremonyState } from './state';

export interface CheckInRequest {
  participantId: string;
  name: string;
  /** what was checked: "passport checked against the roster" */
  identityCheck: string;
  /** the participant who checked it */
  checkedBy: string;
}

/** Checks a check-in against the script's seats and returns the participant.checked-in event's data. */
export function checkInEventData(state: CeremonyState, request: CheckInRequest): { [key: string]: JsonValue } {
  const seat = expectedParticipants(state.script.roles).find((s) => s.id === request.participantId);
  if (!seat) throw new CeremonyError(CeremonyErrorCode.UnknownParticipant, `This ceremony has no participant "${request.participantId}".`);
  if (state.checkIns[seat.id]) throw new CeremonyError(CeremonyErrorCode.AlreadyCheckedIn, `${seat.id} has already checked in.`);
  const name = request.name.trim();
  if (!name) throw new CeremonyError(CeremonyErrorCode.NameMismatch, 'A name is needed to check in.');
  if (seat.expectedName && seat.expectedName.trim().toLowerCase() !== name.toLowerCase()) {
    throw new CeremonyError(CeremonyErrorCode.NameMismatch, `The script expects ${seat.expectedName} as ${seat.id}, not ${name}.`);
  }
  if (!request.identityCheck.trim()) throw new CeremonyError(CeremonyErrorCode.IdentityCheckMissing, 'Say which identity check was done.');
  const checker = expectedParticipants(state.script.roles).find((s) => s.id === request.checkedBy);
  if (!checker || checker.id === seat.id) {
    throw new CeremonyError(CeremonyErrorCode.IdentityCheckMissing, 'The identity check must be done by another participant of this ceremony.');
  }
  return { participantId: seat.id, role: seat.role, name, identityCheck: request.identityCheck.trim(), checkedBy: checker.id };
}

export function newCeremonyId(scriptId: string, now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${scriptId}-${stamp}-${randomBytes(2).toString('hex')}`;
}

export function requireReason(reason: string): string {
  if (!reason || !reason.trim()) throw new CeremonyError(CeremonyErrorCode.ReasonMissing, 'Give a reason; it goes into the transcript.');
  return reason.trim();
}
