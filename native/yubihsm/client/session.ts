/**
 * An authenticated session with typed methods for every command Custodian uses, grouped like the protocol
 * files (core, objects, wrap, asymmetric, opaque, attestation, log). Everything setup, rotation and native key
 * generation ceremonies need is here.
 */
import { ALGORITHM, AUDIT, COMMAND, OBJECT, OPTION } from '../protocol/defs';
import { wipe } from '../protocol/bytes';
import { YubiHsmError } from '../protocol/errors';
import { passwordToKeys, StaticKeys } from '../protocol/scp03';
import {
  StorageInfo,
  decodeCommandAudit,
  decodeDeviceInfo,
  decodeStorageInfo,
  encodeBlink,
  encodeCommandAudit,
  encodeDeviceInfoRequest,
  encodePseudoRandomRequest,
  encodeSetOption,
  DeviceInfo,
} from '../protocol/commands/core';
import {
  ListFilter,
  ListedObject,
  ObjectHeader,
  ObjectInfo,
  decodeListResponse,
  decodeObjectIdResponse,
  decodeObjectInfo,
  encodeChangeAuthKey,
  encodeListFilter,
  encodeObjectRef,
  encodePutAuthKey,
} from '../protocol/commands/objects';
import { decodeImportWrappedResponse, encodeExportWrapped, encodeGenerateWrapKey, encodeImportWrapped, encodePutWrapKey } from '../protocol/commands/wrap';
import {
  PublicKeyResponse,
  decodePublicKeyResponse,
  ecCurveBytes,
  encodeGenerateAsymmetric,
  encodeGetPublicKey,
  encodeSignPss,
  encodeSignRequest,
  fitDigestToCurve,
} from '../protocol/commands/asymmetric';
import { DEVICE_ATTESTATION_CERTIFICATE_ID, encodeGetOpaque, encodePutOpaque } from '../protocol/commands/opaque';
import { BUILT_IN_ATTESTATION_KEY_ID, encodeSignAttestation } from '../protocol/commands/attestation';
import { LogEntries, LogEntry, LogVerification, decodeLogEntries, encodeSetLogIndex, verifyLogChain } from '../protocol/commands/log';
import { SecureSession } from './secure-session';

/** A password (string or bytes) or already derived K-ENC/K-MAC. */
export type AuthSecret = string | Uint8Array | StaticKeys;

export function toStaticKeys(secret: AuthSecret): { keys: StaticKeys; derived: boolean } {
  if (typeof secret === 'string' || secret instanceof Uint8Array) return { keys: passwordToKeys(secret), derived: true };
  if (secret.encKey.length !== 16 || secret.macKey.length !== 16) throw new YubiHsmError('INVALID_ARGUMENT', 'K-ENC and K-MAC are 16 bytes each.');
  return { keys: secret, derived: false };
}

export interface NewAuthKey extends ObjectHeader {
  delegatedCapabilities: bigint;
}

export class YubiHsmSession extends SecureSession {
  // ---- core ----
  async echo(data: Uint8Array): Promise<Uint8Array> {
    return this.send(COMMAND.ECHO, data);
  }

  async deviceInfo(): Promise<DeviceInfo> {
    return decodeDeviceInfo(await this.send(COMMAND.DEVICE_INFO, encodeDeviceInfoRequest(0)));
  }

  async getStorageInfo(): Promise<StorageInfo> {
    return decodeStorageInfo(await this.send(COMMAND.GET_STORAGE_INFO));
  }

  async getPseudoRandom(length: number): Promise<Uint8Array> {
    const out = await this.send(COMMAND.GET_PSEUDO_RANDOM, encodePseudoRandomRequest(length));
    if (out.length !== length) throw new YubiHsmError('INVALID_RESPONSE', 'The YubiHSM returned a different amount of random data than asked.');
    return out;
  }

  async blinkDevice(seconds: number): Promise<void> {
    await this.send(COMMAND.BLINK_DEVICE, encodeBlink(seconds));
  }

  async setOption(option: OPTION, value: Uint8Array): Promise<void> {
    await this.send(COMMAND.SET_OPTION, encodeSetOption(option, value));
  }

  async getOption(option: OPTION): Promise<Uint8Array> {
    return this.send(COMMAND.GET_OPTION, Uint8Array.of(option));
  }

