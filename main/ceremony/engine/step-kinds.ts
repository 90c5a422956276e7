import type { JsonObject } from '../actions';
import { CeremonyErrorCode } from '../../errors';
import { resolveReferences, type Step } from '../script';
import { referenceSource } from './lookup';
import { runActionStep, type ActionStepHost } from './run-action';

/** What running a step means, per kind: most complete at once; a reveal waits to be shown; actions and prints run. */
export async function executeStep(host: ActionStepHost, step: Step, attempt: number, params: JsonObject): Promise<void> {
  const stepState = host.state.steps.find((s) => s.id === step.id)!;
  switch (step.kind) {
    case 'announce':
    case 'confirm':
      return host.complete(step, attempt, { confirmedBy: [...stepState.confirmedBy] });
    case 'input':
      return host.complete(step, attempt, { by: stepState.inputBy ?? null, values: { ...stepState.publicInputs } });
    case 'show':
      return host.complete(step, attempt, {
        shown: resolveReferences(step.value, referenceSource(host.state)),
        format: step.format,
        confirmedBy: [...stepState.confirmedBy],
      });
    case 'reveal':
      if (!host.secrets.reveal(step.secret.step, step.secret.key)) {
        return host.fail(step, attempt, {
          code: CeremonyErrorCode.SecretLost,
          message: 'The secret to show is no longer in memory (the application was restarted after it was made). Abort, and run the ceremony again.',
        });
      }
      return; // waits for takeReveal and acknowledgeReveal
    case 'action':
    case 'print':
      return runActionStep(host, step, step.kind === 'action' ? step.action : `print.${step.document}`, attempt, params);
  }
}
