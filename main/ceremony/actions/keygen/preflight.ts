import type { MechanismDescription, Pkcs11Client, TokenDescription, TokenSelector } from '../../../devices';
import { modulePathOf, pkcs11Services, tokenOf } from '../pkcs11';
import type { ActionContext, ActionDefinition, JsonObject } from '../registry';
import { KEY_POLICY_PROMISES } from './algorithms';
import { KeygenErrorCode, refuse, type KeygenProblem } from './errors';
import { keyRequestOf, outputNames, type KeyRequest } from './request';

/**
 * keygen.preflight — everything that can be checked before anyone logs in or anything is generated, as boulder's
 * ceremony tool checks its whole config first: the request itself, the token (present, user PIN not locked), the
 * mechanisms and key sizes the token offers, and that no object on it already carries the label or id. It also fixes
 * the key's id (given, or drawn from the token's random generator), so a retried generation can recognise its own key.
 * Every problem is reported at once; nothing is written to the token.
 */

/** The token must offer the generation mechanism at this size and, for a CSR or certificate, a signing mechanism. */
export function mechanismProblems(
  request: KeyRequest,
  offered: ReadonlyArray<Pick<MechanismDescription, 'name' | 'minKeySize' | 'maxKeySize'>>,
): KeygenProblem[] {
  const problems: KeygenProblem[] = [];
  const { spec } = request;
  const generation = offered.find((m) => m.name === spec.generationMechanism);
  if (!generation) {
    problems.push({
      code: KeygenErrorCode.MechanismMissing,
      message: `This token does not offer ${spec.generationMechanism}, so it cannot generate ${request.algorithm} keys.`,
    });
  } else if (spec.family !== 'EdDSA' && generation.maxKeySize > 0) {
    // PKCS#11 gives RSA and EC sizes in bits and AES sizes in bytes.
    const size = spec.family === 'AES' ? spec.bits / 8 : spec.bits;
    if (size < generation.minKeySize || size > generation.maxKeySize) {
      const unit = spec.family === 'AES' ? 'bytes' : 'bits';
      problems.push({
        code: KeygenErrorCode.KeySizeUnsupported,
        message: `This token generates ${spec.family} keys of ${generation.minKeySize} to ${generation.maxKeySize} ${unit}; ${request.algorithm} needs ${size}.`,
      });
    }
  }
  if ((request.csr || request.selfSigned) && spec.signatureMechanisms && !spec.signatureMechanisms.some((name) => offered.some((m) => m.name === name))) {
    problems.push({
      code: KeygenErrorCode.MechanismMissing,
      message: `This token offers none of ${spec.signatureMechanisms.join(', ')}, so it cannot sign the ${request.csr ? 'CSR' : 'certificate'} with ${spec.certificateSignature}.`,
    });
  }
  return problems;
}

async function findToken(pkcs11: Pkcs11Client, module: string, selector: TokenSelector): Promise<TokenDescription | undefined> {
  const tokens = await pkcs11.listTokens(module);
  return tokens.find((t) =>
    'serial' in selector ? t.serial === selector.serial : 'label' in selector ? t.flags.initialized && t.label === selector.label : false,
  );
}

/** Looks for objects with the label or the id in a read-only session without login (public objects are visible). */
async function occupied(pkcs11: Pkcs11Client, module: string, token: TokenSelector, request: KeyRequest): Promise<{ problems: KeygenProblem[]; id: string }> {
  const problems: KeygenProblem[] = [];
  const { sessionKey } = await pkcs11.openSession(module, token, false);
  try {
    if ((await pkcs11.findObjects(sessionKey, { label: request.label })).length > 0) {
      problems.push({ code: KeygenErrorCode.LabelExists, message: `A key labelled “${request.label}” already exists on this token; choose another label.` });
    }
    if (request.id && (await pkcs11.findObjects(sessionKey, { id: request.id })).length > 0) {
      problems.push({
        code: KeygenErrorCode.IdExists,
        message: `An object with id ${request.id} already exists on this token; choose another id or leave it empty.`,
      });
    }
    const id = request.id ?? Buffer.from(await pkcs11.random(sessionKey, 8)).toString('hex');
    return { problems, id };
  } finally {
    await pkcs11.closeSession(sessionKey).catch(() => undefined);
  }
}

/** What the script promises, as the witness reads it before the key is made. */
export function planText(request: KeyRequest, id: string, idFrom: string, token: Pick<TokenDescription, 'label' | 'serial'>): string {
  const names = outputNames(request.label);
  const signed = `signed ${request.spec.certificateSignature} inside the HSM`;
  const lines = [
    `Key:          ${request.spec.title} (${request.algorithm})`,
    `Label:        “${request.label}”`,
    `Id:           ${id} (${idFrom})`,
    `Policy:       ${request.policy}`,
    `              ${KEY_POLICY_PROMISES[request.policy]}`,
    `Token:        “${token.label}”, serial ${token.serial}`,
  ];
  if (request.spec.family !== 'AES') lines.push(`Public key:   ${names.publicKey}`);
  if (request.csr) lines.push(`CSR:          ${names.csr}, ${signed}`);
  if (request.selfSigned) lines.push(`Root cert:    ${names.certificate}, valid ${request.validityYears} years, ${signed}`);
  if (request.csr || request.selfSigned) lines.push(`Subject:      ${request.subject}`);
  else lines.push('No CSR and no certificate.');
  return lines.join('\n');
}

export const preflight: ActionDefinition = {
  description: 'Checks the request, the token, its mechanisms and the label before anything is generated.',
  async run(ctx: ActionContext, params: JsonObject) {
    const request = keyRequestOf(params);
    const { pkcs11 } = pkcs11Services(ctx);
    const module = modulePathOf(ctx);
    const selector = tokenOf(ctx, params);
    const token = await findToken(pkcs11, module, selector);
    if (!token) {
      const what = 'serial' in selector ? `serial ${selector.serial}` : 'label' in selector ? `label “${selector.label}”` : 'that name';
      throw refuse([{ code: KeygenErrorCode.TokenMissing, message: `No token with ${what} is present. Insert it and retry the step.` }]);
    }
    const problems: KeygenProblem[] = [];
    if (token.flags.userPin.locked)
      problems.push({
        code: KeygenErrorCode.PinLocked,
        message: 'The user PIN of this token is locked; the Security Officer must reset it before a key can be generated.',
      });
    problems.push(...mechanismProblems(request, await pkcs11.mechanisms(module, selector)));
    const { problems: taken, id } = await occupied(pkcs11, module, selector, request);
    problems.push(...taken);
    if (problems.length > 0) throw refuse(problems);

    const idFrom = request.id ? 'as given' : 'drawn from the token’s random generator';
    return {
      publicResult: {
        token: { label: token.label, serial: token.serial, manufacturer: token.manufacturer, model: token.model },
        algorithm: request.algorithm,
        policy: request.policy,
        label: request.label,
        id,
        idFrom,
        generationMechanism: request.spec.generationMechanism,
        ...(request.csr || request.selfSigned ? { signatureAlgorithm: request.spec.certificateSignature ?? '', subject: request.subject ?? '' } : {}),
        csr: request.csr,
        selfSigned: request.selfSigned,
        ...(request.selfSigned ? { validityYears: request.validityYears } : {}),
        checks: ['request well formed', 'token present', 'user PIN not locked', 'mechanisms offered', 'label free', ...(request.id ? ['id free'] : [])],
        plan: planText(request, id, idFrom, token),
      },
    };
  },
};