  async setForceAudit(audit: AUDIT): Promise<void> {
    await this.setOption(OPTION.FORCE_AUDIT, Uint8Array.of(audit));
  }

  async getForceAudit(): Promise<AUDIT> {
    return (await this.getOption(OPTION.FORCE_AUDIT))[0] as AUDIT;
  }

  async setCommandAudit(settings: Map<COMMAND, AUDIT>): Promise<void> {
    await this.setOption(OPTION.COMMAND_AUDIT, encodeCommandAudit(settings));
  }

  async getCommandAudit(): Promise<Map<number, AUDIT>> {
    return decodeCommandAudit(await this.getOption(OPTION.COMMAND_AUDIT));
  }

  /** Factory-resets the device. The device reboots and every session (this one too) is gone afterwards. */
  async resetDevice(): Promise<void> {
    await this.send(COMMAND.RESET_DEVICE);
    this.forget();
  }

  // ---- objects and authentication keys ----
  async listObjects(filter: ListFilter = {}): Promise<ListedObject[]> {
    return decodeListResponse(await this.send(COMMAND.LIST_OBJECTS, encodeListFilter(filter)));
  }

  async getObjectInfo(id: number, type: OBJECT): Promise<ObjectInfo> {
    return decodeObjectInfo(await this.send(COMMAND.GET_OBJECT_INFO, encodeObjectRef(id, type)));
  }

  async deleteObject(id: number, type: OBJECT): Promise<void> {
    await this.send(COMMAND.DELETE_OBJECT, encodeObjectRef(id, type));
  }

  /** Creates a symmetric authentication key from a password (or K-ENC/K-MAC). Returns its ID. */
  async putAuthenticationKey(key: Omit<NewAuthKey, 'algorithm'>, secret: AuthSecret): Promise<number> {
    const { keys, derived } = toStaticKeys(secret);
    const payload = encodePutAuthKey({ ...key, algorithm: ALGORITHM.AES128_YUBICO_AUTHENTICATION, encKey: keys.encKey, macKey: keys.macKey });
    try {
      return decodeObjectIdResponse(await this.send(COMMAND.PUT_AUTHENTICATION_KEY, payload));
    } finally {
      wipe(payload);
      if (derived) wipe(keys.encKey, keys.macKey);
    }
  }

  /** Changes this session's own authentication key; the session stays valid. */
  async changeAuthenticationKey(secret: AuthSecret): Promise<void> {
    const { keys, derived } = toStaticKeys(secret);
    const payload = encodeChangeAuthKey(this.authKeyId, keys.encKey, keys.macKey);
    try {
      const id = decodeObjectIdResponse(await this.send(COMMAND.CHANGE_AUTHENTICATION_KEY, payload));
      if (id !== this.authKeyId) throw new YubiHsmError('INVALID_RESPONSE', 'The YubiHSM changed a different key than asked.');
    } finally {
      wipe(payload);
      if (derived) wipe(keys.encKey, keys.macKey);
    }
  }

  // ---- wrap keys and backups ----
  async putWrapKey(header: ObjectHeader, delegated: bigint, key: Uint8Array): Promise<number> {
    const payload = encodePutWrapKey(header, delegated, key);
    try {
      return decodeObjectIdResponse(await this.send(COMMAND.PUT_WRAP_KEY, payload));
    } finally {
      wipe(payload);
    }
  }

  async generateWrapKey(header: ObjectHeader, delegated: bigint): Promise<number> {
    return decodeObjectIdResponse(await this.send(COMMAND.GENERATE_WRAP_KEY, encodeGenerateWrapKey(header, delegated)));
  }

  /** Returns nonce(13) ‖ AES-CCM ciphertext ‖ tag(16). */
  async exportWrapped(wrapKeyId: number, type: OBJECT, objectId: number): Promise<Uint8Array> {
    return this.send(COMMAND.EXPORT_WRAPPED, encodeExportWrapped(wrapKeyId, type, objectId));
  }

  async importWrapped(wrapKeyId: number, blob: Uint8Array): Promise<{ type: OBJECT; id: number }> {
    return decodeImportWrappedResponse(await this.send(COMMAND.IMPORT_WRAPPED, encodeImportWrapped(wrapKeyId, blob)));
  }

