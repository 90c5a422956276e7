import { createCipheriv, createDecipheriv, pbkdf2Sync, timingSafeEqual } from 'node:crypto';
import { aesCmac, aesEncryptBlock } from './cmac';
import { concatBytes, u16, wipe } from './bytes';
import { YubiHsmError } from './errors';
import { COMMAND } from './defs';

/** Static keys of a symmetric authentication key (K-ENC, K-MAC). */
export interface StaticKeys {
  encKey: Uint8Array;
  macKey: Uint8Array;
}

export interface SessionKeys {
  sEnc: Uint8Array;
  sMac: Uint8Array;
  sRmac: Uint8Array;
}

/** PBKDF2-HMAC-SHA256(password, "Yubico", 10000, 32): K-ENC = first half, K-MAC = second half. */
export function passwordToKeys(password: string | Uint8Array): StaticKeys {
  const secret = typeof password === 'string' ? new TextEncoder().encode(password) : password;
  const derived = new Uint8Array(pbkdf2Sync(secret, 'Yubico', 10000, 32, 'sha256'));
  const keys = { encKey: derived.slice(0, 16), macKey: derived.slice(16, 32) };
  wipe(derived);
  if (typeof password === 'string') wipe(secret);
  return keys;
}

export enum DERIVATION {
  CARD_CRYPTOGRAM = 0x00,
  HOST_CRYPTOGRAM = 0x01,
  S_ENC = 0x04,
  S_MAC = 0x06,
  S_RMAC = 0x07,
}

/** NIST SP 800-108 counter-mode KDF with AES-CMAC, as in GlobalPlatform SCP03. */
export function deriveKdf(key: Uint8Array, constant: number, context: Uint8Array, lengthBits: 0x40 | 0x80): Uint8Array {
  if (lengthBits !== 0x40 && lengthBits !== 0x80) throw new RangeError('Derived length must be 64 or 128 bits.');
  const input = concatBytes(new Uint8Array(11), Uint8Array.of(constant, 0x00), u16(lengthBits), Uint8Array.of(0x01), context);
  return aesCmac(key, input).slice(0, lengthBits / 8);
}

export function deriveSessionKeys(keys: StaticKeys, context: Uint8Array): SessionKeys {
  return {
    sEnc: deriveKdf(keys.encKey, DERIVATION.S_ENC, context, 0x80),
    sMac: deriveKdf(keys.macKey, DERIVATION.S_MAC, context, 0x80),
    sRmac: deriveKdf(keys.macKey, DERIVATION.S_RMAC, context, 0x80),
  };
}

export function cryptogram(sMac: Uint8Array, which: DERIVATION.CARD_CRYPTOGRAM | DERIVATION.HOST_CRYPTOGRAM, context: Uint8Array): Uint8Array {
  return deriveKdf(sMac, which, context, 0x40);
}

export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** ISO/IEC 9797-1 method 2: always appends 0x80 then zeros up to a multiple of 16. */
export function padIso9797(data: Uint8Array): Uint8Array {
  const length = (Math.floor(data.length / 16) + 1) * 16;
  const out = new Uint8Array(length);
  out.set(data);
  out[data.length] = 0x80;
  return out;
}

export function unpadIso9797(data: Uint8Array): Uint8Array {
  let end = data.length - 1;
  while (end >= 0 && data[end] === 0x00) end--;
  if (end < 0 || data[end] !== 0x80) throw new YubiHsmError('INVALID_RESPONSE', 'Secure message padding is invalid.');
  return data.subarray(0, end);
}

function counterBlock(counter: number): Uint8Array {
  const block = new Uint8Array(16);
  let c = BigInt(counter);
  for (let i = 15; i >= 0 && c > 0n; i--) {
    block[i] = Number(c & 0xffn);
    c >>= 8n;
  }
  return block;
}

function aesCbc(encrypt: boolean, key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  const c = encrypt ? createCipheriv('aes-128-cbc', key, iv) : createDecipheriv('aes-128-cbc', key, iv);
  c.setAutoPadding(false);
  return new Uint8Array(Buffer.concat([c.update(data), c.final()]));
}

/**
 * The secure channel state shared by both ends: the same code runs in the client (host side) and in the
 * simulator (card side), as yubihsm.rs does, so the two cannot drift apart.
 */
export class SecureChannel {
  macChain: Uint8Array = new Uint8Array(16);
  counter = 1;

  constructor(
    readonly sessionId: number,
    private readonly keys: SessionKeys,
  ) {}

