import { ERROR } from './defs';

/** Codes for failures that are not device errors: the transport, the secure channel, the user's input. */
export type ClientErrorCode =
  | 'INVALID_RESPONSE'
  | 'RESPONSE_MAC_MISMATCH'
  | 'CARD_CRYPTOGRAM_MISMATCH'
  | 'MESSAGE_TOO_LARGE'
  | 'SESSION_CLOSED'
  | 'TRANSPORT_FAILED'
  | 'CONNECTOR_UNREACHABLE'
  | 'NOT_LOOPBACK'
  | 'USB_UNAVAILABLE'
  | 'DEVICE_NOT_FOUND'
  | 'DEVICE_CLAIMED'
  | 'USB_PERMISSION_DENIED'
  | 'TIMEOUT'
  | 'INVALID_ARGUMENT'
  | 'LOG_CHAIN_BROKEN';

export type DeviceErrorCode = keyof typeof ERROR;
export type YubiHsmErrorCode = DeviceErrorCode | ClientErrorCode;

/** Sentences a custodian can act on. They never include a secret. */
const DEVICE_SENTENCES: Record<DeviceErrorCode, string> = {
  OK: 'The YubiHSM reported success inside an error frame, which should not happen.',
  INVALID_COMMAND: 'The YubiHSM does not know this command (its firmware may be too old for it).',
  INVALID_DATA: 'The YubiHSM refused the request because a value in it is not valid.',
  INVALID_SESSION: 'The YubiHSM session has ended (it expires after 30 seconds without activity); open a new one.',
  AUTHENTICATION_FAILED: 'The YubiHSM refused the authentication key: the key ID or the password is wrong.',
  SESSIONS_FULL: 'The YubiHSM already has 16 open sessions; close some or wait 30 seconds for idle ones to expire.',
  SESSION_FAILED: 'The YubiHSM session failed; open a new one.',
  STORAGE_FAILED: 'The YubiHSM has no room left for another object.',
  WRONG_LENGTH: 'The YubiHSM refused a message of the wrong length.',
  INSUFFICIENT_PERMISSIONS: 'The authentication key used for this session is not allowed to do this (missing capability or domain).',
  LOG_FULL: 'The YubiHSM audit log is full and forced auditing is on: read the log and mark it read (SET_LOG_INDEX) before continuing.',
  OBJECT_NOT_FOUND: 'The YubiHSM has no such object in the domains this session can see.',
  INVALID_ID: 'The YubiHSM refused the object ID (an authentication key can only change its own password).',
  SSH_CA_CONSTRAINT_VIOLATION: 'The SSH certificate request violates the template’s constraints.',
  INVALID_OTP: 'The one-time password is not valid.',
  DEMO_MODE: 'This YubiHSM is a demo unit and needs to be power-cycled.',
  OBJECT_EXISTS: 'The YubiHSM already holds an object with this ID and type.',
  ALGORITHM_DISABLED: 'This algorithm is disabled on the YubiHSM.',
  COMMAND_UNEXECUTED: 'The YubiHSM did not run the command.',
};

const CLIENT_SENTENCES: Record<ClientErrorCode, string> = {
  INVALID_RESPONSE: 'The YubiHSM sent a reply that does not follow the protocol.',
  RESPONSE_MAC_MISMATCH: 'The YubiHSM reply failed its integrity check; the session was closed for safety.',
  CARD_CRYPTOGRAM_MISMATCH: 'The YubiHSM could not prove it knows the authentication key: the password is wrong or the device is not genuine.',
  MESSAGE_TOO_LARGE: 'The request is larger than this YubiHSM firmware accepts in one message.',
  SESSION_CLOSED: 'This YubiHSM session is closed.',
  TRANSPORT_FAILED: 'The connection to the YubiHSM failed.',
  CONNECTOR_UNREACHABLE: 'The YubiHSM connector did not answer at the given address.',
  NOT_LOOPBACK: 'Custodian only talks to a YubiHSM connector on this computer (127.0.0.1 or ::1) unless another address is explicitly allowed.',
  USB_UNAVAILABLE: 'USB is not available on this computer, so no YubiHSM can be reached over USB.',
  DEVICE_NOT_FOUND: 'No YubiHSM 2 with that serial number is plugged in.',
  DEVICE_CLAIMED: 'The YubiHSM is in use by another program, most likely yubihsm-connector: stop that service or connect through it instead.',
  USB_PERMISSION_DENIED: 'This user may not open the YubiHSM over USB: install the udev rule for 1050:0030 (see the setup guide) and plug it in again.',
  TIMEOUT: 'The YubiHSM did not answer in time.',
  INVALID_ARGUMENT: 'A value given for this YubiHSM command is not valid.',
  LOG_CHAIN_BROKEN: 'The YubiHSM audit log does not continue from the trusted entry: entries are missing or altered.',
};

export class YubiHsmError extends Error {
  override readonly name = 'YubiHsmError';
  constructor(
    readonly code: YubiHsmErrorCode,
    message?: string,
    readonly deviceCode?: number,
  ) {
    super(message ?? sentenceFor(code));
  }

  /** True when the failure came from the device itself (a `7f` frame). */
  get isDeviceError(): boolean {
    return this.deviceCode !== undefined;
  }
}

export function sentenceFor(code: YubiHsmErrorCode): string {
  return (DEVICE_SENTENCES as Record<string, string>)[code] ?? (CLIENT_SENTENCES as Record<string, string>)[code];
}

/** Builds the error for a device error byte, with the device's name as code. */
export function deviceError(errorByte: number): YubiHsmError {
  const name = ERROR[errorByte] as DeviceErrorCode | undefined;
  if (!name) return new YubiHsmError('INVALID_RESPONSE', `The YubiHSM reported an unknown error (0x${errorByte.toString(16)}).`, errorByte);
  return new YubiHsmError(name, DEVICE_SENTENCES[name], errorByte);
}
