import { crlProblems, inspectCsr, profileProblems, validityProblems } from '../../../x509';
import type { ActionDefinition, JsonObject, ParameterProblem } from '../registry';
import { asRefusal, refuse } from './errors';
import { readNamedFile } from './files';
import { profileOf } from './profile-params';
import { subjectAllowed } from './read-csr';
import { rootCertificateOf } from './root';
import { nextCrlNumber, nextUpdateDaysOf, parseRevocations } from './sign-crl';

const DAY_MS = 86_400_000;

/** Runs a check that refuses by throwing, and turns its refusal into a problem for the form. */
function problemsOf(check: () => void): ParameterProblem[] {
  try {
    check();
    return [];
  } catch (error) {
    return [{ code: 'ParameterInvalid', message: (error as Error).message }];
  }
}

/** The subordinate's profile parameters, as the new-ceremony form checks them (no file is read). */
export function subordinateParameterProblems(params: JsonObject): ParameterProblem[] {
  return problemsOf(() => profileOf(params));
}

/** The CRL's parameters, as the new-ceremony form checks them (no file is read). */
export function crlParameterProblems(params: JsonObject): ParameterProblem[] {
  return [...problemsOf(() => parseRevocations(params.revoked)), ...problemsOf(() => nextUpdateDaysOf(params))];
}

const refuseAll = (problems: { field: string; message: string }[]) => {
  if (problems.length) throw refuse(problems.map((p) => `${p.field}: ${p.message}`).join(' '));
};

/**
 * ca.check-subordinate — before the HSM is touched: the root certificate read and in its validity, the CSR read, its
 * signature verified and its name allowed, and the script's profile checked against the root (path length, key
 * usage, validity inside the root's and under the cap). The sign step checks all of it again with the signing time.
 */
export const checkSubordinate: ActionDefinition = {
  description: 'Checks the request, the root certificate and the certificate profile before the HSM is used.',
  async run(_ctx, params) {
    const profile = profileOf(params);
    const root = await rootCertificateOf(params);
    const csr = await inspectCsr(new Uint8Array(await readNamedFile(params.csrFile, 'CSR', 64 * 1024))).catch(asRefusal);
    const allowed = typeof params.allowedSubjects === 'string' ? params.allowedSubjects : '';
    if (!subjectAllowed(csr.subject, allowed)) {
      throw refuse(`The CSR asks for “${csr.subject}”, a name this script does not allow (allowed: ${allowed}).`);
    }
    const now = new Date();
    const notAfter = new Date(now.getTime() + profile.validityDays * DAY_MS);
    refuseAll([...profileProblems(profile, root), ...validityProblems(now, notAfter, root, profile.maxValidityDays)]);
    return {
      publicResult: {
        rootSubject: root.subject,
        rootNotAfter: root.notAfter.toISOString(),
        csrSubject: csr.subject,
        validityDays: profile.validityDays,
        pathLength: profile.pathLength,
        summary: [
          `Root:           ${root.subject} (valid until ${root.notAfter.toISOString().slice(0, 10)})`,
          `Request:        ${csr.subject}, signature verified`,
          `Profile:        CA, path length ${profile.pathLength}, ${profile.validityDays} days (cap ${profile.maxValidityDays}), inside the root's validity`,
        ].join('\n'),
      },
    };
  },
};

/**
 * ca.check-crl — before the HSM is touched: the revoked list read line by line, the CRL number worked out from the
 * last CRL, journal or typed number (refused when they go backwards), and the update times checked against the root
 * certificate. The sign step checks them again with the signing time.
 */
export const checkCrl: ActionDefinition = {
  description: 'Checks the revocations, the CRL number and the root certificate before the HSM is used.',
  async run(_ctx, params) {
    const revoked = parseRevocations(params.revoked);
    const days = nextUpdateDaysOf(params);
    const { number, previous, source } = await nextCrlNumber(params);
    const root = await rootCertificateOf(params);
    const thisUpdate = new Date();
    refuseAll(crlProblems({ issuer: root, crlNumber: number, thisUpdate, nextUpdate: new Date(thisUpdate.getTime() + days * DAY_MS), revoked }));
    return {
      publicResult: {
        // not `crlNumber`: only a signed CRL's number is read back from a journal
        plannedCrlNumber: number,
        previousCrlNumber: previous,
        numberSource: source,
        revokedCount: revoked.length,
        rootSubject: root.subject,
        summary: [
          `CRL number:     ${number} (${previous === null ? 'the first' : `the last was ${previous}, ${source}`})`,
          `Revoked:        ${revoked.length ? revoked.map((r) => r.serial).join(', ') : 'none'}`,
          `Next update:    in ${days} days`,
          `Root:           ${root.subject}`,
        ].join('\n'),
      },
    };
  },
};
