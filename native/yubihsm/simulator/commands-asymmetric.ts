/** Inner commands for signing keys: GENERATE_ASYMMETRIC_KEY, GET_PUBLIC_KEY, SIGN_ECDSA/PKCS1/PSS/EDDSA. */
import { ALGORITHM, CAPABILITY, COMMAND, ERROR, OBJECT, ORIGIN } from '../protocol/defs';
import { u16 } from '../protocol/bytes';
import { decodeGenerateAsymmetric, decodeGetPublicKey, decodeSignPss, decodeSignRequest, encodePublicKeyResponse } from '../protocol/commands/asymmetric';
import {
  CommandContext,
  DeviceFault,
  InnerHandler,
  checkNewObject,
  findObject,
  parsePayload,
  requireCapability,
  requireObjectCapability,
  storeObject,
} from './context';
import { StoredObject } from './state';
import {
  ecdsaSign,
  eddsaSign,
  generateAsymmetricSecret,
  hashForDigestLength,
  isEcAlgorithm,
  isRsaAlgorithm,
  isSupportedAsymmetric,
  pkcs1Sign,
  pssSign,
  publicKeyBytes,
} from './crypto';

const generateAsymmetricKey: InnerHandler = (ctx, payload) => {
  requireCapability(ctx, CAPABILITY.GENERATE_ASYMMETRIC_KEY);
  const header = parsePayload(() => decodeGenerateAsymmetric(payload));
  if (!isSupportedAsymmetric(header.algorithm)) throw new DeviceFault(ERROR.INVALID_DATA);
  checkNewObject(ctx, header);
  const stored = storeObject(ctx, {
    ...header,
    type: OBJECT.ASYMMETRIC_KEY,
    delegated: 0n,
    origin: ORIGIN.GENERATED,
    secret: generateAsymmetricSecret(header.algorithm),
  });
  return u16(stored.id);
};

const getPublicKey: InnerHandler = (ctx, payload) => {
  const req = parsePayload(() => decodeGetPublicKey(payload));
  ctx.target = req.keyId;
  if (req.type !== OBJECT.ASYMMETRIC_KEY) throw new DeviceFault(ERROR.INVALID_DATA);
  const key = findObject(ctx, req.keyId, OBJECT.ASYMMETRIC_KEY);
  return encodePublicKeyResponse({ algorithm: key.algorithm, key: publicKeyBytes(key.algorithm, key.secret) });
};

/** A signing key the session may use: both the session's key and the object need the capability. */
function signingKey(ctx: CommandContext, keyId: number, cap: CAPABILITY, accepts: (a: ALGORITHM) => boolean): StoredObject {
  ctx.target = keyId;
  requireCapability(ctx, cap);
  const key = findObject(ctx, keyId, OBJECT.ASYMMETRIC_KEY);
  requireObjectCapability(key, cap);
  if (!accepts(key.algorithm)) throw new DeviceFault(ERROR.INVALID_DATA);
  return key;
}

const signEcdsa: InnerHandler = (ctx, payload) => {
  const req = parsePayload(() => decodeSignRequest(payload));
  const key = signingKey(ctx, req.keyId, CAPABILITY.SIGN_ECDSA, isEcAlgorithm);
  if (req.data.length === 0 || req.data.length > 128) throw new DeviceFault(ERROR.INVALID_DATA);
  return ecdsaSign(key.algorithm, key.secret, req.data);
};

const signPkcs1: InnerHandler = (ctx, payload) => {
  const req = parsePayload(() => decodeSignRequest(payload));
  const key = signingKey(ctx, req.keyId, CAPABILITY.SIGN_PKCS, isRsaAlgorithm);
  const signature = pkcs1Sign(key.secret, req.data);
  if (!signature) throw new DeviceFault(ERROR.INVALID_DATA);
  return signature;
};

const MGF1_HASH: Partial<Record<ALGORITHM, string>> = {
  [ALGORITHM.RSA_MGF1_SHA1]: 'sha1',
  [ALGORITHM.RSA_MGF1_SHA256]: 'sha256',
  [ALGORITHM.RSA_MGF1_SHA384]: 'sha384',
  [ALGORITHM.RSA_MGF1_SHA512]: 'sha512',
};

const signPss: InnerHandler = (ctx, payload) => {
  const req = parsePayload(() => decodeSignPss(payload));
  const key = signingKey(ctx, req.keyId, CAPABILITY.SIGN_PSS, isRsaAlgorithm);
  const mgf1 = MGF1_HASH[req.mgf1];
  if (!mgf1 || !hashForDigestLength(req.digest.length)) throw new DeviceFault(ERROR.INVALID_DATA);
  try {
    return pssSign(key.secret, req.digest, mgf1, req.saltLength);
  } catch {
    throw new DeviceFault(ERROR.INVALID_DATA);
  }
};

const signEddsa: InnerHandler = (ctx, payload) => {
  const req = parsePayload(() => decodeSignRequest(payload));
  const key = signingKey(ctx, req.keyId, CAPABILITY.SIGN_EDDSA, (a) => a === ALGORITHM.EC_ED25519);
  return eddsaSign(key.secret, req.data);
};

export const ASYMMETRIC_HANDLERS: Partial<Record<COMMAND, InnerHandler>> = {
  [COMMAND.GENERATE_ASYMMETRIC_KEY]: generateAsymmetricKey,
  [COMMAND.GET_PUBLIC_KEY]: getPublicKey,
  [COMMAND.SIGN_ECDSA]: signEcdsa,
  [COMMAND.SIGN_PKCS1]: signPkcs1,
  [COMMAND.SIGN_PSS]: signPss,
  [COMMAND.SIGN_EDDSA]: signEddsa,
};
