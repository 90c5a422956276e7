/**
 * The host side of an authenticated session: CREATE/AUTHENTICATE_SESSION, SESSION_MESSAGE wrapping, keep-alive
 * for long ceremonies, and one transparent reopen when the device says the session expired.
 */
import { randomBytes } from 'node:crypto';
import { COMMAND, ERROR } from '../protocol/defs';
import { concatBytes, wipe } from '../protocol/bytes';
import { YubiHsmError, deviceError } from '../protocol/errors';
import { encodeFrame, maxSessionPayload, parseResponse, splitFrame } from '../protocol/frame';
import { DERIVATION, SecureChannel, StaticKeys, constantTimeEqual, cryptogram, deriveSessionKeys } from '../protocol/scp03';
import { decodeCreateSessionResponse, encodeCreateSession } from '../protocol/commands/core';

/** What a session needs from the client that opened it. */
export interface SessionHost {
  /** Sends a framed message through the client's single queue. */
  exchange(frame: Uint8Array): Promise<Uint8Array>;
  maxMessage(): Promise<number>;
}

export interface SessionOptions {
  /** Send an ECHO after this much idle time so the device (30 s timeout) keeps the session. 0 disables. */
  keepAliveMs?: number;
  /** Re-create the session once when the device reports it expired (INVALID_SESSION). Default true. */
  reopenOnExpiry?: boolean;
}

/** Opens the secure channel: returns the channel or throws a typed error (wrong password → AUTHENTICATION_FAILED). */
export async function establishChannel(host: SessionHost, authKeyId: number, keys: StaticKeys): Promise<SecureChannel> {
  const hostChallenge = new Uint8Array(randomBytes(8));
  const created = decodeCreateSessionResponse(
    parseResponse(COMMAND.CREATE_SESSION, await host.exchange(encodeFrame(COMMAND.CREATE_SESSION, encodeCreateSession(authKeyId, hostChallenge)))),
  );
  const context = concatBytes(hostChallenge, created.cardChallenge);
  const sessionKeys = deriveSessionKeys(keys, context);
  if (!constantTimeEqual(cryptogram(sessionKeys.sMac, DERIVATION.CARD_CRYPTOGRAM, context), created.cardCryptogram)) {
    wipe(sessionKeys.sEnc, sessionKeys.sMac, sessionKeys.sRmac);
    // The device's answer does not prove knowledge of this key: same outcome for the user as a wrong password.
    throw new YubiHsmError(
      'AUTHENTICATION_FAILED',
      'The YubiHSM refused the authentication key: the key ID or the password is wrong.',
      ERROR.AUTHENTICATION_FAILED,
    );
  }
  const channel = new SecureChannel(created.sessionId, sessionKeys);
  const auth = channel.authenticateMessage(cryptogram(sessionKeys.sMac, DERIVATION.HOST_CRYPTOGRAM, context));
  try {
    parseResponse(COMMAND.AUTHENTICATE_SESSION, await host.exchange(auth));
  } catch (e) {
    channel.destroy();
    throw e;
  }
  return channel;
}

export class SecureSession {
  private channel: SecureChannel | null;
  private keys: StaticKeys | null;
  private lastActivity = Date.now();
  private keepAliveTimer: ReturnType<typeof setInterval> | undefined;
  private readonly reopenOnExpiry: boolean;
  /** How many times the session was transparently re-created (shown in diagnostics and tests). */
  reopenCount = 0;

  constructor(
    private readonly host: SessionHost,
    readonly authKeyId: number,
    channel: SecureChannel,
    keys: StaticKeys,
    opts: SessionOptions = {},
  ) {
    this.channel = channel;
    // Kept only to reopen an expired session; zeroed on close.
    this.keys = { encKey: keys.encKey.slice(), macKey: keys.macKey.slice() };
    this.reopenOnExpiry = opts.reopenOnExpiry ?? true;
    const keepAliveMs = opts.keepAliveMs ?? 15_000;
    if (keepAliveMs > 0) {
      this.keepAliveTimer = setInterval(
        () => {
          if (this.channel && Date.now() - this.lastActivity >= keepAliveMs) this.send(COMMAND.ECHO, Uint8Array.of(0)).catch(() => undefined);
        },
        Math.max(1000, Math.floor(keepAliveMs / 3)),
      );
      this.keepAliveTimer.unref?.();
    }
  }

  get sessionId(): number | undefined {
    return this.channel?.sessionId;
  }

  get isOpen(): boolean {
    return this.channel !== null;
  }

  /** Sends one inner command and returns the inner response payload; device errors are thrown typed. */
  async send(command: COMMAND, payload: Uint8Array = new Uint8Array(0)): Promise<Uint8Array> {
    if (payload.length > maxSessionPayload(await this.host.maxMessage())) throw new YubiHsmError('MESSAGE_TOO_LARGE');
    try {
      return await this.sendOnce(command, payload);
    } catch (e) {
      if (this.reopenOnExpiry && e instanceof YubiHsmError && e.code === 'INVALID_SESSION' && this.keys) {
        // The device did not run the command (its session was gone), so sending it again is safe.
        await this.reopen();
        return this.sendOnce(command, payload);
      }
      throw e;
    }
  }

  private async sendOnce(command: COMMAND, payload: Uint8Array): Promise<Uint8Array> {
    const channel = this.channel;
    if (!channel) throw new YubiHsmError('SESSION_CLOSED');
    const raw = await this.host.exchange(channel.wrapCommand(encodeFrame(command, payload)));
    this.lastActivity = Date.now();
    const outer = splitFrame(raw);
    if (outer.command === COMMAND.ERROR) {
      // A session-level failure comes back plain and un-MACed, only in exactly this form.
      if (outer.payload.length !== 1 || raw.length !== 4) throw new YubiHsmError('INVALID_RESPONSE');
      this.dropChannel();
      throw deviceError(outer.payload[0]);
    }
    if (outer.command !== (COMMAND.SESSION_MESSAGE | 0x80)) throw new YubiHsmError('INVALID_RESPONSE');
    let inner: Uint8Array;
    try {
      inner = channel.unwrapResponse(outer.payload);
    } catch (e) {
      this.dropChannel();
      throw e;
    }
    return parseResponse(command, inner);
  }

  private async reopen(): Promise<void> {
    if (!this.keys) throw new YubiHsmError('SESSION_CLOSED');
    this.dropChannel();
    this.channel = await establishChannel(this.host, this.authKeyId, this.keys);
    this.reopenCount += 1;
  }

  private dropChannel(): void {
    this.channel?.destroy();
    this.channel = null;
  }

  /** Forgets the session without telling the device (after RESET_DEVICE, or when the device is gone). */
  protected forget(): void {
    if (this.keepAliveTimer) clearInterval(this.keepAliveTimer);
    this.dropChannel();
    if (this.keys) wipe(this.keys.encKey, this.keys.macKey);
    this.keys = null;
  }

  /** CLOSE_SESSION, then forget every key. */
  async close(): Promise<void> {
    if (!this.channel) {
      this.forget();
      return;
    }
    try {
      await this.sendOnce(COMMAND.CLOSE_SESSION, new Uint8Array(0));
    } finally {
      this.forget();
    }
  }
}
