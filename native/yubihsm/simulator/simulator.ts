/**
 * A protocol-faithful YubiHSM 2 (SIMULATOR.md): takes one framed command, returns one framed response, exactly
 * as the device does on USB or behind yubihsm-connector. Never throws: every input gets a valid frame back.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { AUDIT, COMMAND, ERROR, OBJECT } from '../protocol/defs';
import { DERIVATION, SecureChannel, constantTimeEqual, cryptogram, deriveSessionKeys } from '../protocol/scp03';
import { concatBytes } from '../protocol/bytes';
import { encodeErrorFrame, encodeFrame, maxMessageForFirmware } from '../protocol/frame';
import { decodeCreateSessionRequest, encodeCreateSessionResponse } from '../protocol/commands/core';
import { AuditLog, LogLine, factoryLogState } from './audit-log';
import { CardSession, SessionTable } from './sessions';
import { DeviceState, deserializeState, factoryDefaultAuthKey, serializeState } from './state';
import { CommandContext, DeviceFault, InnerHandler, SimulatorFacts } from './context';
import { CORE_HANDLERS, deviceInfoPayload } from './commands-core';
import { OBJECT_HANDLERS } from './commands-objects';
import { WRAP_HANDLERS } from './commands-wrap';
import { ASYMMETRIC_HANDLERS } from './commands-asymmetric';
import { LOG_HANDLERS } from './commands-log';
import { OPAQUE_HANDLERS } from './commands-opaque';
import { ATTESTATION_HANDLERS } from './commands-attestation';
import { AttestationPki, loadAttestationPki, makeAttestationPki } from './attestation-pki';

export interface SimulatorOptions {
  /** Device serial number; random when not given (kept in the state file). */
  serial?: number;
  /** Emulated firmware; 2.4.0 by default (3136-byte messages, DEVICE_INFO page 1). */
  firmware?: [number, number, number];
  /** Milliseconds clock, injectable so tests can expire sessions. */
  clock?: () => number;
  /** Keep the device state in this file (created in the factory state when missing). */
  stateFile?: string;
  /**
   * COMMAND_AUDIT setting every command starts with after a reset. Firmware ≥ 2.3.1 ships with command audit off
   * (only the reset and boot lines are logged), which is the default here.
   */
  commandAuditDefault?: AUDIT;
}

const INNER_HANDLERS: Partial<Record<number, InnerHandler>> = {
  ...CORE_HANDLERS,
  ...OBJECT_HANDLERS,
  ...WRAP_HANDLERS,
  ...ASYMMETRIC_HANDLERS,
  ...LOG_HANDLERS,
  ...OPAQUE_HANDLERS,
  ...ATTESTATION_HANDLERS,
};

const PLAIN_COMMANDS = [COMMAND.ECHO, COMMAND.CREATE_SESSION, COMMAND.AUTHENTICATE_SESSION, COMMAND.DEVICE_INFO];
/** Commands that still run when force audit holds a full log: they are how the host reads and frees it. */
const EXEMPT_FROM_LOG_FULL = new Set<number>([COMMAND.GET_LOG_ENTRIES, COMMAND.SET_LOG_INDEX, COMMAND.DEVICE_INFO]);

export class YubiHsmSimulator {
  private state: DeviceState;
  private log: AuditLog;
  private readonly sessions: SessionTable;
  private readonly facts: SimulatorFacts;
  private readonly clock: () => number;
  private bootTime: number;
  private dirty = false;

  constructor(private readonly options: SimulatorOptions = {}) {
    this.clock = options.clock ?? Date.now;
    const version = options.firmware ?? [2, 4, 0];
    this.facts = { version, maxMessage: maxMessageForFirmware(version[0], version[1]) };
    this.sessions = new SessionTable(this.clock);
    this.bootTime = this.clock();
    if (options.stateFile && existsSync(options.stateFile)) {
      this.state = deserializeState(JSON.parse(readFileSync(options.stateFile, 'utf8')));
      this.log = new AuditLog(this.state.log);
      // Loading a saved device is a power-on: the device logs a boot line.
      this.log.boot(this.state.forceAudit);
    } else {
      this.state = this.factoryState(options.serial ?? 10_000_000 + randomBytes(3).readUIntBE(0, 3));
      this.log = new AuditLog(this.state.log);
    }
    this.dirty = true;
    this.persist();
  }

  get serial(): number {
    return this.state.serial;
  }

  get firmware(): [number, number, number] {
    return this.facts.version;
  }

  /** A power cycle: sessions are lost and a boot line is logged. */
  powerCycle(): void {
    this.sessions.clear();
    this.bootTime = this.clock();
    this.log.boot(this.state.forceAudit);
    this.dirty = true;
    this.persist();
  }

  /** Handles one framed command. */
  process(request: Uint8Array): Uint8Array {
    try {
      return this.dispatch(request);
    } catch (e) {
      // A fault in the simulator itself must still answer with a frame, like a device would.
      return encodeErrorFrame(e instanceof DeviceFault ? e.error : ERROR.INVALID_DATA);
    } finally {
      this.persist();
    }
  }

