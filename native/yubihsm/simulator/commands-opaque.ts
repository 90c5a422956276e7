/**
 * Inner commands for opaque objects: PUT_OPAQUE and GET_OPAQUE (python-yubihsm tests/device/test_opaque.py: data of
 * 1 byte up to what a message holds; empty data refused). Opaque objects are listed, described, deleted, exported
 * and imported under wrap like every other object (commands-objects.ts, commands-wrap.ts). GET_OPAQUE 0 reads the
 * device's attestation certificate, which is factory data and not in LIST_OBJECTS.
 */
import { CAPABILITY, COMMAND, ERROR, OBJECT, ORIGIN } from '../protocol/defs';
import { u16 } from '../protocol/bytes';
import { DEVICE_ATTESTATION_CERTIFICATE_ID, OPAQUE_ALGORITHMS, decodeGetOpaque, decodePutOpaque } from '../protocol/commands/opaque';
import { DeviceFault, InnerHandler, checkNewObject, findObject, parsePayload, requireCapability, storeObject } from './context';

const putOpaque: InnerHandler = (ctx, payload) => {
  requireCapability(ctx, CAPABILITY.PUT_OPAQUE);
  const { header, data } = parsePayload(() => decodePutOpaque(payload));
  if (!OPAQUE_ALGORITHMS.includes(header.algorithm) || data.length === 0) throw new DeviceFault(ERROR.INVALID_DATA);
  checkNewObject(ctx, header);
  const stored = storeObject(ctx, { ...header, type: OBJECT.OPAQUE, delegated: 0n, origin: ORIGIN.IMPORTED, secret: data });
  return u16(stored.id);
};

const getOpaque: InnerHandler = (ctx, payload) => {
  requireCapability(ctx, CAPABILITY.GET_OPAQUE);
  const id = parsePayload(() => decodeGetOpaque(payload));
  ctx.target = id;
  if (id === DEVICE_ATTESTATION_CERTIFICATE_ID) return ctx.attestationPki().deviceCertificate;
  return findObject(ctx, id, OBJECT.OPAQUE).secret.slice();
};

export const OPAQUE_HANDLERS: Partial<Record<COMMAND, InnerHandler>> = {
  [COMMAND.PUT_OPAQUE]: putOpaque,
  [COMMAND.GET_OPAQUE]: getOpaque,
};
