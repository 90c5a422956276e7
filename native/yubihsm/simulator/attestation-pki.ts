/**
 * The simulator's stand-in for Yubico's attestation PKI: a simulated "Yubico YubiHSM Root CA" and, under it, this
 * device's attestation key and certificate ("YubiHSM Attestation (<serial>)", read as opaque object 0). A real
 * device gets these at the factory and keeps them through a reset; so does the simulator (they live in its state
 * file). Made on first use so that simulators which never attest start quickly. The root's subject says it is
 * simulated: nothing it signs can pass for a genuine YubiHSM.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { bytesToHex, hexToBytes } from '../protocol/bytes';
import { derCommonName } from '../protocol/der';
import { buildCertificate } from './crypto';

export interface AttestationPkiState {
  rootKey: string;
  rootCertificate: string;
  deviceKey: string;
  deviceCertificate: string;
}

export interface AttestationPki {
  rootCertificate: Uint8Array;
  deviceCertificate: Uint8Array;
  deviceKey: KeyObject;
  /** the subject of the device certificate: the issuer of every attestation certificate */
  deviceName: Uint8Array;
  notBefore: Date;
  notAfter: Date;
}

export const SIMULATED_ROOT_NAME = 'Simulated Yubico YubiHSM Root CA (Custodian rehearsal, not genuine)';
/** A YubiHSM has no clock: the device certificate and what it signs carry fixed validity dates. */
const NOT_BEFORE = new Date(Date.UTC(2017, 0, 1));
const NOT_AFTER = new Date(Date.UTC(2071, 9, 5));

export function deviceAttestationName(serial: number): string {
  return `YubiHSM Attestation (${serial})`;
}

const spkiOf = (key: KeyObject) => new Uint8Array((key.type === 'public' ? key : createPublicKey(key)).export({ type: 'spki', format: 'der' }));
const pkcs8Of = (key: KeyObject) => bytesToHex(new Uint8Array(key.export({ type: 'pkcs8', format: 'der' })));

/** Makes the root and the device attestation key + certificate for a device with this serial. */
export function makeAttestationPki(serial: number): AttestationPkiState {
  const root = generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 65537 });
  const device = generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 65537 });
  const rootName = derCommonName(SIMULATED_ROOT_NAME);
  const rootCertificate = buildCertificate({
    issuer: rootName,
    subject: rootName,
    notBefore: NOT_BEFORE,
    notAfter: NOT_AFTER,
    spki: spkiOf(root.publicKey),
    ca: true,
    signingKey: root.privateKey,
  });
  const deviceCertificate = buildCertificate({
    issuer: rootName,
    subject: derCommonName(deviceAttestationName(serial)),
    notBefore: NOT_BEFORE,
    notAfter: NOT_AFTER,
    spki: spkiOf(device.publicKey),
    ca: true,
    signingKey: root.privateKey,
  });
  return {
    rootKey: pkcs8Of(root.privateKey),
    rootCertificate: bytesToHex(rootCertificate),
    deviceKey: pkcs8Of(device.privateKey),
    deviceCertificate: bytesToHex(deviceCertificate),
  };
}

export function loadAttestationPki(state: AttestationPkiState, serial: number): AttestationPki {
  return {
    rootCertificate: hexToBytes(state.rootCertificate),
    deviceCertificate: hexToBytes(state.deviceCertificate),
    deviceKey: createPrivateKey({ key: Buffer.from(state.deviceKey, 'hex'), format: 'der', type: 'pkcs8' }),
    deviceName: derCommonName(deviceAttestationName(serial)),
    notBefore: NOT_BEFORE,
    notAfter: NOT_AFTER,
  };
}
