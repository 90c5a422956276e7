import '../../../../x509'; // installs what @peculiar/x509 needs at import time, before it is loaded below
import * as x509 from '@peculiar/x509';

/**
 * The claims a YubiHSM writes into an attestation certificate (Yubico's arc 1.3.6.1.4.1.41482.4, see
 * native/yubihsm/simulator/SIMULATOR.md), read back out of the certificate here in main, independently of the device
 * host that fetched it. Missing or malformed extensions are reported, never guessed.
 */
export interface AttestedClaims {
  firmware?: string;
  serial?: number;
  origin?: number;
  domains?: number;
  capabilities?: bigint;
  objectId?: number;
  label?: string;
  /** the claims that were absent or unreadable */
  missing: string[];
}

const ARC = '1.3.6.1.4.1.41482.4.';
const NAMES: Record<string, keyof Omit<AttestedClaims, 'missing'>> = {
  [`${ARC}1`]: 'firmware',
  [`${ARC}2`]: 'serial',
  [`${ARC}3`]: 'origin',
  [`${ARC}4`]: 'domains',
  [`${ARC}5`]: 'capabilities',
  [`${ARC}6`]: 'objectId',
  [`${ARC}9`]: 'label',
};

/** One DER TLV with a short or long (≤ 4 bytes) length; throws on anything else. */
function tlv(bytes: Uint8Array): { tag: number; content: Uint8Array } {
  if (bytes.length < 2) throw new RangeError('truncated');
  let length = bytes[1];
  let header = 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count < 1 || count > 4) throw new RangeError('length');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + bytes[2 + i];
    header += count;
  }
  if (header + length !== bytes.length) throw new RangeError('length');
  return { tag: bytes[0], content: bytes.subarray(header) };
}

const bigOf = (b: Uint8Array) => b.reduce((v, x) => (v << 8n) | BigInt(x), 0n);

function decode(name: keyof Omit<AttestedClaims, 'missing'>, value: Uint8Array): AttestedClaims[typeof name] {
  const { tag, content } = tlv(value);
  switch (name) {
    case 'firmware':
      if (tag !== 0x04 || content.length !== 3) throw new RangeError('firmware');
      return Array.from(content).join('.');
    case 'serial':
    case 'objectId':
      if (tag !== 0x02 || content.length === 0 || content[0] & 0x80) throw new RangeError('integer');
      return Number(bigOf(content));
    case 'label':
      if (tag !== 0x0c) throw new RangeError('label');
      return new TextDecoder('utf-8', { fatal: true }).decode(content);
    default: {
      // origin, domains, capabilities: BIT STRINGs of whole bytes
      const width = { origin: 1, domains: 2, capabilities: 8 }[name];
      if (tag !== 0x03 || content.length !== width + 1 || content[0] !== 0) throw new RangeError('bits');
      const v = bigOf(content.subarray(1));
      return name === 'capabilities' ? v : Number(v);
    }
  }
}

export function attestedClaims(der: Uint8Array): AttestedClaims {
  const cert = new x509.X509Certificate(new Uint8Array(der));
  const out: AttestedClaims = { missing: [] };
  const seen = new Set<string>();
  for (const ext of cert.extensions) {
    const name = NAMES[ext.type];
    if (!name) continue;
    seen.add(name);
    try {
      (out as unknown as Record<string, unknown>)[name] = decode(name, new Uint8Array(ext.value));
    } catch {
      out.missing.push(name);
    }
  }
  for (const name of Object.values(NAMES)) if (!seen.has(name)) out.missing.push(name);
  return out;
}
