import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ALGORITHM, CAPABILITY, COMMAND, OBJECT, capabilitySet, type YubiHsmSession } from '../../../native/yubihsm';
import { simulatedDevice, type SimulatedDevice } from '../../fixtures/harness';

/**
 * What Yubico's yubihsm_pkcs11 sends the device for a CKA_LABEL over 40 bytes: its first 40 bytes as the object's
 * label (yubihsm-shell 2.8.0 pkcs11/util_pkcs11.c:4716-4721; the whole label goes into a meta object), which can end
 * inside a multi-byte UTF-8 character. The device keeps the 40 bytes as they came: the simulator must give them back
 * byte for byte in GET_OBJECT_INFO and find the object by them in LIST_OBJECTS, over the real protocol.
 */
const u16 = (n: number) => [n >> 8, n & 0xff];
const u64 = (n: bigint) => Array.from({ length: 8 }, (_, i) => Number((n >> BigInt(8 * (7 - i))) & 0xffn));

describe.each(['in-memory', 'http'] as const)('labels cut at 40 bytes by yubihsm_pkcs11 (%s)', (kind) => {
  let device: SimulatedDevice;
  let session: YubiHsmSession;
  beforeEach(async () => {
    device = await simulatedDevice(kind, { serial: 7654321 });
    session = await device.client.openSession(1, 'password');
  });
  afterEach(async () => {
    if (session.isOpen) await session.close().catch(() => undefined);
    await device.close();
  });

  it('keeps the 40 raw bytes of a label that ends inside a character, and finds the key by them', async () => {
    const whole = Buffer.from('Custodian root signing key Zertifikatprüfung 2026', 'utf8');
    const cut = whole.subarray(0, 40);
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(cut)).toThrow(); // it does end inside "ü"
    const capabilities = capabilitySet(CAPABILITY.SIGN_ECDSA);
    const generate = Uint8Array.from([...u16(0x0a02), ...cut, ...u16(0xffff), ...u64(capabilities), ALGORITHM.EC_P256]);
    expect(Array.from(await session.send(COMMAND.GENERATE_ASYMMETRIC_KEY, generate))).toEqual(u16(0x0a02));

    const info = await session.send(COMMAND.GET_OBJECT_INFO, Uint8Array.from([...u16(0x0a02), OBJECT.ASYMMETRIC_KEY]));
    // capabilities(8) id(2) size(2) domains(2) type algorithm sequence origin, then the label's 40 bytes
    expect(Buffer.from(info.subarray(18, 58)).equals(cut)).toBe(true);

    const list = await session.send(COMMAND.LIST_OBJECTS, Uint8Array.from([0x06 /* LIST_FILTER.LABEL */, ...cut]));
    expect(Array.from(list.subarray(0, 3))).toEqual([...u16(0x0a02), OBJECT.ASYMMETRIC_KEY]);

    // and Custodian's own client reads the same bytes back through its label codec
    const seen = await session.getObjectInfo(0x0a02, OBJECT.ASYMMETRIC_KEY);
    expect((await session.listObjects({ label: seen.label })).map((o) => o.id)).toEqual([0x0a02]);
  });
});
