import { crlParameterProblems, subordinateParameterProblems } from './ca';
import { keyRequestProblems } from './pkcs11/keygen';
import type { JsonObject, ParameterProblem } from './registry';

/**
 * The checks an action makes of its parameters before it touches a device (its preflight), by action name, that
 * need no file and no device. The new-ceremony form calls the same functions (main/ipc/parameter-checks.ts), so a
 * mistake shows on the form, before anyone checks in, in the words the preflight step would use.
 */
export const PREFLIGHT_PARAMETER_CHECKS: Readonly<Record<string, (params: JsonObject) => ParameterProblem[]>> = {
  'keygen.preflight': (params) => keyRequestProblems(params),
  'ca.check-subordinate': (params) => subordinateParameterProblems(params),
  'ca.check-crl': (params) => crlParameterProblems(params),
};
