/** Inner commands on objects and authentication keys: LIST, INFO, PUT/CHANGE_AUTHENTICATION_KEY, DELETE. */
import { ALGORITHM, CAPABILITY, COMMAND, ERROR, OBJECT, ORIGIN } from '../protocol/defs';
import { concatBytes, u16 } from '../protocol/bytes';
import { decodeChangeAuthKey, decodeListFilter, decodeObjectRef, decodePutAuthKey, encodeListResponse, encodeObjectInfo } from '../protocol/commands/objects';
import { DeviceFault, InnerHandler, checkNewObject, findObject, parsePayload, requireCapability, storeObject } from './context';
import { objectBody, objectKey } from './state';

const listObjects: InnerHandler = (ctx, payload) => {
  const f = parsePayload(() => decodeListFilter(payload));
  const visible = ctx.state.objects.filter(
    (o) =>
      (o.domains & ctx.session.domains) !== 0 &&
      (f.id === undefined || o.id === f.id) &&
      (f.type === undefined || o.type === f.type) &&
      (f.domains === undefined || (o.domains & f.domains) !== 0) &&
      (f.capabilities === undefined || (o.capabilities & f.capabilities) !== 0n) &&
      (f.algorithm === undefined || o.algorithm === f.algorithm) &&
      (f.label === undefined || o.label === f.label),
  );
  return encodeListResponse(visible.map((o) => ({ id: o.id, type: o.type, sequence: o.sequence })));
};

const getObjectInfo: InnerHandler = (ctx, payload) => {
  const ref = parsePayload(() => decodeObjectRef(payload));
  const o = findObject(ctx, ref.id, ref.type);
  ctx.target = o.id;
  return encodeObjectInfo({
    capabilities: o.capabilities,
    id: o.id,
    size: objectBody(o).length,
    domains: o.domains,
    type: o.type,
    algorithm: o.algorithm,
    sequence: o.sequence,
    origin: o.origin,
    label: o.label,
    delegatedCapabilities: o.delegated,
  });
};

const putAuthenticationKey: InnerHandler = (ctx, payload) => {
  requireCapability(ctx, CAPABILITY.PUT_AUTHENTICATION_KEY);
  if (payload.length !== 93) throw new DeviceFault(ERROR.WRONG_LENGTH);
  const req = decodePutAuthKey(payload);
  // Only symmetric authentication keys; asymmetric ones (algorithm 49) are optional in this project.
  if (req.algorithm !== ALGORITHM.AES128_YUBICO_AUTHENTICATION) throw new DeviceFault(ERROR.INVALID_DATA);
  checkNewObject(ctx, req, req.delegatedCapabilities);
  const stored = storeObject(ctx, {
    id: req.id,
    type: OBJECT.AUTHENTICATION_KEY,
    algorithm: req.algorithm,
    label: req.label,
    domains: req.domains,
    capabilities: req.capabilities,
    delegated: req.delegatedCapabilities,
    origin: ORIGIN.IMPORTED,
    secret: concatBytes(req.encKey, req.macKey),
  });
  return u16(stored.id);
};

const changeAuthenticationKey: InnerHandler = (ctx, payload) => {
  requireCapability(ctx, CAPABILITY.CHANGE_AUTHENTICATION_KEY);
  if (payload.length !== 35) throw new DeviceFault(ERROR.WRONG_LENGTH);
  const req = decodeChangeAuthKey(payload);
  ctx.target = req.id;
  // A key can only change itself; the session that changed it stays valid.
  if (req.id !== ctx.session.authKeyId) throw new DeviceFault(ERROR.INVALID_ID);
  const key = findObject(ctx, req.id, OBJECT.AUTHENTICATION_KEY);
  if (req.algorithm !== key.algorithm) throw new DeviceFault(ERROR.INVALID_DATA);
  key.secret.fill(0);
  key.secret = concatBytes(req.encKey, req.macKey);
  ctx.changed = true;
  return u16(key.id);
};

const DELETE_CAPABILITY: Record<number, CAPABILITY> = {
  [OBJECT.OPAQUE]: CAPABILITY.DELETE_OPAQUE,
  [OBJECT.AUTHENTICATION_KEY]: CAPABILITY.DELETE_AUTHENTICATION_KEY,
  [OBJECT.ASYMMETRIC_KEY]: CAPABILITY.DELETE_ASYMMETRIC_KEY,
  [OBJECT.WRAP_KEY]: CAPABILITY.DELETE_WRAP_KEY,
  [OBJECT.HMAC_KEY]: CAPABILITY.DELETE_HMAC_KEY,
  [OBJECT.TEMPLATE]: CAPABILITY.DELETE_TEMPLATE,
  [OBJECT.OTP_AEAD_KEY]: CAPABILITY.DELETE_OTP_AEAD_KEY,
  [OBJECT.SYMMETRIC_KEY]: CAPABILITY.DELETE_SYMMETRIC_KEY,
  [OBJECT.PUBLIC_WRAP_KEY]: CAPABILITY.PUBLIC_WRAP_KEY_DELETE,
};

const deleteObject: InnerHandler = (ctx, payload) => {
  const ref = parsePayload(() => decodeObjectRef(payload));
  ctx.target = ref.id;
  const cap = DELETE_CAPABILITY[ref.type];
  if (cap === undefined) throw new DeviceFault(ERROR.INVALID_DATA);
  requireCapability(ctx, cap);
  const o = findObject(ctx, ref.id, ref.type);
  o.secret.fill(0);
  ctx.state.objects = ctx.state.objects.filter((x) => x !== o);
  // Remember the sequence so a re-created object with this ID and type gets the next number.
  ctx.state.sequences[objectKey(o.type, o.id)] = o.sequence;
  ctx.changed = true;
  return new Uint8Array(0);
};

export const OBJECT_HANDLERS: Partial<Record<COMMAND, InnerHandler>> = {
  [COMMAND.LIST_OBJECTS]: listObjects,
  [COMMAND.GET_OBJECT_INFO]: getObjectInfo,
  [COMMAND.PUT_AUTHENTICATION_KEY]: putAuthenticationKey,
  [COMMAND.CHANGE_AUTHENTICATION_KEY]: changeAuthenticationKey,
  [COMMAND.DELETE_OBJECT]: deleteObject,
};
