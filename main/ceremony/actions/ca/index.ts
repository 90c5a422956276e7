import type { ActionRegistry } from '../registry';
import { crossSign } from './cross-sign';
import { checkCrl, checkSubordinate } from './preflight';
import { compareFingerprint, readCsr } from './read-csr';
import { signCrl } from './sign-crl';
import { signSubordinate } from './sign-subordinate';

/** The offline-root CA ceremonies' actions (templates sign-subordinate and sign-crl). */
export function registerCaActions(registry: ActionRegistry): void {
  registry
    .register('ca.check-subordinate', checkSubordinate)
    .register('ca.check-crl', checkCrl)
    .register('ca.read-csr', readCsr)
    .register('ca.compare-fingerprint', compareFingerprint)
    .register('ca.sign-subordinate', signSubordinate)
    .register('ca.sign-crl', signCrl)
    .register('ca.cross-sign', crossSign);
}

export { parseRevocations, nextCrlNumber } from './sign-crl';
export { subjectAllowed } from './read-csr';
export { crlParameterProblems, subordinateParameterProblems } from './preflight';
export { signatureAlgorithmFor } from './root';
