import type { ActionRegistry } from '../../registry';
import { certify } from './certify';
import { generate } from './generate';
import { preflight } from './preflight';
import { readBack } from './read-back';

/** The key-generation ceremony's actions (the template is main/ceremony/templates/key-generation.yaml). */
export function registerKeygenActions(registry: ActionRegistry): void {
  registry
    .register('keygen.preflight', preflight)
    .register('keygen.generate', generate)
    .register('keygen.read-back', readBack)
    .register('keygen.certify', certify);
}

export { KeygenError, KeygenErrorCode, type KeygenProblem } from './errors';
export { KEYGEN_ALGORITHMS, KEY_ALGORITHM_NAMES, KEY_POLICY_NAMES, KEY_POLICY_PROMISES } from './algorithms';
export {
  keyRequestOf,
  keyRequestProblems,
  checkSubject,
  validityPeriod,
  exceedsRootCap,
  outputNames,
  MAX_ROOT_VALIDITY_YEARS,
  type KeyRequest,
} from './request';
export { mechanismProblems, moduleLimitProblems, planText } from './preflight';
export { writeOutputOnce, existingOutput } from './outputs';
export { makeCsr, makeRoot, summaryOf } from './certify';
