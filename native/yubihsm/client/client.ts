/** A YubiHSM 2 client over any transport: plain commands, session opening, message limits by firmware. */
import { COMMAND } from '../protocol/defs';
import { wipe } from '../protocol/bytes';
import { YubiHsmError } from '../protocol/errors';
import { encodeFrame, maxMessageForFirmware, parseResponse } from '../protocol/frame';
import { DeviceInfo, decodeDeviceInfo, decodePartNumber, encodeDeviceInfoRequest, formatFirmware } from '../protocol/commands/core';
import type { Transport } from '../transport/types';
import { SessionHost, SessionOptions, establishChannel } from './secure-session';
import { AuthSecret, YubiHsmSession, toStaticKeys } from './session';

export type ClientOptions = SessionOptions;

export class YubiHsmClient {
  private queue: Promise<unknown> = Promise.resolve();
  private maxMessageBytes: number | undefined;
  private info: DeviceInfo | undefined;
  private readonly host: SessionHost;

  constructor(
    readonly transport: Transport,
    private readonly options: ClientOptions = {},
  ) {
    this.host = {
      exchange: (frame) => this.exchange(frame),
      maxMessage: async () => {
        if (this.maxMessageBytes === undefined) await this.deviceInfo();
        return this.maxMessageBytes ?? maxMessageForFirmware(2, 0);
      },
    };
  }

  /** One framed exchange at a time: the device is half-duplex. */
  private exchange(frame: Uint8Array): Promise<Uint8Array> {
    const run = () => this.transport.send(frame);
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  async sendPlain(command: COMMAND, payload: Uint8Array = new Uint8Array(0)): Promise<Uint8Array> {
    return parseResponse(command, await this.exchange(encodeFrame(command, payload)));
  }

  /** DEVICE_INFO (plain, as Yubico's library sends first); also learns the firmware's message size limit. */
  async deviceInfo(): Promise<DeviceInfo> {
    const info = decodeDeviceInfo(await this.sendPlain(COMMAND.DEVICE_INFO, encodeDeviceInfoRequest(0)));
    this.info = info;
    this.maxMessageBytes = maxMessageForFirmware(info.version[0], info.version[1]);
    return info;
  }

  /** The part number (DEVICE_INFO page 1, firmware ≥ 2.4); undefined on older firmware. */
  async partNumber(): Promise<string | undefined> {
    const info = this.info ?? (await this.deviceInfo());
    if (info.version[0] < 2 || (info.version[0] === 2 && info.version[1] < 4)) return undefined;
    return decodePartNumber(await this.sendPlain(COMMAND.DEVICE_INFO, encodeDeviceInfoRequest(1)));
  }

  get firmware(): string | undefined {
    return this.info ? formatFirmware(this.info.version) : undefined;
  }

  async echo(data: Uint8Array): Promise<Uint8Array> {
    return this.sendPlain(COMMAND.ECHO, data);
  }

  /** Opens an authenticated session. A wrong password or key ID is AUTHENTICATION_FAILED (or OBJECT_NOT_FOUND). */
  async openSession(authKeyId: number, password: AuthSecret, opts: SessionOptions = {}): Promise<YubiHsmSession> {
    if (!Number.isInteger(authKeyId) || authKeyId < 1 || authKeyId > 0xfffe)
      throw new YubiHsmError('INVALID_ARGUMENT', 'An authentication key ID is a number from 1 to 65534.');
    await this.host.maxMessage();
    const { keys, derived } = toStaticKeys(password);
    try {
      const channel = await establishChannel(this.host, authKeyId, keys);
      return new YubiHsmSession(this.host, authKeyId, channel, keys, { ...this.options, ...opts });
    } finally {
      if (derived) wipe(keys.encKey, keys.macKey);
    }
  }

  /**
   * Proves whether a key and password open a session (setup: the new keys do, the default key no longer does).
   * Returns the error code on refusal instead of throwing.
   */
  async canOpenSession(authKeyId: number, password: AuthSecret): Promise<{ ok: true } | { ok: false; code: string; message: string }> {
    try {
      const session = await this.openSession(authKeyId, password, { keepAliveMs: 0, reopenOnExpiry: false });
      await session.close();
      return { ok: true };
    } catch (e) {
      if (e instanceof YubiHsmError && (e.code === 'AUTHENTICATION_FAILED' || e.code === 'OBJECT_NOT_FOUND')) {
        return { ok: false, code: e.code, message: e.message };
      }
      throw e;
    }
  }

  async close(): Promise<void> {
    await this.transport.close();
  }
}
