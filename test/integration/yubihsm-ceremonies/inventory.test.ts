import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../../main/ipc/app-context';
import { REHEARSAL_PASSWORDS } from '../../fixtures/templates/answers';
import { createCeremony, drive, freshDevice, makeContext, resultOf, setUpDirectly } from './helpers';

// yubihsm-inventory on the device host's rehearsal simulator, natively: two keys made by yubihsm-key-generation are
// listed with the fingerprints openssl computes from their public keys, the device's attestation of each verifies
// with openssl against the device chain, and the audit log is verified from the anchor the previous inventory printed.

const exec = promisify(execFile);
const PEM = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n/g;

async function sh(command: string): Promise<string> {
  return (await exec('sh', ['-c', command])).stdout;
}

interface InventoryFile {
  serial: number;
  objects: Array<{ id: number; type: string; label: string; publicKeySha256?: string; keyKind?: string; attestation?: { status: string; file?: string } }>;
}

describe('yubihsm-inventory', () => {
  let context: AppContext;
  let dataDir: string;
  const made: Record<string, { outputs: string; keyId: number }> = {};

  beforeAll(async () => {
    ({ context, dataDir } = await makeContext('yubihsm-inventory'));
    for (const [label, algorithm] of [
      ['inv-p256', 'EC-P256'],
      ['inv-rsa', 'RSA-2048'],
    ]) {
      const { ceremony, answers } = await createCeremony(context, dataDir, 'yubihsm-key-generation', { algorithm, label });
      const done = await drive(ceremony, answers);
      expect(done.view.status, JSON.stringify(done.view.current?.failure)).toBe('completed');
      made[label] = { outputs: join(ceremony.dir, 'outputs'), keyId: Number(resultOf(done.view, 'generate').keyId) };
    }
  }, 300_000);
  afterAll(async () => {
    await context.close();
  });

  async function inventory(parameters: Record<string, string | number | boolean> = {}) {
    const { ceremony, answers } = await createCeremony(context, dataDir, 'yubihsm-inventory', parameters);
    const done = await drive(ceremony, answers);
    return { done, outputs: join(ceremony.dir, 'outputs') };
  }

  it('lists every key with openssl’s fingerprint, and each attestation verifies with openssl against the device chain', async () => {
    const { done, outputs } = await inventory();
    expect(done.view.status, JSON.stringify(done.view.current?.failure)).toBe('completed');
    const result = resultOf(done.view, 'inventory');
    const file = JSON.parse(readFileSync(join(outputs, String(result.file)), 'utf8')) as InventoryFile;
    // the factory authentication key is there too: the inventory is of everything, not only keys
    expect(file.objects.some((o) => o.type === 'authentication-key' && o.id === 1)).toBe(true);
    const [deviceCert, simulatedRoot] = readFileSync(join(made['inv-p256'].outputs, 'inv-p256.attestation-chain.pem'), 'utf8').match(PEM)!;
    writeFileSync(join(dataDir, 'inv-device.pem'), deviceCert);
    writeFileSync(join(dataDir, 'inv-root.pem'), simulatedRoot);
    for (const [label, { outputs: keyOutputs, keyId }] of Object.entries(made)) {
      const listed = file.objects.find((o) => o.type === 'asymmetric-key' && o.id === keyId)!;
      expect(listed, label).toMatchObject({ type: 'asymmetric-key', id: keyId, label });
      const fingerprint = (await sh(`openssl pkey -pubin -in '${join(keyOutputs, `${label}.public-key.pem`)}' -outform DER | openssl dgst -sha256 -r`)).split(
        ' ',
      )[0];
      expect(listed.publicKeySha256).toBe(fingerprint);
      expect(listed.keyKind).toBe(label === 'inv-rsa' ? 'RSA 2048' : 'EC P-256');
      expect(listed.attestation?.status).toBe('verified');
      const attestation = join(outputs, listed.attestation!.file!);
      const verified = await sh(`openssl verify -CAfile '${join(dataDir, 'inv-root.pem')}' -untrusted '${join(dataDir, 'inv-device.pem')}' '${attestation}'`);
      expect(verified.trim()).toBe(`${attestation}: OK`);
      // the attested public key is the key's own
      const attested = (await sh(`openssl x509 -in '${attestation}' -noout -pubkey | openssl pkey -pubin -outform DER | openssl dgst -sha256 -r`)).split(
        ' ',
      )[0];
      expect(attested).toBe(fingerprint);
    }
    // the transcript's step result names every key by its fingerprint
    for (const o of file.objects.filter((x) => x.publicKeySha256)) expect(String(result.summary)).toContain(o.publicKeySha256!.slice(0, 4));
  });

  it('on a set-up device behind its connector (a real ceremony), verifies the audit log from the anchor setup printed, and refuses one the log does not continue from', async () => {
    const device = await freshDevice();
    try {
      const anchor = await setUpDirectly(device.client, REHEARSAL_PASSWORDS);
      const onDevice = async (parameters: Record<string, string | number | boolean>) => {
        const { ceremony, answers } = await createCeremony(context, dataDir, 'yubihsm-inventory', { device: device.url, authKeyId: 4, ...parameters });
        return (await drive(ceremony, answers, { inputs: { login: { values: { password: REHEARSAL_PASSWORDS.auditor } } } })).view;
      };
      const view = await onDevice({ anchor });
      expect(view.status, JSON.stringify(view.current?.failure)).toBe('completed');
      expect(view.mode).toBe('real');
      const audit = resultOf(view, 'verify-audit-log');
      expect(audit.verifiedFrom).toBe(anchor);
      expect(Number(audit.entriesVerified)).toBeGreaterThan(0); // this ceremony's own session, at least
      expect(Number(resultOf(view, 'inventory').count)).toBe(3); // admin, operator and auditor keys; the factory key is gone

      const [number] = anchor.split(':');
      const forged = await onDevice({ anchor: `${number}:${'0'.repeat(32)}` });
      expect(forged.current?.id).toBe('verify-audit-log');
      expect(forged.current?.failure?.message).toMatch(/does not continue from the anchor recorded last time/);
    } finally {
      await device.close();
    }
  });
});
