import { COMMAND, ERROR } from './defs';
import { concatBytes, u16 } from './bytes';
import { YubiHsmError, deviceError } from './errors';

/** Whole-message limits (header included) by firmware: lib/yubihsm.c check_buffer_len. */
export const MAX_MESSAGE_LEGACY = 2048;
export const MAX_MESSAGE = 3136;
/** The connector accepts bodies up to 3139 bytes; USB reads use a buffer larger than that. */
export const MAX_CONNECTOR_BODY = 3139;

export function maxMessageForFirmware(major: number, minor: number): number {
  return major > 2 || (major === 2 && minor >= 4) ? MAX_MESSAGE : MAX_MESSAGE_LEGACY;
}

export function encodeFrame(command: number, payload: Uint8Array = new Uint8Array(0)): Uint8Array {
  if (payload.length > 0xffff) throw new YubiHsmError('MESSAGE_TOO_LARGE');
  return concatBytes(Uint8Array.of(command), u16(payload.length), payload);
}

export function encodeErrorFrame(error: ERROR): Uint8Array {
  return Uint8Array.of(COMMAND.ERROR, 0x00, 0x01, error);
}

export interface DecodedFrame {
  command: number;
  payload: Uint8Array;
}

/** Splits a frame into command and payload; bytes after the declared length are ignored (python _unpad_resp). */
export function splitFrame(raw: Uint8Array): DecodedFrame {
  if (raw.length < 3) throw new YubiHsmError('INVALID_RESPONSE', 'The YubiHSM message is shorter than its 3-byte header.');
  const length = (raw[1] << 8) | raw[2];
  if (raw.length - 3 < length) {
    throw new YubiHsmError('INVALID_RESPONSE', 'The YubiHSM message is shorter than its declared length.');
  }
  return { command: raw[0], payload: raw.subarray(3, 3 + length) };
}

/**
 * Parses the response to `command`: returns the payload, throws the typed device error for a `7f` frame,
 * and INVALID_RESPONSE for anything else.
 */
export function parseResponse(command: number, raw: Uint8Array): Uint8Array {
  const frame = splitFrame(raw);
  if (frame.command === COMMAND.ERROR) {
    if (frame.payload.length !== 1) throw new YubiHsmError('INVALID_RESPONSE', 'The YubiHSM sent a malformed error frame.');
    throw deviceError(frame.payload[0]);
  }
  if (frame.command !== (command | 0x80)) {
    throw new YubiHsmError('INVALID_RESPONSE', 'The YubiHSM answered a different command than the one sent.');
  }
  return frame.payload;
}

/**
 * The largest inner payload that fits one SESSION_MESSAGE under a whole-message limit:
 * 3 (outer header) + 1 (SID) + ciphertext + 8 (MAC) ≤ max, ciphertext = inner + 1..16 bytes of padding,
 * inner = 3-byte header + payload.
 */
export function maxSessionPayload(maxMessage: number): number {
  const ciphertext = Math.floor((maxMessage - 12) / 16) * 16;
  return ciphertext - 1 - 3;
}
