import { CAPABILITY } from './defs';

/** Builds the 64-bit capability field from capability names (bit numbers). */
export function capabilitySet(...caps: CAPABILITY[]): bigint {
  let mask = 0n;
  for (const cap of caps) mask |= 1n << BigInt(cap);
  return mask;
}

export function hasCapability(mask: bigint, cap: CAPABILITY): boolean {
  return (mask & (1n << BigInt(cap))) !== 0n;
}

export function capabilityNames(mask: bigint): string[] {
  const names: string[] = [];
  for (let bit = 0; bit < 64; bit++) {
    if (mask & (1n << BigInt(bit))) names.push(CAPABILITY[bit] ?? `bit${bit}`);
  }
  return names;
}

/** `sub` holds no capability outside `outer`. */
export function capabilitiesWithin(sub: bigint, outer: bigint): boolean {
  return (sub & ~outer) === 0n;
}

/** Domain numbers 1..16 → 16-bit field (domain k is bit k-1). */
export function domainSet(...domains: number[]): number {
  let mask = 0;
  for (const d of domains) {
    if (!Number.isInteger(d) || d < 1 || d > 16) throw new RangeError(`Domain ${d} is not between 1 and 16.`);
    mask |= 1 << (d - 1);
  }
  return mask;
}

export function domainNumbers(mask: number): number[] {
  const out: number[] = [];
  for (let d = 1; d <= 16; d++) if (mask & (1 << (d - 1))) out.push(d);
  return out;
}