  /** AUTHENTICATE_SESSION as the host sends it; starts the MAC chain. */
  authenticateMessage(hostCryptogram: Uint8Array): Uint8Array {
    const header = concatBytes(Uint8Array.of(COMMAND.AUTHENTICATE_SESSION), u16(1 + 8 + 8), Uint8Array.of(this.sessionId), hostCryptogram);
    const full = aesCmac(this.keys.sMac, concatBytes(new Uint8Array(16), header));
    this.macChain = full;
    this.counter = 1;
    return concatBytes(header, full.subarray(0, 8));
  }

  /** Card side: checks an AUTHENTICATE_SESSION message (header + MAC). Returns the host cryptogram. */
  verifyAuthenticateMessage(message: Uint8Array): Uint8Array | null {
    if (message.length !== 3 + 17) return null;
    const header = message.subarray(0, 12);
    const full = aesCmac(this.keys.sMac, concatBytes(new Uint8Array(16), header));
    if (!constantTimeEqual(full.subarray(0, 8), message.subarray(12))) return null;
    this.macChain = full;
    this.counter = 1;
    return message.slice(4, 12);
  }

  private iv(): Uint8Array {
    return aesEncryptBlock(this.keys.sEnc, counterBlock(this.counter));
  }

  /** Host side: wraps an inner command frame into a SESSION_MESSAGE. */
  wrapCommand(inner: Uint8Array): Uint8Array {
    const ct = aesCbc(true, this.keys.sEnc, this.iv(), padIso9797(inner));
    const header = concatBytes(Uint8Array.of(COMMAND.SESSION_MESSAGE), u16(1 + ct.length + 8), Uint8Array.of(this.sessionId), ct);
    const full = aesCmac(this.keys.sMac, concatBytes(this.macChain, header));
    this.macChain = full;
    return concatBytes(header, full.subarray(0, 8));
  }

  /** Host side: checks the response MAC, decrypts, and advances the counter. Returns the inner response frame. */
  unwrapResponse(payload: Uint8Array): Uint8Array {
    if (payload.length < 1 + 16 + 8 || (payload.length - 9) % 16 !== 0) {
      throw new YubiHsmError('INVALID_RESPONSE', 'The secure message from the YubiHSM has an impossible length.');
    }
    if (payload[0] !== this.sessionId) throw new YubiHsmError('INVALID_RESPONSE', 'The YubiHSM answered for another session.');
    const body = payload.subarray(0, payload.length - 8);
    const expected = aesCmac(this.keys.sRmac, concatBytes(this.macChain, Uint8Array.of(COMMAND.SESSION_MESSAGE | 0x80), u16(payload.length), body)).subarray(
      0,
      8,
    );
    if (!constantTimeEqual(expected, payload.subarray(payload.length - 8))) throw new YubiHsmError('RESPONSE_MAC_MISMATCH');
    const plain = unpadIso9797(aesCbc(false, this.keys.sEnc, this.iv(), body.subarray(1)));
    this.counter += 1;
    return plain;
  }

  /** Card side: checks the command MAC and decrypts; null when the MAC does not match. */
  unwrapCommand(message: Uint8Array): Uint8Array | null {
    const header = message.subarray(0, message.length - 8);
    const full = aesCmac(this.keys.sMac, concatBytes(this.macChain, header));
    if (!constantTimeEqual(full.subarray(0, 8), message.subarray(message.length - 8))) return null;
    this.macChain = full;
    const ct = header.subarray(4);
    if (ct.length === 0 || ct.length % 16 !== 0) return null;
    try {
      return unpadIso9797(aesCbc(false, this.keys.sEnc, this.iv(), ct));
    } catch {
      return null;
    }
  }

  /** Card side: encrypts and MACs an inner response with the same IV, then advances the counter. */
  wrapResponse(inner: Uint8Array): Uint8Array {
    const ct = aesCbc(true, this.keys.sEnc, this.iv(), padIso9797(inner));
    const header = concatBytes(Uint8Array.of(COMMAND.SESSION_MESSAGE | 0x80), u16(1 + ct.length + 8), Uint8Array.of(this.sessionId), ct);
    const rmac = aesCmac(this.keys.sRmac, concatBytes(this.macChain, header)).subarray(0, 8);
    this.counter += 1;
    return concatBytes(header, rmac);
  }

  /** Zeroes the session keys. */
  destroy(): void {
    wipe(this.keys.sEnc, this.keys.sMac, this.keys.sRmac, this.macChain);
  }
}
