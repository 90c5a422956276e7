import '../../../../x509'; // installs what @peculiar/x509 needs at import time, before it is loaded below
import * as x509 from '@peculiar/x509';
import type { KeyAlgorithm, PolicyName } from '../../../../../native/pkcs11';
import type { JsonObject } from '../../registry';
import { KEY_ALGORITHM_NAMES, KEY_POLICY_NAMES, KEYGEN_ALGORITHMS, type KeygenAlgorithm } from './algorithms';
import { KeygenErrorCode, refuse, type KeygenProblem } from './errors';

/**
 * The key the script promises, read strictly from a step's params (which the template fills from the ceremony's
 * parameters). Every keygen step parses it the same way, so the preflight, the generation, the read-back and the
 * certificate all hold the key to one promise. Pure: no device, no clock except where passed in.
 */
export interface KeyRequest {
  algorithm: KeyAlgorithm;
  spec: KeygenAlgorithm;
  policy: PolicyName;
  label: string;
  /** hex, lowercase; undefined: the preflight draws one from the token's random generator */
  id?: string;
  /** distinguished name for the CSR and/or certificate */
  subject?: string;
  validityYears: number;
  csr: boolean;
  selfSigned: boolean;
}

/** boulder's ceremony tool refuses a root certificate valid for more than 25 years; so do we. */
export const MAX_ROOT_VALIDITY_YEARS = 25;
const MAX_LABEL_LENGTH = 64;
const MAX_ID_BYTES = 32;

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');
const flag = (value: unknown): boolean => value === true || value === 'true';

/** Every problem with the request, each with its own code and sentence; none means the request is well formed. */
export function keyRequestProblems(params: JsonObject): KeygenProblem[] {
  return parse(params).problems;
}

/** The request, or a KeygenError naming every problem. */
export function keyRequestOf(params: JsonObject): KeyRequest {
  const { request, problems } = parse(params);
  if (problems.length > 0 || !request) throw refuse(problems);
  return request;
}

function parse(params: JsonObject): { request?: KeyRequest; problems: KeygenProblem[] } {
  const problems: KeygenProblem[] = [];
  const add = (code: KeygenErrorCode, message: string) => problems.push({ code, message });

  const label = text(params.label);
  if (!label) add(KeygenErrorCode.LabelInvalid, 'The key needs a label.');
  else if (label.length > MAX_LABEL_LENGTH) add(KeygenErrorCode.LabelInvalid, `A key label may be at most ${MAX_LABEL_LENGTH} characters long.`);
  else if (!/^[\x20-\x7e]+$/.test(label))
    add(KeygenErrorCode.LabelInvalid, 'Use printable ASCII characters in the key label, so every tool shows it the same way.');

  const id = text(params.id).replace(/[\s:]/g, '').toLowerCase();
  if (id && !/^([0-9a-f]{2})+$/.test(id)) add(KeygenErrorCode.IdInvalid, 'The key id must be hexadecimal, two characters per byte (for example 0a1b2c3d).');
  else if (id.length / 2 > MAX_ID_BYTES) add(KeygenErrorCode.IdInvalid, `The key id may be at most ${MAX_ID_BYTES} bytes long.`);

  const algorithm = text(params.algorithm) as KeyAlgorithm;
  const spec = KEYGEN_ALGORITHMS[algorithm] as KeygenAlgorithm | undefined;
  if (!spec) add(KeygenErrorCode.AlgorithmUnknown, `Unknown key algorithm “${algorithm}”. Choose one of ${KEY_ALGORITHM_NAMES.join(', ')}.`);

  const policy = text(params.policy) as PolicyName;
  if (!KEY_POLICY_NAMES.includes(policy)) add(KeygenErrorCode.PolicyUnknown, `Unknown key policy “${policy}”. Choose one of ${KEY_POLICY_NAMES.join(', ')}.`);

  const csr = flag(params.csr);
  const selfSigned = flag(params.selfSigned);
  const wantsCertificate = csr || selfSigned;
  const what = csr && selfSigned ? 'a CSR and a self-signed certificate' : csr ? 'a CSR' : 'a self-signed certificate';
  if (spec && wantsCertificate && spec.family === 'AES') {
    add(
      KeygenErrorCode.AlgorithmForbidden,
      `${algorithm} makes a secret key, which cannot sign ${what}. Choose an RSA or EC algorithm, or ask for no CSR and no certificate.`,
    );
  } else if (spec && wantsCertificate && !spec.certificateSignature) {
    add(
      KeygenErrorCode.AlgorithmForbidden,
      `This program cannot yet sign ${what} with an ${algorithm} key. Choose an RSA or EC algorithm, or ask for no CSR and no certificate.`,
    );
  }

  const subject = text(params.subject);
  if (wantsCertificate) {
    const subjectProblem = subject ? checkSubject(subject) : `${capitalise(what)} needs a subject name, for example “CN=Example Root CA, O=Example, C=NL”.`;
    if (subjectProblem) add(subject ? KeygenErrorCode.SubjectInvalid : KeygenErrorCode.SubjectMissing, subjectProblem);
  }

  const validityYears = typeof params.validityYears === 'number' ? params.validityYears : Number(text(params.validityYears));
  if (selfSigned) {
    if (!Number.isInteger(validityYears) || validityYears < 1) {
      add(KeygenErrorCode.ValidityInvalid, 'The root certificate’s validity must be a whole number of years, at least 1.');
    } else if (validityYears > MAX_ROOT_VALIDITY_YEARS) {
      add(KeygenErrorCode.ValidityTooLong, `A root certificate may be valid for at most ${MAX_ROOT_VALIDITY_YEARS} years; ${validityYears} were asked for.`);
    }
  }

  if (problems.length > 0 || !spec) return { problems };
  return {
    problems,
    request: { algorithm, spec, policy, label, id: id || undefined, subject: subject || undefined, validityYears, csr, selfSigned },
  };
}

