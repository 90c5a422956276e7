import {
  KEY_POLICY_PROMISES,
  KeygenError,
  KeygenErrorCode,
  keyRequestOf,
  keyRequestProblems,
  outputNames,
  type KeyRequest,
  type KeygenProblem,
} from '../../pkcs11/keygen';
import type { ObjectInfo } from '../../../../devices';
import type { JsonObject } from '../../registry';
import { capabilityList, capabilityMask, domainList, parseDomains, type CapabilityName } from '../capabilities';

/**
 * The key a yubihsm-key-generation script promises, read from a step's params. The algorithm, policy, label,
 * subject, validity and certificate choices are the key-generation ceremony's own (parsed by the same code, so the
 * two scripts mean the same thing); the YubiHSM adds the object ID, its domains and the capabilities the policy
 * gives the key. Pure: no device.
 */
export interface YubiHsmKeyRequest {
  base: KeyRequest;
  /** 0: the device picks the ID */
  keyId: number;
  domains: number;
  /** the YubiHSM algorithm number (ALGORITHM in native/yubihsm/protocol/defs) */
  algorithmId: number;
  capabilities: bigint;
  /** how the device signs with it: SIGN_ECDSA, SIGN_PKCS1 or SIGN_EDDSA */
  scheme: 'ecdsa' | 'pkcs1' | 'eddsa';
}

/** YH_OBJ_LABEL_LEN in lib/yubihsm.h: a label holds at most 40 bytes. */
export const YUBIHSM_LABEL_BYTES = 40;
export const ORIGIN_GENERATED = 0x01;
export const ASYMMETRIC_KEY = 0x03;

const ALGORITHMS: Record<string, { id: number; scheme: YubiHsmKeyRequest['scheme']; sign: CapabilityName[] }> = {
  'RSA-2048': { id: 9, scheme: 'pkcs1', sign: ['sign-pkcs', 'sign-pss'] },
  'RSA-3072': { id: 10, scheme: 'pkcs1', sign: ['sign-pkcs', 'sign-pss'] },
  'RSA-4096': { id: 11, scheme: 'pkcs1', sign: ['sign-pkcs', 'sign-pss'] },
  'EC-P256': { id: 12, scheme: 'ecdsa', sign: ['sign-ecdsa'] },
  'EC-P384': { id: 13, scheme: 'ecdsa', sign: ['sign-ecdsa'] },
  'EC-P521': { id: 14, scheme: 'ecdsa', sign: ['sign-ecdsa'] },
  Ed25519: { id: 46, scheme: 'eddsa', sign: ['sign-eddsa'] },
};

export const YUBIHSM_KEY_ALGORITHMS = Object.keys(ALGORITHMS);

/** The session key needs these to run the whole ceremony (generate, sign the CSR/root, attest, read the device certificate). */
export function sessionNeeds(request: YubiHsmKeyRequest): CapabilityName[] {
  const signing: CapabilityName = request.scheme === 'pkcs1' ? 'sign-pkcs' : request.scheme === 'ecdsa' ? 'sign-ecdsa' : 'sign-eddsa';
  return ['generate-asymmetric-key', 'sign-attestation-certificate', 'get-opaque', ...(request.base.csr || request.base.selfSigned ? [signing] : [])];
}

function problemsOf(params: JsonObject): { request?: YubiHsmKeyRequest; problems: KeygenProblem[] } {
  // The key-generation request minus the PKCS#11 id (a YubiHSM object has a 16-bit ID instead).
  const problems = keyRequestProblems({ ...params, id: '' });
  const add = (code: KeygenErrorCode, message: string) => problems.push({ code, message });
  const algorithm = typeof params.algorithm === 'string' ? params.algorithm.trim() : '';
  const known = ALGORITHMS[algorithm];
  if (!known && !problems.some((p) => p.code === KeygenErrorCode.AlgorithmUnknown)) {
    add(
      KeygenErrorCode.AlgorithmForbidden,
      `A YubiHSM 2 generates asymmetric keys here: choose one of ${YUBIHSM_KEY_ALGORITHMS.join(', ')} (not ${algorithm}).`,
    );
  }
  const label = typeof params.label === 'string' ? params.label.trim() : '';
  const labelBytes = new TextEncoder().encode(label).length;
  if (labelBytes > YUBIHSM_LABEL_BYTES) {
    add(KeygenErrorCode.LabelInvalid, `A YubiHSM 2 label holds at most ${YUBIHSM_LABEL_BYTES} bytes; “${label}” has ${labelBytes}.`);
  }
  const rawId = params.keyId;
  const keyId = typeof rawId === 'number' ? rawId : /^\d+$/.test(String(rawId ?? '0').trim()) ? Number(String(rawId ?? '0').trim()) : NaN;
  if (!Number.isInteger(keyId) || keyId < 0 || keyId > 0xfffe) {
    add(KeygenErrorCode.IdInvalid, `A YubiHSM 2 object ID is a whole number from 1 to 65534 (0: the device picks one); “${String(rawId)}” is not.`);
  }
  const domains = parseDomains(String(params.domains ?? ''));
  if (domains === undefined)
    add(KeygenErrorCode.IdInvalid, '"domains" must be domain numbers from 1 to 16 separated by commas (for example 1 or 1,2), or "all".');
  if (problems.length > 0 || !known || domains === undefined) return { problems };
  const base = keyRequestOf({ ...params, id: '' });
  const capabilities = capabilityMask(...known.sign, ...(base.policy === 'backupable' ? (['exportable-under-wrap'] as CapabilityName[]) : []));
  return { problems, request: { base, keyId, domains, algorithmId: known.id, capabilities, scheme: known.scheme } };
}

