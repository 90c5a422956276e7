import { randomBytes } from 'node:crypto';
import type { MechanismDescription, ModuleBehaviour, Pkcs11Client, TokenDescription, TokenSelector } from '../../../../devices';
import { missingTokenSentence, modulePathOf, pkcs11Services, tokenOf } from '..';
import type { ActionContext, ActionDefinition, JsonObject } from '../../registry';
import { KEY_POLICY_PROMISES } from './algorithms';
import { KeygenErrorCode, refuse, type KeygenProblem } from './errors';
import { keyRequestOf, outputNames, type KeyRequest } from './request';

/**
 * keygen.preflight — everything that can be checked before anyone logs in or anything is generated, as boulder's
 * ceremony tool checks its whole config first: the request itself, the token (present, user PIN not locked), the
 * mechanisms and key sizes the token offers, the label and id sizes the module holds, and — where the module shows
 * objects before login — that no object on it already carries the label or id (elsewhere the generate step checks,
 * logged in, before it makes anything). It also fixes the key's id (given, or drawn: from the token's random
 * generator when the module gives random bytes before login, else from the host's CSPRNG), so a retried generation
 * can recognise its own key. Nothing here needs a login. Every problem is reported at once; nothing is written.
 */

/** The label and id must fit what the module holds on the key itself (longer ones it keeps apart, and can lose). */
export function moduleLimitProblems(
  request: Pick<KeyRequest, 'label' | 'id'> & Partial<Pick<KeyRequest, 'policy'>>,
  behaviour: ModuleBehaviour,
): KeygenProblem[] {
  const problems: KeygenProblem[] = [];
  if (request.policy === 'backupable' && behaviour.keyBackupRefusal) {
    problems.push({ code: KeygenErrorCode.PolicyUnsupported, message: `A backupable key cannot be made here. ${behaviour.keyBackupRefusal}` });
  }
  const labelBytes = Buffer.byteLength(request.label, 'utf8');
  if (behaviour.labelMaxBytes !== undefined && labelBytes > behaviour.labelMaxBytes) {
    problems.push({
      code: KeygenErrorCode.LabelInvalid,
      message: `This module (${behaviour.profile}) holds key labels of at most ${behaviour.labelMaxBytes} bytes; “${request.label}” has ${labelBytes}. Choose a shorter label.`,
    });
  }
  const native = behaviour.idSizes.nativeBytes;
  if (request.id && native !== undefined && request.id.length / 2 !== native) {
    problems.push({
      code: KeygenErrorCode.IdInvalid,
      message: `This module (${behaviour.profile}) holds key ids of ${native} bytes (${native * 2} hex digits); an id of ${request.id.length / 2} bytes would be ${behaviour.idSizes.otherSizes}, apart from the key. Give a ${native}-byte id or leave it empty.`,
    });
  }
  return problems;
}

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

/** The key id: from the token's generator when the module allows it before login, else from the host's CSPRNG. */
async function drawId(pkcs11: Pkcs11Client, sessionKey: string, request: KeyRequest, behaviour: ModuleBehaviour): Promise<{ id: string; idFrom: string }> {
  if (request.id) return { id: request.id, idFrom: 'as given' };
  if (behaviour.randomBeforeLogin === 'allowed') {
    return { id: Buffer.from(await pkcs11.random(sessionKey, behaviour.preferredIdBytes)).toString('hex'), idFrom: 'drawn from the token’s random generator' };
  }
  return {
    id: randomBytes(behaviour.preferredIdBytes).toString('hex'),
    idFrom: 'drawn from the computer’s random generator (this module gives random bytes only after login)',
  };
}

/**
 * In a read-only session without login: the id, and — when the module shows objects before login — any object with
 * the label or the id. Where objects are hidden before login the generate step looks, logged in, before it generates.
 */
async function occupied(
  pkcs11: Pkcs11Client,
  module: string,
  token: TokenSelector,
  request: KeyRequest,
  behaviour: ModuleBehaviour,
): Promise<{ problems: KeygenProblem[]; id: string; idFrom: string }> {
  const problems: KeygenProblem[] = [];
  const { sessionKey } = await pkcs11.openSession(module, token, false);
  try {
    if (behaviour.objectsBeforeLogin !== 'visible') return { problems, ...(await drawId(pkcs11, sessionKey, request, behaviour)) };
    if ((await pkcs11.findObjects(sessionKey, { label: request.label })).length > 0) {
      problems.push({ code: KeygenErrorCode.LabelExists, message: `A key labelled “${request.label}” already exists on this token; choose another label.` });
    }
    if (request.id && (await pkcs11.findObjects(sessionKey, { id: request.id })).length > 0) {
      problems.push({
        code: KeygenErrorCode.IdExists,
        message: `An object with id ${request.id} already exists on this token; choose another id or leave it empty.`,
      });
    }
    return { problems, ...(await drawId(pkcs11, sessionKey, request, behaviour)) };
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
      throw refuse([{ code: KeygenErrorCode.TokenMissing, message: await missingTokenSentence(pkcs11, module, what) }]);
    }
    const problems: KeygenProblem[] = [];
    if (token.flags.userPin.locked)
      problems.push({
        code: KeygenErrorCode.PinLocked,
        message: 'The user PIN of this token is locked; the Security Officer must reset it before a key can be generated.',
      });
    problems.push(...mechanismProblems(request, await pkcs11.mechanisms(module, selector)));
    const behaviour = await pkcs11.behaviour(module, selector);
    problems.push(...moduleLimitProblems(request, behaviour));
    const { problems: taken, id, idFrom } = await occupied(pkcs11, module, selector, request, behaviour);
    problems.push(...taken);
    if (problems.length > 0) throw refuse(problems);
    const labelChecked = behaviour.objectsBeforeLogin === 'visible';
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
        checks: [
          'request well formed',
          'token present',
          'user PIN not locked',
          'mechanisms offered',
          'label, id and policy fit the module',
          ...(labelChecked
            ? ['label free', ...(request.id ? ['id free'] : [])]
            : ['label and id checked after login, before generating (this module shows no objects before login)']),
        ],
        moduleBehaviour: behaviour.summary,
        plan: planText(request, id, idFrom, token),
      },
    };
  },
};
