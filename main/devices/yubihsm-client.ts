import type { CallOptions, DeviceHostClient } from './host-client';
import type * as hsm from '../../native/yubihsm';

/**
 * Main's typed view of the device host's YubiHSM handlers ('yubihsm.describe', 'yubihsm.session.*',
 * 'yubihsm.proveSession'). Main never talks to a YubiHSM itself: sessions live in the host, named by an opaque key.
 * Only types come from native/yubihsm (erased at build). Passwords go as bytes; the host zeroes its copy, and the
 * caller zeroes its own. The host's types the ceremony actions use pass through here.
 */
export type { ObjectInfo, YubiHsmDeviceRef, YubiHsmLogReading, YubiHsmOpenedSession } from '../../native/yubihsm';

/** Wire values of the enums main needs (OBJECT, ALGORITHM, AUDIT of native/yubihsm/protocol/defs), without loading it. */
export const YUBIHSM_OBJECT = { OPAQUE: 0x01, AUTHENTICATION_KEY: 0x02, ASYMMETRIC_KEY: 0x03, WRAP_KEY: 0x04 } as const;
export const YUBIHSM_ALGORITHM = { AES256_CCM_WRAP: 42 } as const;
export const YUBIHSM_AUDIT = { OFF: 0, ON: 1, FIXED: 2 } as const;

export interface AuthKeyRequest {
  id: number;
  label: string;
  domains: number;
  capabilities: bigint;
  delegatedCapabilities: bigint;
}

export interface WrapKeyRequest extends AuthKeyRequest {
  algorithm: number;
}

export interface AsymmetricKeyRequest {
  id: number;
  label: string;
  domains: number;
  capabilities: bigint;
  algorithm: number;
}

export class YubiHsmDeviceClient {
  constructor(private readonly host: DeviceHostClient) {}

  private call<T>(method: string, params: unknown, options?: CallOptions): Promise<T> {
    return this.host.call<T>(method, params, options);
  }

  describe(device: hsm.YubiHsmDeviceRef, o?: CallOptions) {
    return this.call<hsm.YubiHsmDescription>('yubihsm.describe', device, o);
  }
  openSession(device: hsm.YubiHsmDeviceRef, authKeyId: number, password: Uint8Array, o?: CallOptions) {
    return this.call<hsm.YubiHsmOpenedSession>('yubihsm.session.open', { device, authKeyId, password }, o);
  }
  /** { ok: true } or the device's refusal ({ ok: false, code: 'AUTHENTICATION_FAILED' | 'OBJECT_NOT_FOUND', message }). */
  proveSession(device: hsm.YubiHsmDeviceRef, authKeyId: number, password: Uint8Array, o?: CallOptions) {
    return this.call<hsm.YubiHsmSessionProof>('yubihsm.proveSession', { device, authKeyId, password }, o);
  }
  closeSession(sessionKey: string, o?: CallOptions) {
    return this.call<{ closed: boolean }>('yubihsm.session.close', { sessionKey }, o);
  }
  deviceInfo(sessionKey: string, o?: CallOptions) {
    return this.call<hsm.YubiHsmDeviceFacts>('yubihsm.session.deviceInfo', { sessionKey }, o);
  }
  listObjects(sessionKey: string, type?: number, o?: CallOptions) {
    return this.call<hsm.ObjectInfo[]>('yubihsm.session.listObjects', type === undefined ? { sessionKey } : { sessionKey, type }, o);
  }
  objectInfo(sessionKey: string, id: number, type: number, o?: CallOptions) {
    return this.call<hsm.ObjectInfo>('yubihsm.session.objectInfo', { sessionKey, id, type }, o);
  }
  deleteObject(sessionKey: string, id: number, type: number, o?: CallOptions) {
    return this.call<{ deleted: true }>('yubihsm.session.deleteObject', { sessionKey, id, type }, o);
  }
  putAuthKey(sessionKey: string, key: AuthKeyRequest, password: Uint8Array, o?: CallOptions) {
    return this.call<{ id: number }>('yubihsm.session.putAuthKey', { sessionKey, ...key, password }, o);
  }
  /** CHANGE_AUTHENTICATION_KEY of the session's own key; the session stays valid. */
  changeOwnAuthKey(sessionKey: string, password: Uint8Array, o?: CallOptions) {
    return this.call<{ id: number }>('yubihsm.session.changeOwnAuthKey', { sessionKey, password }, o);
  }
  random(sessionKey: string, length: number, o?: CallOptions) {
    return this.call<Uint8Array>('yubihsm.session.random', { sessionKey, length }, o);
  }
  putWrapKey(sessionKey: string, key: WrapKeyRequest, value: Uint8Array, o?: CallOptions) {
    return this.call<{ id: number }>('yubihsm.session.putWrapKey', { sessionKey, ...key, key: value }, o);
  }
  generateWrapKey(sessionKey: string, key: WrapKeyRequest, o?: CallOptions) {
    return this.call<{ id: number }>('yubihsm.session.generateWrapKey', { sessionKey, ...key }, o);
  }
  /** nonce ‖ AES-CCM ciphertext ‖ tag: ciphertext only, fine on disk. */
  exportWrapped(sessionKey: string, wrapKeyId: number, type: number, id: number, o?: CallOptions) {
    return this.call<Uint8Array>('yubihsm.session.exportWrapped', { sessionKey, wrapKeyId, type, id }, o);
  }
  /** IMPORT_WRAPPED of a wrapped backup under wrap key wrapKeyId: the type and id of the object restored. */
  importWrapped(sessionKey: string, wrapKeyId: number, blob: Uint8Array, o?: CallOptions) {
    return this.call<{ type: number; id: number }>('yubihsm.session.importWrapped', { sessionKey, wrapKeyId, blob }, o);
  }
  /** Reads the audit log and verifies it continues from the anchor (LOG_CHAIN_BROKEN otherwise). */
  logEntries(sessionKey: string, anchor?: { number: number; digest: Uint8Array }, o?: CallOptions) {
    return this.call<hsm.YubiHsmLogReading>('yubihsm.session.logEntries', anchor ? { sessionKey, anchor } : { sessionKey }, o);
  }
  setLogIndex(sessionKey: string, index: number, o?: CallOptions) {
    return this.call<{ index: number }>('yubihsm.session.setLogIndex', { sessionKey, index }, o);
  }
  auditSettings(sessionKey: string, o?: CallOptions) {
    return this.call<hsm.YubiHsmAuditSettings>('yubihsm.session.auditSettings', { sessionKey }, o);
  }
  setForceAudit(sessionKey: string, value: number, o?: CallOptions) {
    return this.call<{ forceAudit: number }>('yubihsm.session.setForceAudit', { sessionKey, value }, o);
  }
  setCommandAudit(sessionKey: string, settings: Array<[number, number]>, o?: CallOptions) {
    return this.call<{ commands: number }>('yubihsm.session.setCommandAudit', { sessionKey, settings }, o);
  }