  private factoryState(serial: number): DeviceState {
    const audit = this.options.commandAuditDefault ?? AUDIT.OFF;
    const commandAudit: Record<number, AUDIT> = {};
    for (const cmd of [...PLAIN_COMMANDS, ...Object.keys(INNER_HANDLERS).map(Number)]) commandAudit[cmd] = audit;
    return {
      serial,
      objects: [factoryDefaultAuthKey()],
      sequences: {},
      log: factoryLogState(),
      forceAudit: AUDIT.OFF,
      commandAudit,
    };
  }

  /** The device's attestation PKI, made (and persisted) the first time anything needs it. */
  private attestationPki(): AttestationPki {
    if (!this.state.attestation) {
      this.state.attestation = makeAttestationPki(this.state.serial);
      this.dirty = true;
    }
    return loadAttestationPki(this.state.attestation, this.state.serial);
  }

  /** The simulated Yubico root CA (DER) that this device's attestation certificate chains to. */
  attestationRootCertificate(): Uint8Array {
    const root = this.attestationPki().rootCertificate;
    this.persist();
    return root;
  }

  private factoryReset(): void {
    for (const o of this.state.objects) o.secret.fill(0);
    this.sessions.clear();
    const attestation = this.state.attestation;
    this.state = { ...this.factoryState(this.state.serial), ...(attestation ? { attestation } : {}) };
    this.log = new AuditLog(this.state.log);
    this.bootTime = this.clock();
    this.dirty = true;
  }

  private persist(): void {
    if (!this.dirty || !this.options.stateFile) return;
    const tmp = `${this.options.stateFile}.tmp`;
    writeFileSync(tmp, JSON.stringify(serializeState(this.state)), { mode: 0o600 });
    renameSync(tmp, this.options.stateFile);
    this.dirty = false;
  }

  private audited(command: number): boolean {
    const a = this.state.commandAudit[command];
    return a !== undefined && a !== AUDIT.OFF;
  }

  private blockedByFullLog(command: number): boolean {
    return this.audited(command) && this.state.forceAudit !== AUDIT.OFF && this.log.full && !EXEMPT_FROM_LOG_FULL.has(command);
  }

  private record(line: Omit<LogLine, 'systick'>): void {
    if (!this.audited(line.command)) return;
    if (this.state.forceAudit !== AUDIT.OFF && this.log.full) return;
    this.log.append({ ...line, systick: (this.clock() - this.bootTime) >>> 0 });
    this.dirty = true;
  }

  private dispatch(request: Uint8Array): Uint8Array {
    if (request.length < 3) return encodeErrorFrame(ERROR.WRONG_LENGTH);
    const command = request[0];
    const length = (request[1] << 8) | request[2];
    if (request.length - 3 !== length || request.length > this.facts.maxMessage) return encodeErrorFrame(ERROR.WRONG_LENGTH);
    const payload = request.subarray(3);
    this.sessions.expire();
    switch (command) {
      case COMMAND.ECHO:
      case COMMAND.DEVICE_INFO: {
        if (this.blockedByFullLog(command)) return encodeErrorFrame(ERROR.LOG_FULL);
        let response: Uint8Array;
        try {
          const data = command === COMMAND.ECHO ? payload : deviceInfoPayload(this.state, this.facts, this.log, payload);
          response = encodeFrame(command | 0x80, data);
        } catch (e) {
          response = encodeErrorFrame(e instanceof DeviceFault ? e.error : ERROR.INVALID_DATA);
        }
        this.record({ command, length, sessionKey: 0xffff, targetKey: 0xffff, secondKey: 0xffff, result: response[0] });
        return response;
      }
      case COMMAND.CREATE_SESSION:
        return this.createSession(payload);
      case COMMAND.AUTHENTICATE_SESSION:
        return this.authenticateSession(request);
      case COMMAND.SESSION_MESSAGE:
        return this.sessionMessage(request);
      default:
        return encodeErrorFrame(ERROR.INVALID_COMMAND);
    }
  }

  private createSession(payload: Uint8Array): Uint8Array {
    if (payload.length !== 10) return encodeErrorFrame(ERROR.WRONG_LENGTH);
    const { authKeyId, hostChallenge } = decodeCreateSessionRequest(payload);
    const fail = (error: ERROR) => {
      this.record({ command: COMMAND.CREATE_SESSION, length: 10, sessionKey: 0xffff, targetKey: authKeyId, secondKey: 0xffff, result: COMMAND.ERROR });
      return encodeErrorFrame(error);
    };
    const key = this.state.objects.find((o) => o.id === authKeyId && o.type === OBJECT.AUTHENTICATION_KEY);
    if (!key) return fail(ERROR.OBJECT_NOT_FOUND);
    const id = this.sessions.freeId();
    if (id === undefined) return fail(ERROR.SESSIONS_FULL);
    const cardChallenge = new Uint8Array(randomBytes(8));
    const context = concatBytes(hostChallenge, cardChallenge);
    const keys = deriveSessionKeys({ encKey: key.secret.subarray(0, 16), macKey: key.secret.subarray(16, 32) }, context);
    const cardCryptogram = cryptogram(keys.sMac, DERIVATION.CARD_CRYPTOGRAM, context);
    const session: CardSession = {
      id,
      authKeyId,
      channel: new SecureChannel(id, keys),
      authenticated: false,
      lastActivity: this.clock(),
      context,
      capabilities: key.capabilities,
      delegated: key.delegated,
      domains: key.domains,
      expectedHostCryptogram: cryptogram(keys.sMac, DERIVATION.HOST_CRYPTOGRAM, context),
    };
    this.sessions.add(session);
    this.record({
      command: COMMAND.CREATE_SESSION,
      length: 10,
      sessionKey: 0xffff,
      targetKey: authKeyId,
      secondKey: 0xffff,
      result: COMMAND.CREATE_SESSION | 0x80,
    });
    return encodeFrame(COMMAND.CREATE_SESSION | 0x80, encodeCreateSessionResponse({ sessionId: id, cardChallenge, cardCryptogram }));
  }

