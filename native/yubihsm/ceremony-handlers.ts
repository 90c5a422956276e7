/**
 * Device-host handlers for the YubiHSM ceremonies (setup, auth-key rotation, native key generation — its commands
 * are in key-handlers.ts): 'yubihsm.session.*' and 'yubihsm.proveSession'. Main names a device ({ simulator } |
 * { connector } | { usbSerial }) and an authenticated session by an opaque key; the session, its derived keys and
 * the transport stay here. Passwords arrive as bytes, are turned into K-ENC/K-MAC by the client and zeroed. Every
 * device failure is a HostError carrying the YubiHsmError code and its sentence — never a password.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { HostError, type HandlerTable } from '../host';
import { YubiHsmClient } from './client/client';
import type { YubiHsmSession } from './client/session';
import { formatFirmware } from './protocol/commands/core';
import type { ObjectInfo } from './protocol/commands/objects';
import { verifyLogChain, type LogEntry } from './protocol/commands/log';
import { ALGORITHM, AUDIT, COMMAND, OBJECT } from './protocol/defs';
import { YubiHsmError } from './protocol/errors';
import { constantTimeEqual } from './protocol/scp03';
import type { YubiHsmSimulator } from './simulator/simulator';
import { connectHttp } from './transport/http';
import { MemoryTransport } from './transport/memory';
import type { Transport } from './transport/types';
import { openUsbYubiHsm, type UsbModuleLike } from './transport/usb';
import { createYubiHsmKeyHandlers } from './key-handlers';
import type { YubiHsmAuditSettings, YubiHsmDeviceFacts, YubiHsmDeviceRef, YubiHsmLogReading, YubiHsmOpenedSession, YubiHsmSessionProof } from './host-calls';

export interface YubiHsmCeremonyHandlerOptions {
  /** The rehearsal simulator, shared with 'yubihsm.describe' so both see one device (one state file, one memory). */
  simulator: () => YubiHsmSimulator;
  usbModule?: UsbModuleLike;
  /** A session nobody used for this long is closed (a ceremony that was abandoned). Default 30 minutes. */
  idleCloseMs?: number;
}

const password = z.instanceof(Uint8Array);
const objectId = z.number().int().min(0).max(0xfffe);
const capabilities = z.bigint().min(0n);
const domains = z.number().int().min(1).max(0xffff);
const device = z.union([
  z.object({ simulator: z.literal(true) }).strict(),
  z.object({ connector: z.string().min(1).max(200) }).strict(),
  z.object({ usbSerial: z.number().int().min(1) }).strict(),
]);
const sessionKey = z.string().uuid();
const header = { id: objectId, label: z.string().max(40), domains, capabilities, delegatedCapabilities: capabilities };

const schemas = {
  open: z.object({ device, authKeyId: objectId.min(1), password }).strict(),
  session: z.object({ sessionKey }).strict(),
  object: z.object({ sessionKey, id: objectId, type: z.nativeEnum(OBJECT) }).strict(),
  list: z.object({ sessionKey, type: z.nativeEnum(OBJECT).optional() }).strict(),
  putAuthKey: z.object({ sessionKey, ...header, password }).strict(),
  changeOwn: z.object({ sessionKey, password }).strict(),
  random: z.object({ sessionKey, length: z.number().int().min(1).max(2048) }).strict(),
  putWrapKey: z.object({ sessionKey, ...header, algorithm: z.nativeEnum(ALGORITHM), key: z.instanceof(Uint8Array) }).strict(),
  generateWrapKey: z.object({ sessionKey, ...header, algorithm: z.nativeEnum(ALGORITHM) }).strict(),
  exportWrapped: z.object({ sessionKey, wrapKeyId: objectId.min(1), type: z.nativeEnum(OBJECT), id: objectId.min(1) }).strict(),
  importWrapped: z.object({ sessionKey, wrapKeyId: objectId.min(1), blob: z.instanceof(Uint8Array) }).strict(),
  logEntries: z
    .object({
      sessionKey,
      anchor: z
        .object({ number: z.number().int().min(0).max(0xffff), digest: z.instanceof(Uint8Array) })
        .strict()
        .optional(),
    })
    .strict(),
  setLogIndex: z.object({ sessionKey, index: z.number().int().min(0).max(0xffff) }).strict(),
  setForceAudit: z.object({ sessionKey, value: z.nativeEnum(AUDIT) }).strict(),
  setCommandAudit: z.object({ sessionKey, settings: z.array(z.tuple([z.number().int().min(0).max(0xff), z.nativeEnum(AUDIT)])).min(1) }).strict(),
  prove: z.object({ device, authKeyId: objectId.min(1), password }).strict(),
};