  // ---- native key generation (native/yubihsm/key-handlers.ts) ----
  /** The algorithm numbers the device offers (DEVICE_INFO). */
  algorithms(sessionKey: string, o?: CallOptions) {
    return this.call<number[]>('yubihsm.session.algorithms', { sessionKey }, o);
  }
  generateAsymmetricKey(sessionKey: string, key: AsymmetricKeyRequest, o?: CallOptions) {
    return this.call<{ id: number }>('yubihsm.session.generateAsymmetricKey', { sessionKey, ...key }, o);
  }
  publicKey(sessionKey: string, id: number, o?: CallOptions) {
    return this.call<hsm.YubiHsmPublicKey>('yubihsm.session.publicKey', { sessionKey, id }, o);
  }
  /** ecdsa and pkcs1 take a digest (ECDSA answers r‖s); eddsa takes the message. */
  sign(sessionKey: string, id: number, scheme: 'ecdsa' | 'pkcs1' | 'eddsa', data: Uint8Array, o?: CallOptions) {
    return this.call<Uint8Array>('yubihsm.session.sign', { sessionKey, id, scheme, data }, o);
  }
  /** SIGN_ATTESTATION_CERTIFICATE: the DER certificate; attestingKeyId 0 is the device's own attestation key. */
  attest(sessionKey: string, id: number, attestingKeyId = 0, o?: CallOptions) {
    return this.call<Uint8Array>('yubihsm.session.attest', { sessionKey, id, attestingKeyId }, o);
  }
  /** GET_OPAQUE; opaque 0 is the device's attestation certificate. */
  getOpaque(sessionKey: string, id: number, o?: CallOptions) {
    return this.call<Uint8Array>('yubihsm.session.getOpaque', { sessionKey, id }, o);
  }
  putOpaque(sessionKey: string, object: AsymmetricKeyRequest, data: Uint8Array, o?: CallOptions) {
    return this.call<{ id: number }>('yubihsm.session.putOpaque', { sessionKey, ...object, data }, o);
  }
  /** The rehearsal simulator's simulated Yubico root CA (DER). */
  simulatorAttestationRoot(o?: CallOptions) {
    return this.call<Uint8Array>('yubihsm.simulatorAttestationRoot', {}, o);
  }
}
