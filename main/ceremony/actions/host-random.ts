import { randomBytes } from 'node:crypto';

/**
 * Every secret Custodian generates is the device's random bytes XOR the workstation's CSPRNG, so neither a weak
 * HSM generator nor a weak host alone decides it. Returns a new array of the same length the caller owns; the
 * device's bytes and the host's are zeroed here.
 */
export function mixedWithHostRandom(fromDevice: Uint8Array): Uint8Array {
  const host = randomBytes(fromDevice.length);
  const mixed = new Uint8Array(fromDevice.length);
  for (let i = 0; i < mixed.length; i++) mixed[i] = fromDevice[i] ^ host[i];
  host.fill(0);
  fromDevice.fill(0);
  return mixed;
}
