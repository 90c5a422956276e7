import type { ObjectInfo } from '../../../devices';
import type { JsonObject } from '../registry';
import { capabilityList, domainList } from './capabilities';

/** Object types by wire value, with Yubico's names. */
const OBJECT_TYPES: Record<number, string> = {
  1: 'opaque',
  2: 'authentication-key',
  3: 'asymmetric-key',
  4: 'wrap-key',
  5: 'hmac-key',
  6: 'template',
  7: 'otp-aead-key',
  8: 'symmetric-key',
  9: 'public-wrap-key',
};

export function objectTypeName(type: number): string {
  return OBJECT_TYPES[type] ?? `type-${type}`;
}

/** The public facts of an object, for the journal and the screen (never its key material: the device never gives it). */
export function objectFacts(o: ObjectInfo): JsonObject {
  return {
    id: o.id,
    type: objectTypeName(o.type),
    label: o.label,
    capabilities: capabilityList(o.capabilities),
    delegatedCapabilities: capabilityList(o.delegatedCapabilities),
    domains: domainList(o.domains),
    sequence: o.sequence,
    origin: o.origin,
  };
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

/** The audit anchor as the transcript writes it and the rotation takes it: "<entry number>:<digest hex>". */
export function anchorText(anchor: { number: number; digest: Uint8Array }): string {
  return `${anchor.number}:${hex(anchor.digest)}`;
}