function parse<T extends z.ZodTypeAny>(schema: T, params: unknown): z.output<T> {
  const result = schema.safeParse(params ?? {});
  if (!result.success) {
    // Name the field, never echo a value (it may be a password).
    const issue = result.error.issues[0];
    throw new HostError('INVALID_ARGUMENT', `A value given for this YubiHSM command is not valid (${issue.path.join('.') || 'parameters'}: ${issue.message}).`);
  }
  return result.data;
}

function asHostError(e: unknown): never {
  if (e instanceof YubiHsmError) throw new HostError(e.code, e.message, e.deviceCode === undefined ? undefined : { deviceCode: e.deviceCode });
  throw e;
}

function deviceId(ref: YubiHsmDeviceRef): string {
  if ('simulator' in ref) return 'simulator';
  if ('connector' in ref) return `connector:${ref.connector}`;
  return `usb:${ref.usbSerial}`;
}

interface DeviceEntry {
  client: YubiHsmClient;
  sessions: number;
}

interface SessionEntry {
  session: YubiHsmSession;
  device: string;
  lastUsed: number;
}

export function createYubiHsmCeremonyHandlers(opts: YubiHsmCeremonyHandlerOptions): HandlerTable {
  const devices = new Map<string, DeviceEntry>();
  const sessions = new Map<string, SessionEntry>();
  const idleCloseMs = opts.idleCloseMs ?? 30 * 60_000;

  async function openTransport(ref: YubiHsmDeviceRef): Promise<Transport> {
    if ('simulator' in ref) return new MemoryTransport(opts.simulator());
    if ('connector' in ref) return connectHttp(ref.connector);
    return openUsbYubiHsm(ref.usbSerial, opts.usbModule);
  }

  /** One client per device: a USB device can be claimed only once, and the client serialises exchanges. */
  async function clientFor(ref: YubiHsmDeviceRef): Promise<DeviceEntry> {
    const id = deviceId(ref);
    let entry = devices.get(id);
    if (!entry) {
      entry = { client: new YubiHsmClient(await openTransport(ref)), sessions: 0 };
      devices.set(id, entry);
    }
    return entry;
  }

  async function releaseIfUnused(id: string): Promise<void> {
    const entry = devices.get(id);
    if (entry && entry.sessions === 0) {
      devices.delete(id);
      await entry.client.close().catch(() => undefined);
    }
  }

  function sessionOf(key: string): YubiHsmSession {
    const entry = sessions.get(key);
    if (!entry || !entry.session.isOpen) {
      throw new HostError(
        'YUBIHSM_SESSION_UNKNOWN',
        'This YubiHSM session is no longer open (it was closed, or the device host restarted). Open a new session.',
      );
    }
    entry.lastUsed = Date.now();
    return entry.session;
  }

  async function closeSession(key: string): Promise<boolean> {
    const entry = sessions.get(key);
    if (!entry) return false;
    sessions.delete(key);
    await entry.session.close().catch(() => undefined);
    const dev = devices.get(entry.device);
    if (dev) dev.sessions -= 1;
    await releaseIfUnused(entry.device);
    return true;
  }

  const sweep = setInterval(
    () => {
      const now = Date.now();
      for (const [key, entry] of sessions) if (now - entry.lastUsed > idleCloseMs) void closeSession(key);
    },
    Math.min(60_000, idleCloseMs),
  );
  sweep.unref?.();

  /** Runs fn on the session; device errors become HostErrors with the device's code and sentence. */
  const onSession =
    <T extends z.ZodTypeAny, R>(schema: T, fn: (s: YubiHsmSession, p: z.output<T>) => Promise<R>) =>
    async (params: unknown): Promise<R> => {
      const p = parse(schema, params);
      try {
        return await fn(sessionOf((p as { sessionKey: string }).sessionKey), p);
      } catch (e) {
        return asHostError(e);
      } finally {
        for (const v of Object.values(p as Record<string, unknown>)) if (v instanceof Uint8Array) v.fill(0);
      }
    };

  return {
    ...createYubiHsmKeyHandlers(onSession, opts.simulator),
    'yubihsm.session.open': async (params: unknown): Promise<YubiHsmOpenedSession> => {
      const p = parse(schemas.open, params);
      const id = deviceId(p.device);
      let key: string | undefined;
      try {
        const entry = await clientFor(p.device);
        const info = await entry.client.deviceInfo();
        const session = await entry.client.openSession(p.authKeyId, p.password);
        entry.sessions += 1;
        key = randomUUID();
        sessions.set(key, { session, device: id, lastUsed: Date.now() });
        const own = await session.getObjectInfo(p.authKeyId, OBJECT.AUTHENTICATION_KEY);
        return {
          sessionKey: key,
          authKeyId: p.authKeyId,
          key: own,
          device: { serial: info.serial, firmware: formatFirmware(info.version), logUsed: info.logUsed, logTotal: info.logTotal },
        };
      } catch (e) {
        if (key) await closeSession(key);
        else await releaseIfUnused(id);
        return asHostError(e);
      } finally {
        p.password.fill(0);
      }
    },
    'yubihsm.session.close': async (params: unknown) => ({ closed: await closeSession(parse(schemas.session, params).sessionKey) }),
    'yubihsm.session.deviceInfo': onSession(schemas.session, async (s): Promise<YubiHsmDeviceFacts> => {
      const info = await s.deviceInfo();
      return { serial: info.serial, firmware: formatFirmware(info.version), logUsed: info.logUsed, logTotal: info.logTotal };
    }),
    'yubihsm.session.listObjects': onSession(schemas.list, async (s, p): Promise<ObjectInfo[]> => {
      const listed = await s.listObjects(p.type === undefined ? {} : { type: p.type });
      const out: ObjectInfo[] = [];
      for (const o of listed) out.push(await s.getObjectInfo(o.id, o.type));
      return out;
    }),
    'yubihsm.session.objectInfo': onSession(schemas.object, (s, p) => s.getObjectInfo(p.id, p.type)),
    'yubihsm.session.deleteObject': onSession(schemas.object, async (s, p) => {
      await s.deleteObject(p.id, p.type);
      return { deleted: true };
    }),
    'yubihsm.session.putAuthKey': onSession(schemas.putAuthKey, async (s, p) => ({
      id: await s.putAuthenticationKey(
        { id: p.id, label: p.label, domains: p.domains, capabilities: p.capabilities, delegatedCapabilities: p.delegatedCapabilities },
        p.password,
      ),
    })),
    'yubihsm.session.changeOwnAuthKey': onSession(schemas.changeOwn, async (s, p) => {
      await s.changeAuthenticationKey(p.password);
      return { id: s.authKeyId };
    }),
    'yubihsm.session.random': onSession(schemas.random, (s, p) => s.getPseudoRandom(p.length).then((r) => r.slice())),
    'yubihsm.session.putWrapKey': onSession(schemas.putWrapKey, async (s, p) => ({
      id: await s.putWrapKey(
        { id: p.id, label: p.label, domains: p.domains, capabilities: p.capabilities, algorithm: p.algorithm },
        p.delegatedCapabilities,
        p.key,
      ),
    })),
    'yubihsm.session.generateWrapKey': onSession(schemas.generateWrapKey, async (s, p) => ({
      id: await s.generateWrapKey(
        { id: p.id, label: p.label, domains: p.domains, capabilities: p.capabilities, algorithm: p.algorithm },
        p.delegatedCapabilities,
      ),
    })),
    'yubihsm.session.exportWrapped': onSession(schemas.exportWrapped, (s, p) => s.exportWrapped(p.wrapKeyId, p.type, p.id)),
    /** IMPORT_WRAPPED: the object a wrapped backup holds comes back under the same wrap key; answers its type and id. */
    'yubihsm.session.importWrapped': onSession(schemas.importWrapped, (s, p) => s.importWrapped(p.wrapKeyId, p.blob.slice())),
    'yubihsm.session.logEntries': onSession(schemas.logEntries, async (s, p): Promise<YubiHsmLogReading> => {
      const log = await s.getLogEntries();
      return { unloggedBoot: log.unloggedBoot, unloggedAuth: log.unloggedAuth, entries: log.entries, ...verifyFromAnchor(log.entries, p.anchor) };
    }),
    'yubihsm.session.setLogIndex': onSession(schemas.setLogIndex, async (s, p) => {
      await s.setLogIndex(p.index);
      return { index: p.index };
    }),
    'yubihsm.session.auditSettings': onSession(schemas.session, async (s): Promise<YubiHsmAuditSettings> => ({
      forceAudit: await s.getForceAudit(),
      commandAudit: [...(await s.getCommandAudit()).entries()],
    })),
    'yubihsm.session.setForceAudit': onSession(schemas.setForceAudit, async (s, p) => {
      await s.setForceAudit(p.value);
      return { forceAudit: p.value };
    }),
    'yubihsm.session.setCommandAudit': onSession(schemas.setCommandAudit, async (s, p) => {
      await s.setCommandAudit(new Map(p.settings.map(([c, a]) => [c as COMMAND, a])));
      return { commands: p.settings.length };
    }),
    /** Whether this key and password open a session: { ok } or the device's refusal (code + sentence). */
    'yubihsm.proveSession': async (params: unknown): Promise<YubiHsmSessionProof> => {
      const p = parse(schemas.prove, params);
      const id = deviceId(p.device);
      try {
        return await (await clientFor(p.device)).client.canOpenSession(p.authKeyId, p.password);
      } catch (e) {
        return asHostError(e);
      } finally {
        p.password.fill(0);
        await releaseIfUnused(id);
      }
    },
  };
}

