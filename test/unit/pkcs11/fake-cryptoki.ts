import type { CryptokiFactory } from '../../../native/pkcs11/cryptoki';

/** Errors shaped like pkcs11js's Pkcs11Error (message = CKR name, numeric code, method). */
export function ckError(name: string, code: number, method = 'C_Test'): Error {
  const e = new Error(name) as Error & { code: number; method: string };
  e.code = code;
  e.method = method;
  return e;
}

const token = (flags: number) => ({
  label: 'fake'.padEnd(32),
  manufacturerID: 'Fake'.padEnd(32),
  model: 'Fake'.padEnd(16),
  serialNumber: '0001'.padEnd(16),
  flags,
  maxSessionCount: 0,
  sessionCount: 0,
  maxRwSessionCount: 0,
  rwSessionCount: 0,
  maxPinLen: 8,
  minPinLen: 4,
  hardwareVersion: { major: 1, minor: 0 },
  firmwareVersion: { major: 1, minor: 0 },
  utcTime: '',
  totalPublicMemory: 0,
  freePublicMemory: 0,
  totalPrivateMemory: 0,
  freePrivateMemory: 0,
});

export interface FakeBehaviour {
  initialize?: (options?: { flags?: number }) => void;
  tokenFlags?: () => number;
  /** sees what pkcs11js would pass to the module: the PIN as a string */
  login?: (pin?: unknown) => void;
  generateRandom?: () => Buffer;
}

/** A pkcs11js stand-in with one slot and one token; behaviours override the calls a test is about. */
export function fakeFactory(behaviour: FakeBehaviour, calls: string[] = []): CryptokiFactory {
  return () =>
    ({
      load: () => calls.push('load'),
      close: () => calls.push('close'),
      C_Initialize: (options?: { flags?: number }) => {
        calls.push(`C_Initialize(${options?.flags ?? 'null'})`);
        behaviour.initialize?.(options);
      },
      C_Finalize: () => calls.push('C_Finalize'),
      C_GetInfo: () => ({
        cryptokiVersion: { major: 2, minor: 40 },
        manufacturerID: 'Fake',
        flags: 0,
        libraryDescription: 'Fake',
        libraryVersion: { major: 1, minor: 0 },
      }),
      C_GetSlotList: () => [Buffer.from([1])],
      C_GetSlotInfo: () => ({
        slotDescription: 'slot',
        manufacturerID: 'Fake',
        flags: 1,
        hardwareVersion: { major: 1, minor: 0 },
        firmwareVersion: { major: 1, minor: 0 },
      }),
      C_GetTokenInfo: () => token(0x400 | (behaviour.tokenFlags?.() ?? 0)),
      C_OpenSession: () => Buffer.from([7]),
      C_CloseSession: () => calls.push('C_CloseSession'),
      C_Login: (_session: Buffer, _user: number, pin?: unknown) => {
        calls.push('C_Login');
        behaviour.login?.(pin);
      },
      C_GenerateRandom: (_s: Buffer, out: Buffer) => behaviour.generateRandom?.() ?? out.fill(4),
      C_GetMechanismList: () => [],
    }) as never;
}