  private authenticateSession(request: Uint8Array): Uint8Array {
    if (request.length !== 20) return encodeErrorFrame(ERROR.WRONG_LENGTH);
    const session = this.sessions.get(request[3]);
    if (!session || session.authenticated) return encodeErrorFrame(ERROR.INVALID_SESSION);
    const expected = session.expectedHostCryptogram;
    const hostCryptogram = session.channel.verifyAuthenticateMessage(request);
    const ok = hostCryptogram !== null && constantTimeEqual(hostCryptogram, expected);
    const line = { command: COMMAND.AUTHENTICATE_SESSION, length: 17, sessionKey: 0xffff, targetKey: session.authKeyId, secondKey: 0xffff };
    if (!ok) {
      // A session whose authentication fails is discarded.
      this.sessions.drop(session.id);
      this.record({ ...line, result: COMMAND.ERROR });
      return encodeErrorFrame(ERROR.AUTHENTICATION_FAILED);
    }
    session.authenticated = true;
    this.sessions.touch(session);
    if (this.audited(COMMAND.AUTHENTICATE_SESSION) && this.state.forceAudit !== AUDIT.OFF && this.log.full) {
      // Session creation is always allowed; the device only counts what it could not log.
      this.log.countUnloggedAuth();
      this.dirty = true;
    }
    this.record({ ...line, result: COMMAND.AUTHENTICATE_SESSION | 0x80 });
    return encodeFrame(COMMAND.AUTHENTICATE_SESSION | 0x80);
  }

  private sessionMessage(request: Uint8Array): Uint8Array {
    if (request.length < 3 + 1 + 16 + 8 || (request.length - 12) % 16 !== 0) return encodeErrorFrame(ERROR.WRONG_LENGTH);
    const session = this.sessions.get(request[3]);
    if (!session || !session.authenticated) return encodeErrorFrame(ERROR.INVALID_SESSION);
    const inner = session.channel.unwrapCommand(request);
    if (!inner) {
      this.sessions.drop(session.id);
      return encodeErrorFrame(ERROR.AUTHENTICATION_FAILED);
    }
    this.sessions.touch(session);
    const ctx = this.executeInner(session, inner);
    const response = session.channel.wrapResponse(ctx.response);
    if (ctx.closeAfterReply) this.sessions.drop(session.id);
    if (ctx.resetAfterReply) this.factoryReset();
    return response;
  }

  private executeInner(session: CardSession, inner: Uint8Array): { response: Uint8Array; closeAfterReply: boolean; resetAfterReply: boolean } {
    const plain = (response: Uint8Array) => ({ response, closeAfterReply: false, resetAfterReply: false });
    if (inner.length < 3 || inner.length - 3 !== ((inner[1] << 8) | inner[2])) return plain(encodeErrorFrame(ERROR.WRONG_LENGTH));
    const command = inner[0];
    const payload = inner.subarray(3);
    const handler = INNER_HANDLERS[command];
    if (!handler) return plain(encodeErrorFrame(ERROR.INVALID_COMMAND));
    if (this.blockedByFullLog(command)) return plain(encodeErrorFrame(ERROR.LOG_FULL));
    const ctx: CommandContext = {
      state: this.state,
      session,
      log: this.log,
      facts: this.facts,
      now: this.clock,
      attestationPki: () => this.attestationPki(),
      target: 0xffff,
      second: 0xffff,
      changed: false,
      resetAfterReply: false,
      closeAfterReply: false,
    };
    let response: Uint8Array;
    try {
      response = encodeFrame(command | 0x80, handler(ctx, payload));
    } catch (e) {
      response = encodeErrorFrame(e instanceof DeviceFault ? e.error : ERROR.INVALID_DATA);
    }
    if (ctx.changed) this.dirty = true;
    if (!ctx.resetAfterReply) {
      this.record({ command, length: payload.length, sessionKey: session.authKeyId, targetKey: ctx.target, secondKey: ctx.second, result: response[0] });
    }
    return { response, closeAfterReply: ctx.closeAfterReply, resetAfterReply: ctx.resetAfterReply };
  }
}