export function yubihsmKeyRequestProblems(params: JsonObject): KeygenProblem[] {
  return problemsOf(params).problems;
}

export function yubihsmKeyRequestOf(params: JsonObject): YubiHsmKeyRequest {
  const { request, problems } = problemsOf(params);
  if (!request) {
    const [first] = problems;
    const message =
      problems.length === 1 ? first.message : `Refused for ${problems.length} reasons: ${problems.map((p, i) => `(${i + 1}) ${p.message}`).join(' ')}`;
    throw new KeygenError(first.code, message, problems);
  }
  return request;
}

/** What is wrong with the object the device holds, measured against the request (empty: it is what was promised). */
export function objectProblems(info: ObjectInfo, request: YubiHsmKeyRequest, id: number): string[] {
  const out: string[] = [];
  if (info.type !== ASYMMETRIC_KEY || info.id !== id) out.push(`The device describes object ${info.id} of type ${info.type}, not asymmetric key ${id}.`);
  if (info.algorithm !== request.algorithmId) out.push(`Its algorithm is ${info.algorithm}, not ${request.algorithmId} (${request.base.algorithm}).`);
  if (info.label !== request.base.label) out.push(`Its label is “${info.label}”, not “${request.base.label}”.`);
  if (info.domains !== request.domains)
    out.push(`Its domains are ${JSON.stringify(domainList(info.domains))}, not ${JSON.stringify(domainList(request.domains))}.`);
  if (info.capabilities !== request.capabilities) {
    out.push(`Its capabilities are ${capabilityList(info.capabilities).join(', ') || 'none'}, not ${capabilityList(request.capabilities).join(', ')}.`);
  }
  if (info.origin !== ORIGIN_GENERATED) out.push(`Its origin is ${info.origin}, not 1 (generated on this device).`);
  return out;
}

/** The key's facts as the transcript shows them, one per line, for the witness to check against the plan. */
export function attributesLines(info: ObjectInfo, request: YubiHsmKeyRequest): string {
  return [
    `Object:        asymmetric key ${info.id} (0x${info.id.toString(16).padStart(4, '0')}), sequence ${info.sequence}`,
    `Label:         “${info.label}”`,
    `Algorithm:     ${request.base.spec.title} (${request.base.algorithm})`,
    `Origin:        ${info.origin === ORIGIN_GENERATED ? 'generated on this YubiHSM' : `code ${info.origin}`}`,
    `Domains:       ${JSON.stringify(domainList(info.domains))}`,
    `Capabilities:  ${capabilityList(info.capabilities).join(', ')}`,
    `Exportable:    ${request.base.policy === 'backupable' ? 'only wrapped under a wrap key (exportable-under-wrap)' : 'never (no exportable-under-wrap)'}`,
  ].join('\n');
}

export function planLines(request: YubiHsmKeyRequest, serial: number): string {
  const names = outputNames(request.base.label);
  const signed = `signed ${request.base.spec.certificateSignature} on the YubiHSM`;
  const lines = [
    `Key:          ${request.base.spec.title} (${request.base.algorithm})`,
    `Label:        “${request.base.label}”`,
    `Object ID:    ${request.keyId === 0 ? 'chosen by the device' : request.keyId}`,
    `Domains:      ${JSON.stringify(domainList(request.domains))}`,
    `Capabilities: ${capabilityList(request.capabilities).join(', ')}`,
    `Policy:       ${request.base.policy}`,
    `              ${KEY_POLICY_PROMISES[request.base.policy]}`,
    `Device:       YubiHSM 2, serial ${serial}`,
    `Public key:   ${names.publicKey}`,
    `Attestation:  ${attestationNames(request.base.label).certificate}, verified against the device's chain`,
  ];
  if (request.base.csr) lines.push(`CSR:          ${names.csr}, ${signed}`);
  if (request.base.selfSigned) lines.push(`Root cert:    ${names.certificate}, valid ${request.base.validityYears} years, ${signed}`);
  if (request.base.csr || request.base.selfSigned) lines.push(`Subject:      ${request.base.subject}`);
  else lines.push('No CSR and no certificate.');
  return lines.join('\n');
}

export function attestationNames(label: string) {
  const stem = outputNames(label).publicKey.replace(/\.public-key\.pem$/, '');
  return { certificate: `${stem}.attestation.pem`, chain: `${stem}.attestation-chain.pem` };
}
