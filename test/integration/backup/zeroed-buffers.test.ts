import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScript } from '../../../main/ceremony';
import { backupAnswers, backupScript } from '../../fixtures/templates/answers';
import type { Pkcs11Client } from '../../../main/devices/pkcs11-client';
import { makeBackupableKeys, startWorld, type BackupWorld } from './fixture';

// Secrets as bytes end to end, zeroed after use: the real backup through the engine, the real device host and
// SoftHSM2, with the PKCS#11 client watched (every call still goes to the real one) so the test holds on to each
// buffer that carried a PIN or a key-encryption key — and finds every one of them zero once the ceremony is over.

let world: BackupWorld;
beforeAll(async () => {
  world = await startWorld('zeroed-buffers');
  await makeBackupableKeys(world, [{ label: 'zero-aes', algorithm: 'AES-256' }]);
}, 120_000);
afterAll(async () => {
  await world?.context.close();
});

function watched(real: Pkcs11Client, seen: { pins: Uint8Array[]; keks: Uint8Array[]; random: Uint8Array[] }): Pkcs11Client {
  return new Proxy(real, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        if (name === 'login') seen.pins.push(args[2] as Uint8Array);
        if (name === 'importKek') seen.keks.push((args[1] as { value: Uint8Array }).value);
        const result = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        if (name === 'random') seen.random.push(result as Uint8Array);
        return result;
      };
    },
  });
}

const zero = (bytes: Uint8Array) => bytes.length > 0 && bytes.every((b) => b === 0);

describe('secret buffers after a backup', () => {
  it('every PIN sent to the device host, the KEK copy imported into the token and the token’s random bytes are zero afterwards', async () => {
    const seen = { pins: [] as Uint8Array[], keks: [] as Uint8Array[], random: [] as Uint8Array[] };
    const dir = join(world.home, 'ceremonies', 'zeroed-1');
    await mkdir(join(world.home, 'ceremonies'), { recursive: true });
    const parameters = { tokenLabel: world.tokenA, keys: 'zero-aes', custodians: 2, threshold: 2 };
    const result = await runScript(backupScript(parameters), backupAnswers({ parameters, pins: world.pins }), {
      dir,
      rehearsal: true,
      services: { ...world.services, pkcs11: watched(world.context.pkcs11, seen) },
    });
    expect(result.reason).toBeUndefined();
    expect(result.status).toBe('completed');

    // the calls really carried bytes (a PIN as a string could not be zeroed), and they carried something
    expect(seen.pins.length).toBeGreaterThanOrEqual(2);
    expect(seen.pins.every((p) => p instanceof Uint8Array)).toBe(true);
    expect(seen.keks).toHaveLength(1);
    expect(seen.keks[0].length).toBe(32);
    expect(seen.random.length).toBeGreaterThanOrEqual(1);
    for (const pin of seen.pins) expect(zero(pin)).toBe(true);
    expect(zero(seen.keks[0])).toBe(true);
    for (const random of seen.random) expect(zero(random)).toBe(true);
    // and nothing of the ceremony is left in the vault
    expect(world.context.vault.size(result.ceremonyId)).toBe(0);
  }, 180_000);
});
