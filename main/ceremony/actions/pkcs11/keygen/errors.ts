import { CustodianError } from '../../../../errors';
/**
 * Why a key-generation step refused or failed. Each code names one problem a program can test; the message is the
 * sentence the administrator reads aloud. Messages carry labels, algorithms and file names — never a PIN.
 */
export enum KeygenErrorCode {
  LabelInvalid = 'LabelInvalid',
  IdInvalid = 'IdInvalid',
  AlgorithmUnknown = 'AlgorithmUnknown',
  PolicyUnknown = 'PolicyUnknown',
  /** the combination asked for is not allowed (a secret key cannot sign a certificate...) */
  AlgorithmForbidden = 'AlgorithmForbidden',
  SubjectMissing = 'SubjectMissing',
  SubjectInvalid = 'SubjectInvalid',
  ValidityInvalid = 'ValidityInvalid',
  /** a root certificate may be valid for at most 25 years (boulder's cap) */
  ValidityTooLong = 'ValidityTooLong',
  TokenMissing = 'TokenMissing',
  PinLocked = 'PinLocked',
  MechanismMissing = 'MechanismMissing',
  KeySizeUnsupported = 'KeySizeUnsupported',
  LabelExists = 'LabelExists',
  IdExists = 'IdExists',
  /** the key on the token is not what the script promised */
  KeyMismatch = 'KeyMismatch',
  KeyMissing = 'KeyMissing',
  /** an output from an earlier attempt is there and differs from what this attempt would write */
  OutputConflict = 'OutputConflict',
  CertificateInvalid = 'CertificateInvalid',
}

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
