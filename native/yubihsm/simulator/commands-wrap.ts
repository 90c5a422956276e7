/** Inner commands for wrap keys and key backup: PUT/GENERATE_WRAP_KEY, EXPORT/IMPORT_WRAPPED (keys and opaque objects). */
import { randomBytes } from 'node:crypto';
import { CAPABILITY, COMMAND, ERROR, OBJECT, ORIGIN } from '../protocol/defs';
import { capabilitiesWithin, hasCapability } from '../protocol/capabilities';
import { concatBytes, u16, u8 } from '../protocol/bytes';
import {
  WRAP_NONCE_LENGTH,
  decodeExportWrapped,
  decodeGenerateWrapKey,
  decodeImportWrapped,
  decodePutWrapKey,
  decodeWrappedPlaintext,
  encodeWrappedPlaintext,
  openWrapped,
  sealWrapped,
  wrapKeyLength,
} from '../protocol/commands/wrap';
import { DeviceFault, InnerHandler, checkNewObject, findObject, parsePayload, requireCapability, requireObjectCapability, storeObject } from './context';
import { StoredObject, objectBody } from './state';
import { isSupportedAsymmetric, secretFits } from './crypto';
import { OPAQUE_ALGORITHMS } from '../protocol/commands/opaque';

const putWrapKey: InnerHandler = (ctx, payload) => {
  requireCapability(ctx, CAPABILITY.PUT_WRAP_KEY);
  const req = parsePayload(() => decodePutWrapKey(payload));
  const length = wrapKeyLength(req.header.algorithm);
  if (length === undefined) throw new DeviceFault(ERROR.INVALID_DATA);
  if (req.key.length !== length) throw new DeviceFault(ERROR.WRONG_LENGTH);
  checkNewObject(ctx, req.header, req.delegated);
  const stored = storeObject(ctx, { ...req.header, type: OBJECT.WRAP_KEY, delegated: req.delegated, origin: ORIGIN.IMPORTED, secret: req.key });
  return u16(stored.id);
};

const generateWrapKey: InnerHandler = (ctx, payload) => {
  requireCapability(ctx, CAPABILITY.GENERATE_WRAP_KEY);
  const req = parsePayload(() => decodeGenerateWrapKey(payload));
  const length = wrapKeyLength(req.header.algorithm);
  if (length === undefined) throw new DeviceFault(ERROR.INVALID_DATA);
  checkNewObject(ctx, req.header, req.delegated);
  const stored = storeObject(ctx, {
    ...req.header,
    type: OBJECT.WRAP_KEY,
    delegated: req.delegated,
    origin: ORIGIN.GENERATED,
    secret: new Uint8Array(randomBytes(length)),
  });
  return u16(stored.id);
};

/** The wrap key must carry the capability itself as well as the session key (test_wrap.py rules). */
function usableWrapKey(wrapKey: StoredObject, cap: CAPABILITY): void {
  requireObjectCapability(wrapKey, cap);
}

const exportWrapped: InnerHandler = (ctx, payload) => {
  requireCapability(ctx, CAPABILITY.EXPORT_WRAPPED);
  const req = parsePayload(() => decodeExportWrapped(payload));
  if (req.format > 1) throw new DeviceFault(ERROR.INVALID_DATA);
  ctx.target = req.wrapKeyId;
  ctx.second = req.objectId;
  const wrapKey = findObject(ctx, req.wrapKeyId, OBJECT.WRAP_KEY);
  usableWrapKey(wrapKey, CAPABILITY.EXPORT_WRAPPED);
  const target = findObject(ctx, req.objectId, req.type);
  if (!hasCapability(target.capabilities, CAPABILITY.EXPORTABLE_UNDER_WRAP)) throw new DeviceFault(ERROR.INSUFFICIENT_PERMISSIONS);
  if (!capabilitiesWithin(target.capabilities, wrapKey.delegated)) throw new DeviceFault(ERROR.INSUFFICIENT_PERMISSIONS);
  const plaintext = encodeWrappedPlaintext({
    wrapKeyAlgorithm: wrapKey.algorithm,
    capabilities: target.capabilities,
    id: target.id,
    domains: target.domains,
    type: target.type,
    algorithm: target.algorithm,
    sequence: target.sequence,
    origin: target.origin,
    label: target.label,
    body: objectBody(target),
  });
  const blob = sealWrapped(wrapKey.secret, new Uint8Array(randomBytes(WRAP_NONCE_LENGTH)), plaintext);
  plaintext.fill(0);
  return blob;
};

const importWrapped: InnerHandler = (ctx, payload) => {
  requireCapability(ctx, CAPABILITY.IMPORT_WRAPPED);
  const req = parsePayload(() => decodeImportWrapped(payload));
  ctx.second = req.wrapKeyId;
  const wrapKey = findObject(ctx, req.wrapKeyId, OBJECT.WRAP_KEY);
  usableWrapKey(wrapKey, CAPABILITY.IMPORT_WRAPPED);
  const plain = openWrapped(wrapKey.secret, req.blob);
  if (!plain) throw new DeviceFault(ERROR.INVALID_DATA);
  const p = parsePayload(() => decodeWrappedPlaintext(plain));
  plain.fill(0);
  if (p.wrapKeyAlgorithm !== wrapKey.algorithm) throw new DeviceFault(ERROR.INVALID_DATA);
  if (!capabilitiesWithin(p.capabilities, wrapKey.delegated)) throw new DeviceFault(ERROR.INSUFFICIENT_PERMISSIONS);
  if ((p.domains & ~ctx.session.domains) !== 0) throw new DeviceFault(ERROR.INSUFFICIENT_PERMISSIONS);
  let delegated = 0n;
  let secret: Uint8Array;
  if (p.type === OBJECT.AUTHENTICATION_KEY || p.type === OBJECT.WRAP_KEY) {
    if (p.body.length < 8) throw new DeviceFault(ERROR.INVALID_DATA);
    delegated = new DataView(p.body.buffer, p.body.byteOffset).getBigUint64(0);
    secret = p.body.slice(8);
    const expected = p.type === OBJECT.WRAP_KEY ? wrapKeyLength(p.algorithm) : 32;
    if (secret.length !== expected) throw new DeviceFault(ERROR.INVALID_DATA);
  } else if (p.type === OBJECT.ASYMMETRIC_KEY) {
    if (!isSupportedAsymmetric(p.algorithm) || !secretFits(p.algorithm, p.body)) throw new DeviceFault(ERROR.INVALID_DATA);
    secret = p.body;
  } else if (p.type === OBJECT.OPAQUE) {
    if (!OPAQUE_ALGORITHMS.includes(p.algorithm) || p.body.length === 0) throw new DeviceFault(ERROR.INVALID_DATA);
    secret = p.body;
  } else {
    throw new DeviceFault(ERROR.INVALID_DATA);
  }
  const stored = storeObject(ctx, {
    id: p.id,
    type: p.type,
    algorithm: p.algorithm,
    label: p.label,
    domains: p.domains,
    capabilities: p.capabilities,
    delegated,
    origin: p.origin | ORIGIN.IMPORTED_WRAPPED,
    secret,
    sequence: p.sequence,
  });
  return concatBytes(u8(stored.type), u16(stored.id));
};

export const WRAP_HANDLERS: Partial<Record<COMMAND, InnerHandler>> = {
  [COMMAND.PUT_WRAP_KEY]: putWrapKey,
  [COMMAND.GENERATE_WRAP_KEY]: generateWrapKey,
  [COMMAND.EXPORT_WRAPPED]: exportWrapped,
  [COMMAND.IMPORT_WRAPPED]: importWrapped,
};