  // ---- asymmetric keys ----
  async generateAsymmetricKey(header: ObjectHeader): Promise<number> {
    return decodeObjectIdResponse(await this.send(COMMAND.GENERATE_ASYMMETRIC_KEY, encodeGenerateAsymmetric(header)));
  }

  async getPublicKey(keyId: number): Promise<PublicKeyResponse> {
    return decodePublicKeyResponse(await this.send(COMMAND.GET_PUBLIC_KEY, encodeGetPublicKey(keyId)));
  }

  /** ECDSA over a digest; the digest is padded or truncated to the key's curve size as python-yubihsm does. */
  async signEcdsa(keyId: number, digest: Uint8Array, keyAlgorithm?: ALGORITHM): Promise<Uint8Array> {
    const algorithm = keyAlgorithm ?? (await this.getObjectInfo(keyId, OBJECT.ASYMMETRIC_KEY)).algorithm;
    const size = ecCurveBytes(algorithm);
    if (!size) throw new YubiHsmError('INVALID_ARGUMENT', 'This key is not an elliptic-curve key.');
    // A longer digest is cut to the curve size (the device keeps its leftmost bits); a shorter one is left-padded,
    // but never beyond 65 bytes on P-521 so the padding itself is not counted as bits (bits2int keeps 521).
    const fitted = digest.length > size ? fitDigestToCurve(digest, size) : fitDigestToCurve(digest, algorithm === ALGORITHM.EC_P521 ? 65 : size);
    return this.send(COMMAND.SIGN_ECDSA, encodeSignRequest(keyId, fitted));
  }

  async signPkcs1(keyId: number, digest: Uint8Array): Promise<Uint8Array> {
    return this.send(COMMAND.SIGN_PKCS1, encodeSignRequest(keyId, digest));
  }

  async signPss(keyId: number, digest: Uint8Array, mgf1: ALGORITHM, saltLength: number): Promise<Uint8Array> {
    return this.send(COMMAND.SIGN_PSS, encodeSignPss(keyId, mgf1, saltLength, digest));
  }

  async signEddsa(keyId: number, message: Uint8Array): Promise<Uint8Array> {
    return this.send(COMMAND.SIGN_EDDSA, encodeSignRequest(keyId, message));
  }

  // ---- opaque objects and attestation ----
  /** Stores data (OPAQUE_DATA) or a DER certificate (OPAQUE_X509_CERTIFICATE) as an opaque object. Returns its ID. */
  async putOpaque(header: ObjectHeader, data: Uint8Array): Promise<number> {
    return decodeObjectIdResponse(await this.send(COMMAND.PUT_OPAQUE, encodePutOpaque(header, data)));
  }

  async getOpaque(id: number): Promise<Uint8Array> {
    return this.send(COMMAND.GET_OPAQUE, encodeGetOpaque(id));
  }

  /** The device's own attestation certificate (DER), kept as opaque object 0. */
  async getDeviceAttestationCertificate(): Promise<Uint8Array> {
    return this.getOpaque(DEVICE_ATTESTATION_CERTIFICATE_ID);
  }

  /** A DER X.509 certificate over the key's public key, signed by `attestingKeyId` (0: the device's attestation key). */
  async signAttestationCertificate(keyId: number, attestingKeyId = BUILT_IN_ATTESTATION_KEY_ID): Promise<Uint8Array> {
    return this.send(COMMAND.SIGN_ATTESTATION_CERTIFICATE, encodeSignAttestation(keyId, attestingKeyId));
  }

  // ---- audit log ----
  async getLogEntries(): Promise<LogEntries> {
    return decodeLogEntries(await this.send(COMMAND.GET_LOG_ENTRIES));
  }

  /**
   * Reads the log and verifies it continues from `anchor` (the last entry recorded by the previous ceremony).
   * Throws LOG_CHAIN_BROKEN on a gap or a changed entry. Store `lastVerified` as the next anchor.
   */
  async getVerifiedLogEntries(anchor?: LogEntry): Promise<LogEntries & LogVerification> {
    const log = await this.getLogEntries();
    return { ...log, ...verifyLogChain(log.entries, anchor) };
  }

  /** Marks entries up to `index` as read, freeing space (needed under force audit). */
  async setLogIndex(index: number): Promise<void> {
    await this.send(COMMAND.SET_LOG_INDEX, encodeSetLogIndex(index));
  }
}
