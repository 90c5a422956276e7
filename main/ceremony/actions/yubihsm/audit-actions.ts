import { HostError } from '../../../devices';
import { YUBIHSM_AUDIT, type YubiHsmLogReading } from '../../../devices';
import type { ActionDefinition, JsonObject } from '../registry';
import { anchorText, hex } from './describe';
import { sessionNamed, translateHostError, yubihsmClient } from './device';
import { YubiHsmCeremonyError, YubiHsmCeremonyErrorCode } from '../../../errors';

/**
 * Commands left out of the command audit: ECHO is the session keep-alive and DEVICE_INFO the device panel's probe —
 * both would fill the 62-entry log store with noise; SESSION_MESSAGE cannot be audited (yubihsm-shell refuses it).
 */
const NOT_AUDITED = new Map<number, string>([
  [0x01, 'ECHO'],
  [0x05, 'SESSION_MESSAGE'],
  [0x06, 'DEVICE_INFO'],
]);

function auditName(value: number): string {
  return value === YUBIHSM_AUDIT.FIXED ? 'fixed' : value === YUBIHSM_AUDIT.ON ? 'on' : 'off';
}

/**
 * yubihsm.enable-audit — switches command audit on for every command but ECHO and DEVICE_INFO (a FIXED setting is
 * left as it is), says whether force audit is on (and switches it on when params.forceAudit), reads the settings
 * back, and reads the log once to take the anchor the end of the ceremony verifies from. params { session, forceAudit? }
 */
export const enableAudit: ActionDefinition = {
  description: 'Switches the YubiHSM’s command audit on and records where the audit log stands.',
  async run(ctx, params) {
    const handle = sessionNamed(ctx, params);
    const client = yubihsmClient(ctx);
    try {
      const before = await client.auditSettings(handle.sessionKey);
      const wanted = before.commandAudit
        .filter(([cmd, audit]) => !NOT_AUDITED.has(cmd) && audit === YUBIHSM_AUDIT.OFF)
        .map(([cmd]) => [cmd, YUBIHSM_AUDIT.ON] as [number, number]);
      if (wanted.length) await client.setCommandAudit(handle.sessionKey, wanted);
      if (params.forceAudit === true && before.forceAudit === YUBIHSM_AUDIT.OFF) await client.setForceAudit(handle.sessionKey, YUBIHSM_AUDIT.ON);
      const after = await client.auditSettings(handle.sessionKey);
      const audited = after.commandAudit.filter(([, a]) => a !== YUBIHSM_AUDIT.OFF).length;
      const missing = after.commandAudit.filter(([cmd, a]) => a === YUBIHSM_AUDIT.OFF && !NOT_AUDITED.has(cmd)).map(([cmd]) => `0x${cmd.toString(16)}`);
      if (missing.length)
        throw new YubiHsmCeremonyError(YubiHsmCeremonyErrorCode.ReadBackMismatch, `The YubiHSM still does not audit commands ${missing.join(', ')}.`);
      const log = await client.logEntries(handle.sessionKey);
      return {
        publicResult: {
          commandsAudited: audited,
          notAudited: [...NOT_AUDITED.values()],
          forceAudit: auditName(after.forceAudit),
          forceAuditNote:
            after.forceAudit === YUBIHSM_AUDIT.OFF
              ? 'Force audit is off: when the 62-entry log store is full the oldest entries are overwritten, so read the log at every ceremony.'
              : 'Force audit is on: when the log store is full, audited commands fail until the log is read and marked read.',
          startAnchor: anchorText(log.lastVerified),
          startAnchorNumber: log.lastVerified.number,
          startAnchorDigest: hex(log.lastVerified.digest),
          logEntriesInStore: log.entries.length,
        },
      };
    } catch (error) {
      return translateHostError(error);
    }
  },
};

