/** Object metadata and the commands that manage objects and authentication keys. */
import { ByteReader, concatBytes, decodeLabel, encodeLabel, readWhole, u16, u64, u8 } from '../bytes';
import { ALGORITHM, LIST_FILTER, OBJECT } from '../defs';

/** Put/generate header "HDR": ID(2) | Label(40) | Domains(2) | Capabilities(8) | Algorithm(1). */
export interface ObjectHeader {
  id: number;
  label: string;
  domains: number;
  capabilities: bigint;
  algorithm: ALGORITHM;
}

export const OBJECT_HEADER_LENGTH = 53;

export function encodeObjectHeader(h: ObjectHeader): Uint8Array {
  return concatBytes(u16(h.id), encodeLabel(h.label), u16(h.domains), u64(h.capabilities), u8(h.algorithm));
}

export function readObjectHeader(r: ByteReader): ObjectHeader {
  return { id: r.u16(), label: decodeLabel(r.take(40)), domains: r.u16(), capabilities: r.u64(), algorithm: r.u8() };
}

/** GET_OBJECT_INFO response, 66 bytes. */
export interface ObjectInfo {
  capabilities: bigint;
  id: number;
  size: number;
  domains: number;
  type: OBJECT;
  algorithm: ALGORITHM;
  sequence: number;
  origin: number;
  label: string;
  delegatedCapabilities: bigint;
}

export function encodeObjectInfo(o: ObjectInfo): Uint8Array {
  return concatBytes(
    u64(o.capabilities),
    u16(o.id),
    u16(o.size),
    u16(o.domains),
    u8(o.type),
    u8(o.algorithm),
    u8(o.sequence),
    u8(o.origin),
    encodeLabel(o.label),
    u64(o.delegatedCapabilities),
  );
}

export function decodeObjectInfo(payload: Uint8Array): ObjectInfo {
  const r = new ByteReader(payload);
  const out: ObjectInfo = {
    capabilities: r.u64(),
    id: r.u16(),
    size: r.u16(),
    domains: r.u16(),
    type: r.u8(),
    algorithm: r.u8(),
    sequence: r.u8(),
    origin: r.u8(),
    label: decodeLabel(r.take(40)),
    delegatedCapabilities: r.u64(),
  };
  r.end();
  return out;
}

export function encodeObjectRef(id: number, type: OBJECT): Uint8Array {
  return concatBytes(u16(id), u8(type));
}

export function decodeObjectRef(payload: Uint8Array): { id: number; type: OBJECT } {
  return readWhole(payload, (r) => ({ id: r.u16(), type: r.u8() }));
}

export function decodeObjectIdResponse(payload: Uint8Array): number {
  const r = new ByteReader(payload);
  const id = r.u16();
  r.end();
  return id;
}

export interface ListFilter {
  id?: number;
  type?: OBJECT;
  domains?: number;
  capabilities?: bigint;
  algorithm?: ALGORITHM;
  label?: string;
}

export function encodeListFilter(f: ListFilter): Uint8Array {
  const parts: Uint8Array[] = [];
  if (f.id !== undefined) parts.push(u8(LIST_FILTER.ID), u16(f.id));
  if (f.type !== undefined) parts.push(u8(LIST_FILTER.TYPE), u8(f.type));
  if (f.domains !== undefined) parts.push(u8(LIST_FILTER.DOMAINS), u16(f.domains));
  if (f.capabilities !== undefined) parts.push(u8(LIST_FILTER.CAPABILITIES), u64(f.capabilities));
  if (f.algorithm !== undefined) parts.push(u8(LIST_FILTER.ALGORITHM), u8(f.algorithm));
  if (f.label !== undefined) parts.push(u8(LIST_FILTER.LABEL), encodeLabel(f.label));
  return concatBytes(...parts);
}

export function decodeListFilter(payload: Uint8Array): ListFilter {
  const r = new ByteReader(payload);
  const f: ListFilter = {};
  while (r.remaining > 0) {
    const tag = r.u8();
    switch (tag) {
      case LIST_FILTER.ID:
        f.id = r.u16();
        break;
      case LIST_FILTER.TYPE:
        f.type = r.u8();
        break;
      case LIST_FILTER.DOMAINS:
        f.domains = r.u16();
        break;
      case LIST_FILTER.CAPABILITIES:
        f.capabilities = r.u64();
        break;
      case LIST_FILTER.ALGORITHM:
        f.algorithm = r.u8();
        break;
      case LIST_FILTER.LABEL:
        f.label = decodeLabel(r.take(40));
        break;
      default:
        throw new RangeError(`Unknown list filter tag ${tag}.`);
    }
  }
  return f;
}

export interface ListedObject {
  id: number;
  type: OBJECT;
  sequence: number;
}

export function encodeListResponse(objects: ListedObject[]): Uint8Array {
  return concatBytes(...objects.map((o) => concatBytes(u16(o.id), u8(o.type), u8(o.sequence))));
}

export function decodeListResponse(payload: Uint8Array): ListedObject[] {
  if (payload.length % 4 !== 0) throw new RangeError('LIST_OBJECTS entries are 4 bytes each.');
  const r = new ByteReader(payload);
  const out: ListedObject[] = [];
  while (r.remaining > 0) out.push({ id: r.u16(), type: r.u8(), sequence: r.u8() });
  return out;
}

/** PUT_AUTHENTICATION_KEY (symmetric): HDR(algorithm 38) | Delegated(8) | K-ENC(16) | K-MAC(16) = 93 bytes. */
export interface PutAuthKeyRequest extends ObjectHeader {
  delegatedCapabilities: bigint;
  encKey: Uint8Array;
  macKey: Uint8Array;
}

export function encodePutAuthKey(req: PutAuthKeyRequest): Uint8Array {
  return concatBytes(encodeObjectHeader(req), u64(req.delegatedCapabilities), req.encKey, req.macKey);
}

export function decodePutAuthKey(payload: Uint8Array): PutAuthKeyRequest {
  const r = new ByteReader(payload);
  const header = readObjectHeader(r);
  const delegatedCapabilities = r.u64();
  const encKey = r.take(16).slice();
  const macKey = r.take(16).slice();
  r.end();
  return { ...header, delegatedCapabilities, encKey, macKey };
}

/** CHANGE_AUTHENTICATION_KEY: ID(2) | Algorithm(1)=38 | K-ENC(16) | K-MAC(16) = 35 bytes. */
export function encodeChangeAuthKey(id: number, encKey: Uint8Array, macKey: Uint8Array): Uint8Array {
  return concatBytes(u16(id), u8(ALGORITHM.AES128_YUBICO_AUTHENTICATION), encKey, macKey);
}

export function decodeChangeAuthKey(payload: Uint8Array): { id: number; algorithm: number; encKey: Uint8Array; macKey: Uint8Array } {
  return readWhole(payload, (r) => ({ id: r.u16(), algorithm: r.u8(), encKey: r.take(16).slice(), macKey: r.take(16).slice() }));
}
