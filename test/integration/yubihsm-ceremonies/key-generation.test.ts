import { execFile } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ALGORITHM, CAPABILITY, OBJECT, ORIGIN, capabilitySet } from '../../../native/yubihsm';
import type { AppContext } from '../../../main/ipc/app-context';
import { REHEARSAL_PASSWORDS } from '../../fixtures/templates/answers';
import { createCeremony, drive, journalOf, objectsSeenBy, resultOf, freshDevice, runSetup, useContextAndDevice } from './helpers';
import { restartHost } from '../../fixtures/harness';

// yubihsm-key-generation through the real engine and device host, natively (no vendor module): on the device host's
// own rehearsal simulator (EC P-256) and on a fresh simulator served over the connector protocol (RSA-2048). What
// Custodian says is checked with openssl and a YubiHSM client of the test's own.

const exec = promisify(execFile);

async function openssl(args: string[]): Promise<{ ok: boolean; out: string }> {
  try {
    const { stdout, stderr } = await exec('openssl', args);
    return { ok: true, out: stdout + stderr };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    return { ok: false, out: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
}

const PEM = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n/g;

async function runKeygen(context: AppContext, dataDir: string, parameters: Record<string, string | number | boolean>, password?: string) {
  const { ceremony, answers } = await createCeremony(context, dataDir, 'yubihsm-key-generation', parameters);
  const done = await drive(ceremony, answers, password ? { inputs: { login: { values: { password } } } } : {});
  return { ...done, outputs: join(ceremony.dir, 'outputs') };
}

describe('yubihsm-key-generation', () => {
  const world = useContextAndDevice('yubihsm-keygen');

  it('makes an EC P-256 root on the rehearsal simulator: the root and the attestation verify with openssl', async () => {
    const { context, dataDir } = world;
    const done = await runKeygen(context, dataDir, {
      algorithm: 'EC-P256',
      label: 'root-p256',
      subject: 'CN=Rehearsal Root P-256, O=Custodian Tests',
      csr: true,
      selfSigned: true,
      domains: '1,2',
    });
    expect(done.view.current?.failure ?? null).toBeNull();
    expect(done.view.status).toBe('completed');
    const out = done.outputs;
    expect(readdirSync(out).sort()).toEqual([
      'root-p256.attestation-chain.pem',
      'root-p256.attestation.pem',
      'root-p256.csr.pem',
      'root-p256.public-key.pem',
      'root-p256.root-certificate.pem',
    ]);
    const root = join(out, 'root-p256.root-certificate.pem');
    expect((await openssl(['verify', '-CAfile', root, root])).out).toContain('OK');
    expect((await openssl(['req', '-verify', '-noout', '-in', join(out, 'root-p256.csr.pem')])).out).toMatch(/verif(y OK|ication OK)/i);

    // The attestation: attestation → device certificate → simulated Yubico root, as openssl sees it.
    const [deviceCert, simulatedRoot] = readFileSync(join(out, 'root-p256.attestation-chain.pem'), 'utf8').match(PEM)!;
    writeFileSync(join(dataDir, 'device.pem'), deviceCert);
    writeFileSync(join(dataDir, 'sim-root.pem'), simulatedRoot);
    const attestation = join(out, 'root-p256.attestation.pem');
    const verified = await openssl(['verify', '-CAfile', join(dataDir, 'sim-root.pem'), '-untrusted', join(dataDir, 'device.pem'), attestation]);
    expect(verified.out).toContain(': OK');
    expect(simulatedRoot).not.toBe(deviceCert);
    // …and its public key is the generated key's.
    const attestedKey = await openssl(['x509', '-in', attestation, '-pubkey', '-noout']);
    expect(attestedKey.out.trim()).toBe(readFileSync(join(out, 'root-p256.public-key.pem'), 'utf8').trim());
    const text = (await openssl(['x509', '-in', attestation, '-noout', '-text'])).out;
    expect(text).toContain('YubiHSM Attestation id:0x');
    expect(text).toContain('1.3.6.1.4.1.41482.4.2');

    const attest = resultOf(done.view, 'attest');
    expect(attest.attestedOrigin).toBe('generated');
    expect(String(attest.summary)).toContain('every signature verified');
    expect(resultOf(done.view, 'read-back').fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });

  it('makes an RSA-2048 key on a YubiHSM behind a connector, backupable, in domain 3, and attests it against the device chain', async () => {
    const { context, dataDir, device } = world;
    const rootsFile = await rootsFileOf(device, dataDir);
    const done = await runKeygen(context, dataDir, {
      device: device.url,
      algorithm: 'RSA-2048',
      policy: 'backupable',
      label: 'rsa-root',
      keyId: 0x0123,
      domains: '3',
      attestationRoots: rootsFile,
      subject: 'CN=Connector Root RSA, O=Custodian Tests',
      selfSigned: true,
    });
    expect(done.view.current?.failure ?? null).toBeNull();
    expect(done.view.status).toBe('completed');
    const out = done.outputs;
    const root = join(out, 'rsa-root.root-certificate.pem');
    expect((await openssl(['verify', '-CAfile', root, root])).out).toContain('OK');
    const attestation = join(out, 'rsa-root.attestation.pem');
    const [deviceCert] = readFileSync(join(out, 'rsa-root.attestation-chain.pem'), 'utf8').match(PEM)!;
    writeFileSync(join(dataDir, 'connector-device.pem'), deviceCert);
    expect((await openssl(['verify', '-CAfile', rootsFile, '-untrusted', join(dataDir, 'connector-device.pem'), attestation])).out).toContain(': OK');
    const attestedKey = await openssl(['x509', '-in', attestation, '-pubkey', '-noout']);
    expect(attestedKey.out.trim()).toBe(readFileSync(join(out, 'rsa-root.public-key.pem'), 'utf8').trim());

    // The device holds what the policy says, seen by the test's own client.
    const key = (await objectsSeenBy(device.client, 1, 'password')).find((o) => o.type === OBJECT.ASYMMETRIC_KEY)!;
    expect(key).toMatchObject({ id: 0x0123, label: 'rsa-root', domains: 0b100, algorithm: ALGORITHM.RSA_2048, origin: ORIGIN.GENERATED });
    expect(key.capabilities).toBe(capabilitySet(CAPABILITY.SIGN_PKCS, CAPABILITY.SIGN_PSS, CAPABILITY.EXPORTABLE_UNDER_WRAP));
  });

  it('refuses at preflight, before anything is made, a label too long for the device and one already in use', async () => {
    const { context, dataDir, device } = world;
    const noRoots = await runKeygen(context, dataDir, { device: device.url, algorithm: 'EC-P256', label: 'no-roots' });
    expect(noRoots.view.current?.id).toBe('preflight');
    expect(noRoots.view.current?.failure?.message).toContain('"attestationRoots" must name the PEM file');
    const tooLong = await runKeygen(context, dataDir, { device: device.url, algorithm: 'EC-P256', label: 'x'.repeat(41) });
    expect(tooLong.view.current?.id).toBe('preflight');
    expect(tooLong.view.current?.failure?.message).toContain('at most 40 bytes');

    const s = await device.client.openSession(1, 'password', { keepAliveMs: 0 });
    await s.generateAsymmetricKey({ id: 0, label: 'taken', domains: 1, capabilities: 0n, algorithm: ALGORITHM.EC_P256 });
    await s.close();
    const roots = await rootsFileOf(device, dataDir);
    const taken = await runKeygen(context, dataDir, { device: device.url, algorithm: 'EC-P256', label: 'taken', attestationRoots: roots });
    expect(taken.view.current?.id).toBe('preflight');
    expect(taken.view.current?.failure?.message).toContain('already labelled “taken”');
    expect((await objectsSeenBy(device.client, 1, 'password')).filter((o) => o.type === OBJECT.ASYMMETRIC_KEY)).toHaveLength(1);
  });

  it('after the device host restarts between generate and read-back, the retry takes the password again and finishes', async () => {
    const { context, dataDir, device } = world;
    const { ceremony, answers } = await createCeremony(context, dataDir, 'yubihsm-key-generation', {
      device: device.url,
      algorithm: 'EC-P256',
      label: 'survivor',
      attestationRoots: await rootsFileOf(device, dataDir),
    });
    const first = await drive(ceremony, answers, { stopBefore: 'read-back' });
    expect(first.view.current?.failure ?? null).toBeNull();
    expect(first.view.current?.id).toBe('read-back');
    await restartHost(context);
    const failed = await drive(ceremony, answers);
    expect(failed.view.current?.id).toBe('read-back');
    expect(failed.view.current?.failure?.message).toContain('password of the authentication key typed again');
    await ceremony.retry('read-back', 'the device host restarted');
    await ceremony.provideInput('read-back', 'administrator', { password: 'password' });
    const done = await drive(ceremony, answers);
    expect(done.view.current?.failure ?? null).toBeNull();
    expect(done.view.status).toBe('completed');
    expect(journalOf(ceremony.dir)).toContain('A new YubiHSM session was opened with authentication key 1');
    const keys = (await objectsSeenBy(device.client, 1, 'password')).filter((o) => o.type === OBJECT.ASYMMETRIC_KEY);
    expect(keys.map((k) => k.label)).toEqual(['survivor']);
  });

  it('runs on a device set up by yubihsm-setup, with the operator key: its rights are enough and no more is given', async () => {
    const { context, dataDir, device } = world;
    const setup = await runSetup(context, dataDir, { device: device.url, custodians: 2, threshold: 2 });
    expect(setup.view.status).toBe('completed');
    const done = await runKeygen(
      context,
      dataDir,
      {
        device: device.url,
        authKeyId: 3,
        algorithm: 'EC-P384',
        label: 'signing-p384',
        policy: 'backupable',
        attestationRoots: await rootsFileOf(device, dataDir),
      },
      REHEARSAL_PASSWORDS.operator,
    );
    expect(done.view.current?.failure ?? null).toBeNull();
    expect(done.view.status).toBe('completed');
    expect(resultOf(done.view, 'certify').made).toBe('nothing');
    const key = (await objectsSeenBy(device.client, 3, REHEARSAL_PASSWORDS.operator)).find((o) => o.type === OBJECT.ASYMMETRIC_KEY)!;
    expect(key).toMatchObject({ label: 'signing-p384', algorithm: ALGORITHM.EC_P384, domains: 1, origin: ORIGIN.GENERATED });
    expect(key.capabilities).toBe(capabilitySet(CAPABILITY.SIGN_ECDSA, CAPABILITY.EXPORTABLE_UNDER_WRAP));

    // A key outside the operator key's domains is refused at preflight, before anything is made.
    const outside = await runKeygen(
      context,
      dataDir,
      { device: device.url, authKeyId: 3, algorithm: 'EC-P256', label: 'elsewhere', domains: '2', attestationRoots: await rootsFileOf(device, dataDir) },
      REHEARSAL_PASSWORDS.operator,
    );
    expect(outside.view.current?.id).toBe('preflight');
    expect(outside.view.current?.failure?.message).toContain('works in domains [1] only');
  });
});

async function rootsFileOf(device: Awaited<ReturnType<typeof freshDevice>>, dir: string): Promise<string> {
  const file = join(dir, `roots-${device.server.simulator.serial}.pem`);
  const der = Buffer.from(device.server.simulator.attestationRootCertificate());
  writeFileSync(
    file,
    `-----BEGIN CERTIFICATE-----\n${der
      .toString('base64')
      .match(/.{1,64}/g)!
      .join('\n')}\n-----END CERTIFICATE-----\n`,
  );
  return file;
}
