import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { verifyFromAnchor, type LogEntry } from '../../../native/yubihsm';
import { parseAnchor } from '../../../main/ceremony/actions/yubihsm/audit-actions';
import { parseDevice } from '../../../main/ceremony/actions/yubihsm/device';

interface VectorEntry {
  number: number;
  cmd: number;
  length: number;
  session_key: number;
  target_key: number;
  second_key: number;
  result: number;
  tick: number;
  digest: string;
}
const vectors = JSON.parse(readFileSync(new URL('../../fixtures/yubihsm/vectors.json', import.meta.url), 'utf8'));
// Yubico's published real-device log, entries 46–51: a real chain to verify anchors against.
const realEntries: LogEntry[] = (vectors.audit_log.real_device_items_46_51.entries as VectorEntry[]).map((e) => ({
  number: e.number,
  command: e.cmd,
  length: e.length,
  sessionKey: e.session_key,
  targetKey: e.target_key,
  secondKey: e.second_key,
  result: e.result,
  systick: e.tick,
  digest: new Uint8Array(Buffer.from(e.digest, 'hex')),
}));

describe('continuing the audit log from the anchor recorded last time', () => {
  it('accepts the chain from an anchor still in the store and reports the new last entry', () => {
    const anchor = { number: realEntries[1].number, digest: realEntries[1].digest };
    const result = verifyFromAnchor(realEntries, anchor);
    expect(result.anchorInStore).toBe(true);
    expect(result.lastVerified.number).toBe(realEntries.at(-1)!.number);
    expect(Buffer.from(result.lastVerified.digest).toString('hex')).toBe(Buffer.from(realEntries.at(-1)!.digest).toString('hex'));
    expect(result.newEntryCount).toBe(realEntries.length - 2);
  });

  it('accepts an anchor freed from the store when the first entry follows it directly', () => {
    const anchor = { number: realEntries[0].number, digest: realEntries[0].digest };
    const result = verifyFromAnchor(realEntries.slice(1), anchor);
    expect(result.anchorInStore).toBe(false);
    expect(result.lastVerified.number).toBe(realEntries.at(-1)!.number);
  });

  it('refuses an anchor whose digest differs from the device’s entry', () => {
    const digest = new Uint8Array(realEntries[2].digest);
    digest[15] ^= 1;
    expect(() => verifyFromAnchor(realEntries, { number: realEntries[2].number, digest })).toThrow(expect.objectContaining({ code: 'LOG_CHAIN_BROKEN' }));
  });

  it('refuses a stale anchor with entries missing in between', () => {
    const anchor = { number: realEntries[0].number, digest: realEntries[0].digest };
    expect(() => verifyFromAnchor(realEntries.slice(2), anchor)).toThrow();
  });
});

describe('what the administrator types', () => {
  it('reads an anchor as "<number>:<32 hex digits>" and refuses anything else', () => {
    expect(parseAnchor('')).toBeUndefined();
    expect(parseAnchor(' 42 : 0f1e2d3c4b5a69788796a5b4c3d2e1f0 ')).toEqual({
      number: 42,
      digest: new Uint8Array(Buffer.from('0f1e2d3c4b5a69788796a5b4c3d2e1f0', 'hex')),
    });
    for (const bad of ['42', '42:0f1e', 'x:0f1e2d3c4b5a69788796a5b4c3d2e1f0', '70000:0f1e2d3c4b5a69788796a5b4c3d2e1f0']) {
      expect(() => parseAnchor(bad), bad).toThrow(expect.objectContaining({ code: 'AnchorInvalid' }));
    }
  });

  it('names the YubiHSM: the simulator only in rehearsal, a connector on this computer only, or a USB serial', () => {
    expect(parseDevice('simulator', true)).toEqual({ simulator: true });
    expect(() => parseDevice('simulator', false)).toThrow(expect.objectContaining({ code: 'SimulatorOutsideRehearsal' }));
    expect(parseDevice('http://127.0.0.1:12345/', false)).toEqual({ connector: 'http://127.0.0.1:12345' });
    expect(parseDevice('usb:7550123', false)).toEqual({ usbSerial: 7550123 });
    for (const bad of ['http://192.0.2.4:12345', 'https://127.0.0.1:12345', 'usb:0', 'yubihsm']) {
      expect(() => parseDevice(bad, false), bad).toThrow(expect.objectContaining({ code: 'DeviceParameterInvalid' }));
    }
  });
});