/** A sentence saying what is wrong with a distinguished name, or undefined when it is fine. */
export function checkSubject(subject: string): string | undefined {
  let rdns: Array<Record<string, string[]>>;
  try {
    rdns = new x509.Name(subject).toJSON();
  } catch {
    return `The subject “${subject}” uses an attribute this program does not know; write it like “CN=Example Root CA, O=Example, C=NL”.`;
  }
  if (rdns.length === 0) return `The subject “${subject}” is not a distinguished name; write it like “CN=Example Root CA, O=Example, C=NL”.`;
  if (rdns.some((rdn) => Object.values(rdn).some((values) => values.some((v) => !v.trim())))) {
    return `The subject “${subject}” has an empty value.`;
  }
  if (!rdns.some((rdn) => 'CN' in rdn)) return `The subject “${subject}” needs a common name (CN=…), which is how people will recognise this key.`;
  return undefined;
}

/** The root certificate's validity: from now (whole seconds) for the given number of calendar years. */
export function validityPeriod(years: number, now: Date): { notBefore: Date; notAfter: Date } {
  const notBefore = new Date(Math.floor(now.getTime() / 1000) * 1000);
  const notAfter = new Date(notBefore.getTime());
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + years);
  return { notBefore, notAfter };
}

/** True when the period is longer than the root cap (checked again on the certificate actually made). */
export function exceedsRootCap(notBefore: Date, notAfter: Date): boolean {
  return notAfter.getTime() > validityPeriod(MAX_ROOT_VALIDITY_YEARS, notBefore).notAfter.getTime();
}

/** A file-name stem for the key's outputs: the label with anything but letters, digits, dot, dash and underscore as dashes. */
export function outputStem(label: string): string {
  // No leading dot or dash (hidden files, options), no trailing dot ("x." + ".csr.pem" would hold "..").
  const stem = label
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 80)
    .replace(/\.+$/, '');
  return stem || 'key';
}

export const outputNames = (label: string) => {
  const stem = outputStem(label);
  return { publicKey: `${stem}.public-key.pem`, csr: `${stem}.csr.pem`, certificate: `${stem}.root-certificate.pem` };
};

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
