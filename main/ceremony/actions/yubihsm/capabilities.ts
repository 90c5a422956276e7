/**
 * YubiHSM 2 capability names (bit N of the 64-bit field, Yubico's yubihsm-shell names) and domain sets, for main:
 * the protocol module lives in the device host, so main keeps its own copy of the names it shows and journals.
 */
const CAPABILITY_NAMES = [
  'get-opaque',
  'put-opaque',
  'put-authentication-key',
  'put-asymmetric-key',
  'generate-asymmetric-key',
  'sign-pkcs',
  'sign-pss',
  'sign-ecdsa',
  'sign-eddsa',
  'decrypt-pkcs',
  'decrypt-oaep',
  'derive-ecdh',
  'export-wrapped',
  'import-wrapped',
  'put-wrap-key',
  'generate-wrap-key',
  'exportable-under-wrap',
  'set-option',
  'get-option',
  'get-pseudo-random',
  'put-mac-key',
  'generate-hmac-key',
  'sign-hmac',
  'verify-hmac',
  'get-log-entries',
  'sign-ssh-certificate',
  'get-template',
  'put-template',
  'reset-device',
  'decrypt-otp',
  'create-otp-aead',
  'randomize-otp-aead',
  'rewrap-from-otp-aead-key',
  'rewrap-to-otp-aead-key',
  'sign-attestation-certificate',
  'put-otp-aead-key',
  'generate-otp-aead-key',
  'wrap-data',
  'unwrap-data',
  'delete-opaque',
  'delete-authentication-key',
  'delete-asymmetric-key',
  'delete-wrap-key',
  'delete-hmac-key',
  'delete-template',
  'delete-otp-aead-key',
  'change-authentication-key',
  'put-symmetric-key',
  'generate-symmetric-key',
  'delete-symmetric-key',
  'decrypt-ecb',
  'encrypt-ecb',
  'decrypt-cbc',
  'encrypt-cbc',
  'put-public-wrap-key',
  'delete-public-wrap-key',
] as const;

export type CapabilityName = (typeof CAPABILITY_NAMES)[number];

/** Every defined capability (python-yubihsm CAPABILITY.ALL); the factory key holds at least these. */
export const ALL_DEFINED_CAPABILITIES = (1n << BigInt(CAPABILITY_NAMES.length)) - 1n;
export const ALL_DOMAINS = 0xffff;

export function capabilityMask(...names: CapabilityName[]): bigint {
  let mask = 0n;
  for (const name of names) mask |= 1n << BigInt(CAPABILITY_NAMES.indexOf(name));
  return mask;
}

export function capabilityList(mask: bigint): string[] {
  if ((mask & ALL_DEFINED_CAPABILITIES) === ALL_DEFINED_CAPABILITIES) return ['all'];
  const names: string[] = [];
  for (let bit = 0; bit < 64; bit++) if (mask & (1n << BigInt(bit))) names.push(CAPABILITY_NAMES[bit] ?? `bit-${bit}`);
  return names;
}

export function hasCapabilities(mask: bigint, ...names: CapabilityName[]): boolean {
  const wanted = capabilityMask(...names);
  return (mask & wanted) === wanted;
}

/** "1" or "1,2,5" or "all" → the 16-bit domain field; undefined when not that form. */
export function parseDomains(text: string): number | undefined {
  const t = text.trim().toLowerCase();
  if (t === 'all') return ALL_DOMAINS;
  if (!/^\d{1,2}(\s*,\s*\d{1,2})*$/.test(t)) return undefined;
  let mask = 0;
  for (const part of t.split(',')) {
    const d = Number(part.trim());
    if (d < 1 || d > 16) return undefined;
    mask |= 1 << (d - 1);
  }
  return mask;
}

export function domainList(mask: number): number[] | 'all' {
  if (mask === ALL_DOMAINS) return 'all';
  const out: number[] = [];
  for (let d = 1; d <= 16; d++) if (mask & (1 << (d - 1))) out.push(d);
  return out;
}
