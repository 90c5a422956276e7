/**
 * What a simulated YubiHSM remembers across power cycles: objects, sequence counters, the audit log and options.
 * Sessions are not part of it (a real device loses them on reboot too).
 */
import {
  ALGORITHM,
  ALL_CAPABILITIES,
  ALL_DOMAINS,
  AUDIT,
  DEFAULT_AUTH_KEY_ID,
  DEFAULT_AUTH_KEY_LABEL,
  DEFAULT_PASSWORD,
  OBJECT,
  ORIGIN,
} from '../protocol/defs';
import { bytesToHex, hexToBytes } from '../protocol/bytes';
import { passwordToKeys } from '../protocol/scp03';
import { LogEntry } from '../protocol/commands/log';
import { concatBytes } from '../protocol/bytes';
import type { AttestationPkiState } from './attestation-pki';

export interface StoredObject {
  id: number;
  type: OBJECT;
  algorithm: ALGORITHM;
  label: string;
  domains: number;
  capabilities: bigint;
  delegated: bigint;
  sequence: number;
  origin: number;
  /** Auth key: K-ENC‖K-MAC; wrap key: the AES key; asymmetric: EC d, Ed25519 seed or RSA p‖q; opaque: its data. */
  secret: Uint8Array;
}

export interface LogState {
  entries: LogEntry[];
  /** Number the next entry gets. */
  nextNumber: number;
  /** Digest of the newest entry ever written (it may have left the store since). */
  lastDigest: Uint8Array;
  unloggedBoot: number;
  unloggedAuth: number;
}

export interface DeviceState {
  serial: number;
  objects: StoredObject[];
  /** Highest sequence used per `type:id`, so a re-created object gets the next one. */
  sequences: Record<string, number>;
  log: LogState;
  forceAudit: AUDIT;
  /** COMMAND_AUDIT setting per command code. */
  commandAudit: Record<number, AUDIT>;
  /** The factory attestation PKI (made on first use; kept through a reset, as on a device). */
  attestation?: AttestationPkiState;
}

export const objectKey = (type: number, id: number) => `${type}:${id}`;

/** The body the wrap format carries after its 59-byte header; also the size GET_OBJECT_INFO reports. */
export function objectBody(o: StoredObject): Uint8Array {
  if (o.type === OBJECT.AUTHENTICATION_KEY || o.type === OBJECT.WRAP_KEY) {
    const delegated = new Uint8Array(8);
    let v = o.delegated;
    for (let i = 7; i >= 0; i--) {
      delegated[i] = Number(v & 0xffn);
      v >>= 8n;
    }
    return concatBytes(delegated, o.secret);
  }
  return o.secret;
}

export function factoryDefaultAuthKey(): StoredObject {
  const keys = passwordToKeys(DEFAULT_PASSWORD);
  return {
    id: DEFAULT_AUTH_KEY_ID,
    type: OBJECT.AUTHENTICATION_KEY,
    algorithm: ALGORITHM.AES128_YUBICO_AUTHENTICATION,
    label: DEFAULT_AUTH_KEY_LABEL,
    domains: ALL_DOMAINS,
    capabilities: ALL_CAPABILITIES,
    delegated: ALL_CAPABILITIES,
    sequence: 0,
    origin: ORIGIN.IMPORTED,
    secret: concatBytes(keys.encKey, keys.macKey),
  };
}

// ---- persistence (JSON; bigints and bytes as hex) ----

interface SerializedObject extends Omit<StoredObject, 'capabilities' | 'delegated' | 'secret'> {
  capabilities: string;
  delegated: string;
  secret: string;
}

interface SerializedLogEntry extends Omit<LogEntry, 'digest'> {
  digest: string;
}

export interface SerializedState {
  format: 'custodian-yubihsm-simulator/1';
  serial: number;
  objects: SerializedObject[];
  sequences: Record<string, number>;
  log: { entries: SerializedLogEntry[]; nextNumber: number; lastDigest: string; unloggedBoot: number; unloggedAuth: number };
  forceAudit: AUDIT;
  commandAudit: Record<string, AUDIT>;
  attestation?: AttestationPkiState;
}

export function serializeState(s: DeviceState): SerializedState {
  return {
    format: 'custodian-yubihsm-simulator/1',
    serial: s.serial,
    objects: s.objects.map((o) => ({ ...o, capabilities: o.capabilities.toString(16), delegated: o.delegated.toString(16), secret: bytesToHex(o.secret) })),
    sequences: s.sequences,
    log: {
      ...s.log,
      entries: s.log.entries.map((e) => ({ ...e, digest: bytesToHex(e.digest) })),
      lastDigest: bytesToHex(s.log.lastDigest),
    },
    forceAudit: s.forceAudit,
    commandAudit: s.commandAudit,
    ...(s.attestation ? { attestation: s.attestation } : {}),
  };
}

export function deserializeState(raw: SerializedState): DeviceState {
  if (raw.format !== 'custodian-yubihsm-simulator/1') throw new Error('The simulator state file has an unknown format.');
  return {
    serial: raw.serial,
    objects: raw.objects.map((o) => ({
      ...o,
      capabilities: BigInt('0x' + o.capabilities),
      delegated: BigInt('0x' + o.delegated),
      secret: hexToBytes(o.secret),
    })),
    sequences: raw.sequences,
    log: {
      ...raw.log,
      entries: raw.log.entries.map((e) => ({ ...e, digest: hexToBytes(e.digest) })),
      lastDigest: hexToBytes(raw.log.lastDigest),
    },
    forceAudit: raw.forceAudit,
    commandAudit: Object.fromEntries(Object.entries(raw.commandAudit).map(([k, v]) => [Number(k), v])),
    ...(raw.attestation ? { attestation: raw.attestation } : {}),
  };
}
