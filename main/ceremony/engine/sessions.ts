import type { Step } from '../script';
import type { CeremonyState, StepState } from './state';

/**
 * Which login a step depends on. A login step opens a session that the ceremony's later steps on the same device
 * act in, until the matching logout. Sessions live in the process that made them: after a restart (a
 * ceremony.reopened event) every login made before it is gone and must be made again, by the same participant,
 * before a step that depends on it runs.
 */
const SESSION_ACTIONS: Record<string, { closedBy: string; secret: string }> = {
  'pkcs11.login': { closedBy: 'pkcs11.logout', secret: 'PIN' },
};

type ActionStep = Extract<Step, { kind: 'action' }>;

function userOf(step: ActionStep): string {
  const user = (step.params as { user?: unknown } | undefined)?.user;
  return user === 'SO' ? 'SO' : 'USER';
}

function isLogin(step: Step): step is ActionStep {
  return step.kind === 'action' && Object.hasOwn(SESSION_ACTIONS, step.action);
}

function isLogout(action: string): boolean {
  return Object.values(SESSION_ACTIONS).some((s) => s.closedBy === action);
}

/** The login steps whose sessions the step at `index` acts in (most recent first). */
export function loginsFor(state: CeremonyState, index: number): { step: ActionStep; state: StepState }[] {
  const step = state.script.steps[index];
  if (!step || step.kind !== 'action' || Object.hasOwn(SESSION_ACTIONS, step.action)) return [];
  if (isLogout(step.action)) return []; // a logout needs no login
  const closed = new Set<string>();
  const logins: { step: ActionStep; state: StepState }[] = [];
  for (let i = index - 1; i >= 0; i--) {
    const earlier = state.script.steps[i];
    if (earlier.kind !== 'action' || earlier.device !== step.device) continue;
    const key = `${earlier.device ?? ''}|${userOf(earlier)}`;
    if (isLogout(earlier.action)) closed.add(key);
    else if (isLogin(earlier) && !closed.has(key)) {
      closed.add(key); // an older login of the same user is replaced by this one
      logins.push({ step: earlier, state: state.steps[i] });
    }
  }
  return logins;
}

export interface LostLogin {
  loginStep: ActionStep;
  loginState: StepState;
  participantId: string;
  name: string;
  message: string;
}

/** The first login the current step depends on that a restart took away, with the sentence for the room. */
export function lostLoginOf(state: CeremonyState): LostLogin | undefined {
  if (state.run === 0) return undefined;
  const current = state.steps[state.currentIndex];
  if (!current || current.status === 'completed' || current.status === 'running') return undefined;
  const lost = loginsFor(state, current.index).find((l) => l.state.status === 'completed' && (l.state.completedInRun ?? 0) < state.run);
  if (!lost) return undefined;
  const participantId = lost.state.inputBy ?? 'administrator';
  const name = state.checkIns[participantId]?.name ?? participantId;
  const what = userOf(lost.step) === 'SO' ? 'the SO-PIN' : `the user ${SESSION_ACTIONS[lost.step.action].secret}`;
  return {
    loginStep: lost.step,
    loginState: lost.state,
    participantId,
    name,
    message: `Custodian restarted; ${name} types ${what} again.`,
  };
}