/**
 * The chain from an anchor known only by number and digest (what a transcript records). When the anchor is still in
 * the store its digest must match and the chain is checked from it; when it was freed or overwritten, the first
 * entry must follow it directly. LOG_CHAIN_BROKEN otherwise.
 */
export function verifyFromAnchor(
  entries: LogEntry[],
  anchor?: { number: number; digest: Uint8Array },
): Omit<YubiHsmLogReading, 'unloggedBoot' | 'unloggedAuth' | 'entries'> {
  if (!anchor) {
    const v = verifyLogChain(entries);
    return { lastVerified: { number: v.lastVerified.number, digest: v.lastVerified.digest }, newEntryCount: v.newEntries.length, anchorInStore: false };
  }
  const at = entries.findIndex((e) => e.number === anchor.number);
  if (at >= 0) {
    if (anchor.digest.length !== 16 || !constantTimeEqual(entries[at].digest, anchor.digest)) {
      throw new YubiHsmError('LOG_CHAIN_BROKEN', `Audit log entry ${anchor.number} on the device differs from the one recorded last time.`);
    }
    const v = verifyLogChain(entries.slice(at));
    return { lastVerified: { number: v.lastVerified.number, digest: v.lastVerified.digest }, newEntryCount: v.newEntries.length - 1, anchorInStore: true };
  }
  const synthetic: LogEntry = {
    number: anchor.number,
    digest: anchor.digest,
    command: 0,
    length: 0,
    sessionKey: 0,
    targetKey: 0,
    secondKey: 0,
    result: 0,
    systick: 0,
  };
  const v = verifyLogChain(entries, synthetic);
  return { lastVerified: { number: v.lastVerified.number, digest: v.lastVerified.digest }, newEntryCount: v.newEntries.length, anchorInStore: false };
}
