import { codes, type CodeOf } from '../../../../../native/host';
import { CustodianError } from '../../../../errors';
/**
 * Why a key-generation step refused or failed. Each code names one problem a program can test; the message is the
 * sentence the administrator reads aloud. Messages carry labels, algorithms and file names — never a PIN.
 */
export const KeygenErrorCode = codes(
  'LabelInvalid',
  'IdInvalid',
  'AlgorithmUnknown',
  'PolicyUnknown',
  /** the module cannot hold a key under this policy (yubihsm_pkcs11: no backupable, see module-behaviour.ts) */
  'PolicyUnsupported',
  /** the combination asked for is not allowed (a secret key cannot sign a certificate...) */
  'AlgorithmForbidden',
  'SubjectMissing',
  'SubjectInvalid',
  'ValidityInvalid',
  /** a root certificate may be valid for at most 25 years (boulder's cap) */
  'ValidityTooLong',
  'TokenMissing',
  'PinLocked',
  'MechanismMissing',
  'KeySizeUnsupported',
  'LabelExists',
  'IdExists',
  /** the key on the token is not what the script promised */
  'KeyMismatch',
  'KeyMissing',
  /** an output from an earlier attempt is there and differs from what this attempt would write */
  'OutputConflict',
  'CertificateInvalid',
);
export type KeygenErrorCode = CodeOf<typeof KeygenErrorCode>;

export interface KeygenProblem {
  code: KeygenErrorCode;
  message: string;
}

export class KeygenError extends CustodianError<KeygenErrorCode> {
  constructor(
    code: KeygenErrorCode,
    message: string,
    /** every problem found, when several were checked at once (the first one gives `code`) */
    readonly problems: KeygenProblem[] = [{ code, message }],
  ) {
    super(code, message);
    this.name = 'KeygenError';
  }
}

/** One error naming every problem, so the room fixes them all in one go rather than one refusal at a time. */
export function refuse(problems: KeygenProblem[]): KeygenError {
  const [first] = problems;
  const message =
    problems.length === 1 ? first.message : `Refused for ${problems.length} reasons: ${problems.map((p, i) => `(${i + 1}) ${p.message}`).join(' ')}`;
  return new KeygenError(first.code, message, problems);
}
