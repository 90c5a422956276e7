/**
 * What the device host's YubiHSM handlers (ceremony-handlers.ts, key-handlers.ts) take and answer, as main sees it
 * through the RPC: the device named, the session opened, the log and audit readings, a public key. Types only, so
 * main can import them (through this folder's index) without loading any YubiHSM code.
 */
import type { LogEntry } from './protocol/commands/log';
import type { ObjectInfo } from './protocol/commands/objects';
import type { AUDIT } from './protocol/defs';

/** Which YubiHSM: the rehearsal simulator, a yubihsm-connector on loopback, or a USB device by serial. */
export type YubiHsmDeviceRef = { simulator: true } | { connector: string } | { usbSerial: number };

export interface YubiHsmDeviceFacts {
  serial: number;
  firmware: string;
  logUsed: number;
  logTotal: number;
}

export interface YubiHsmOpenedSession {
  sessionKey: string;
  authKeyId: number;
  device: YubiHsmDeviceFacts;
  /** the session's own authentication key as the device describes it */
  key: ObjectInfo;
}

export interface YubiHsmLogReading {
  unloggedBoot: number;
  unloggedAuth: number;
  entries: LogEntry[];
  /** the last entry of an unbroken chain from the anchor (or from the first entry when none was given) */
  lastVerified: { number: number; digest: Uint8Array };
  /** how many entries after the anchor were verified */
  newEntryCount: number;
  /** the anchor entry itself was still in the device's log store (and matched) */
  anchorInStore: boolean;
}

export interface YubiHsmAuditSettings {
  forceAudit: AUDIT;
  /** pairs [command, AUDIT] as the device reports them */
  commandAudit: Array<[number, AUDIT]>;
}

export type YubiHsmSessionProof = { ok: true } | { ok: false; code: string; message: string };

export interface YubiHsmPublicKey {
  algorithm: number;
  /** DER SubjectPublicKeyInfo */
  spki: Uint8Array;
}