/** "<number>:<32 hex digits>" → the anchor; undefined for "" (none given). */
export function parseAnchor(text: unknown): { number: number; digest: Uint8Array } | undefined {
  const value = typeof text === 'string' ? text.trim() : '';
  if (!value) return undefined;
  const m = /^(\d{1,5})\s*:\s*([0-9a-fA-F]{32})$/.exec(value);
  if (!m || Number(m[1]) > 0xffff) {
    throw new YubiHsmCeremonyError(
      YubiHsmCeremonyErrorCode.AnchorInvalid,
      'The audit anchor is written "<entry number>:<digest>", e.g. "42:0f1e…" with the 32 hexadecimal digits of the digest, as the last transcript shows it.',
    );
  }
  return { number: Number(m[1]), digest: new Uint8Array(Buffer.from(m[2], 'hex')) };
}

function logFile(serial: number, reading: YubiHsmLogReading, anchor: string | null): string {
  const entries = reading.entries.map((e) => ({
    number: e.number,
    command: `0x${e.command.toString(16).padStart(2, '0')}`,
    length: e.length,
    sessionKey: e.sessionKey,
    targetKey: e.targetKey,
    secondKey: e.secondKey,
    result: `0x${e.result.toString(16).padStart(2, '0')}`,
    systick: e.systick,
    digest: hex(e.digest),
  }));
  return `${JSON.stringify({ format: 'custodian-yubihsm-audit-log/1', serial, verifiedFrom: anchor, lastVerified: anchorText(reading.lastVerified), unloggedBoot: reading.unloggedBoot, unloggedAuth: reading.unloggedAuth, entries }, null, 2)}\n`;
}

/**
 * yubihsm.verify-audit-log — reads the audit log and verifies its digest chain continues from the anchor
 * (params.anchor "<number>:<digest hex>", e.g. the last ceremony's); refuses, saying so, when it does not. Writes the
 * entries to the outputs (public), records the last verified entry as the next anchor, and with params.markRead
 * tells the device the entries up to it were read (SET_LOG_INDEX), freeing the store. params { session, anchor?, markRead? }
 */
export const verifyAuditLog: ActionDefinition = {
  description: 'Reads the YubiHSM audit log, verifies it continues from the recorded anchor, and records the new anchor.',
  async run(ctx, params) {
    const handle = sessionNamed(ctx, params);
    const anchor = parseAnchor(params.anchor);
    const client = yubihsmClient(ctx);
    let reading: YubiHsmLogReading;
    try {
      reading = await client.logEntries(handle.sessionKey, anchor);
    } catch (error) {
      if (error instanceof HostError && error.code === 'LOG_CHAIN_BROKEN') {
        throw new YubiHsmCeremonyError(
          YubiHsmCeremonyErrorCode.AuditLogDoesNotContinue,
          `The audit log of YubiHSM ${handle.serial} does not continue from the anchor recorded last time (${String(params.anchor)}): ${error.message} Stop here and call the auditor: entries are missing or altered, or this is not the device of last time.`,
        );
      }
      return translateHostError(error);
    }
    const anchorGiven = anchor ? anchorText(anchor) : null;
    const file = await ctx.outputs.write(
      `yubihsm-${handle.serial}-audit-log-${reading.lastVerified.number}.json`,
      logFile(handle.serial, reading, anchorGiven),
    );
    if (params.markRead === true) {
      try {
        await client.setLogIndex(handle.sessionKey, reading.lastVerified.number);
      } catch (error) {
        return translateHostError(error);
      }
    }
    const result: JsonObject = {
      serial: handle.serial,
      verifiedFrom: anchorGiven ?? 'no anchor given: the chain was checked from the oldest entry in the store',
      anchorStillInStore: reading.anchorInStore,
      entriesVerified: reading.newEntryCount,
      unloggedBoot: reading.unloggedBoot,
      unloggedAuth: reading.unloggedAuth,
      newAnchor: anchorText(reading.lastVerified),
      newAnchorNumber: reading.lastVerified.number,
      newAnchorDigest: hex(reading.lastVerified.digest),
      markedRead: params.markRead === true,
      logFile: file.name,
      logFileSha256: file.sha256,
    };
    return { publicResult: result };
  },
};
