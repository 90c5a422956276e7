import { createCipheriv } from 'node:crypto';

/** AES-CMAC (RFC 4493) over AES-ECB, since node:crypto has no CMAC. Works for 16, 24 and 32-byte keys. */

function ecbCipherName(key: Uint8Array): string {
  if (key.length === 16) return 'aes-128-ecb';
  if (key.length === 24) return 'aes-192-ecb';
  if (key.length === 32) return 'aes-256-ecb';
  throw new RangeError('An AES key must be 16, 24 or 32 bytes long.');
}

export function aesEncryptBlock(key: Uint8Array, block: Uint8Array): Uint8Array {
  const cipher = createCipheriv(ecbCipherName(key), key, null);
  cipher.setAutoPadding(false);
  return new Uint8Array(Buffer.concat([cipher.update(block), cipher.final()]));
}

/** Doubling in GF(2^128) for subkey generation. */
function shiftLeftWithReduction(block: Uint8Array): Uint8Array {
  const out = new Uint8Array(16);
  let carry = 0;
  for (let i = 15; i >= 0; i--) {
    out[i] = ((block[i] << 1) | carry) & 0xff;
    carry = block[i] >>> 7;
  }
  if (carry) out[15] ^= 0x87;
  return out;
}

export function aesCmac(key: Uint8Array, message: Uint8Array): Uint8Array {
  const cipher = createCipheriv(ecbCipherName(key), key, null);
  cipher.setAutoPadding(false);
  const encrypt = (b: Uint8Array) => new Uint8Array(cipher.update(b));
  const l = encrypt(new Uint8Array(16));
  const k1 = shiftLeftWithReduction(l);
  const k2 = shiftLeftWithReduction(k1);
  const blockCount = Math.max(1, Math.ceil(message.length / 16));
  const lastComplete = message.length > 0 && message.length % 16 === 0;
  let state = new Uint8Array(16);
  for (let i = 0; i < blockCount - 1; i++) {
    const block = message.subarray(i * 16, i * 16 + 16);
    for (let j = 0; j < 16; j++) state[j] ^= block[j];
    state = encrypt(state);
  }
  const tail = message.subarray((blockCount - 1) * 16);
  const last = new Uint8Array(16);
  last.set(tail);
  if (!lastComplete) last[tail.length] = 0x80;
  const subkey = lastComplete ? k1 : k2;
  for (let j = 0; j < 16; j++) state[j] ^= last[j] ^ subkey[j];
  const mac = encrypt(state);
  cipher.final();
  return mac;
}
