import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answersExample, getTemplate, runScript } from '../../../main/ceremony';
import { retiredLabel } from '../../../main/ceremony/actions/lifecycle';
import type { AppContext } from '../../../main/ipc/app-context';
import { verifyJournalFile } from '../../../main/journal';
import { listObjects, objectBlocks, opensslFingerprint, run as exec, runKeygen, servicesOf, startContext, tempDir } from '../keygen/harness';

// Rotation, inventory and destruction on the rehearsal SoftHSM2 token, checked with OpenSC's pkcs11-tool and openssl.

let context: AppContext;
let work = '';
let oldFingerprint = '';

function answersFor(name: string, parameters: Record<string, unknown>): string {
  const answers = parse(answersExample(name, parameters)!) as { steps: Record<string, { input?: { values: Record<string, unknown> } }> };
  answers.steps.login.input!.values.pin = context.rehearsal!.pins.user;
  return stringify(answers);
}

async function run(name: string, parameters: Record<string, unknown>) {
  const dir = join(work, `${name}-${Math.random().toString(36).slice(2, 8)}`);
  const result = await runScript(getTemplate(name, parameters as never)!.text, answersFor(name, parameters), {
    dir,
    rehearsal: true,
    services: servicesOf(context),
  });
  return { dir, result, outputs: join(dir, 'outputs'), journal: readFileSync(join(dir, 'journal.jsonl'), 'utf8') };
}

const tool = (...args: string[]) =>
  exec(
    'pkcs11-tool',
    ['--module', context.rehearsal!.modulePath, '--token-label', context.rehearsal!.tokenLabel, '--login', '--pin', context.rehearsal!.pins.user, ...args],
    {
      SOFTHSM2_CONF: context.rehearsal!.softhsmConf,
    },
  );

/**
 * A self-signed EC P-256 root made by the key-generation ceremony in work/<dir> (P-256 throughout this file: OpenSC
 * 0.23's pkcs11-tool cannot read back a P-384 public key, which inventory's check needs).
 */
async function makeSelfSignedRoot(dir: string, label: string, subject: string): Promise<void> {
  const made = await runKeygen(context, join(work, dir), { algorithm: 'EC-P256', label, subject, selfSigned: true });
  expect(made.status, JSON.stringify(made.reason)).toBe('completed');
}

beforeAll(async () => {
  context = await startContext();
  work = await tempDir('lifecycle');
  await makeSelfSignedRoot('old', 'old-root', 'CN=Old Root, O=Custodian Rehearsal');
  oldFingerprint = await opensslFingerprint(join(work, 'old', 'outputs', 'old-root.public-key.pem'));
}, 240_000);

afterAll(async () => {
  await context?.close();
});

describe('key-rotation', () => {
  it('makes the new key, and the retired old key refuses to sign once its CKA_SIGN is off', async () => {
    const { result, journal, dir, outputs } = await run('key-rotation', {
      oldLabel: 'old-root',
      oldFingerprint,
      algorithm: 'EC-P256',
      label: 'new-root',
      subject: 'CN=New Root, O=Custodian Rehearsal',
      selfSigned: true,
    });
    expect(result.status, JSON.stringify(result.reason)).toBe('completed');
    const retired = retiredLabel('old-root', new Date());
    const listing = await listObjects(context);
    expect(objectBlocks(listing, 'old-root')).toEqual([]);
    expect(objectBlocks(listing, retired)).toHaveLength(2);
    expect(objectBlocks(listing, 'new-root')).toHaveLength(2);
    // pkcs11-tool, independently: the retired private key may no longer sign.
    const retiredPrivate = objectBlocks(listing, retired).find((b) => b.startsWith('Private Key'))!;
    expect(retiredPrivate).toMatch(/Usage:\s+none/);
    // And the token refuses a signature with it, asked through the device host that changed it. (A second process's
    // SoftHSM2 may read the object file from before the change for a moment, so pkcs11-tool's own signing is not the
    // check here.)
    const session = await context.pkcs11.openSession(context.rehearsal!.modulePath, { label: context.rehearsal!.tokenLabel });
    await context.pkcs11.login(session.sessionKey, 'USER', new TextEncoder().encode(context.rehearsal!.pins.user));
    await expect(
      context.pkcs11.sign(session.sessionKey, { label: retired, class: 'privateKey' }, 'ECDSA-SHA256', new TextEncoder().encode('sign me')),
    ).rejects.toMatchObject({
      code: 'KeyFunctionNotPermitted',
    });
    await context.pkcs11.closeSession(session.sessionKey);
    // The new key's fingerprint, as openssl computes it, is in the journal the transcript is made from.
    const newFingerprint = await opensslFingerprint(join(outputs, 'new-root.public-key.pem'));
    expect(journal).toContain(newFingerprint);
    expect(journal).toContain(oldFingerprint);
    expect((await verifyJournalFile(join(dir, 'journal.jsonl'))).ok).toBe(true);
  });
});

describe('key-rotation of a CA root with a cross-certificate', () => {
  it('the old root key cross-signs the new root before it is retired: openssl verifies it under the old root, for the new root’s key', async () => {
    await makeSelfSignedRoot('cross-old', 'cross-old-root', 'CN=Cross Old Root, O=Custodian Rehearsal');
    const oldRootPem = join(work, 'cross-old', 'outputs', 'cross-old-root.root-certificate.pem');
    const { result, journal, outputs } = await run('key-rotation', {
      oldLabel: 'cross-old-root',
      algorithm: 'EC-P256',
      label: 'cross-new-root',
      subject: 'CN=Cross New Root, O=Custodian Rehearsal',
      selfSigned: true,
      crossSign: true,
      oldRootCertificate: oldRootPem,
      crossValidityDays: 730,
    });
    expect(result.status, JSON.stringify(result.reason)).toBe('completed');
    const cross = join(outputs, 'cross-certificate.pem');
    const openssl = (...args: string[]) => execFileSync('openssl', args, { encoding: 'utf8' });
    expect(openssl('verify', '-CAfile', oldRootPem, cross).trim()).toBe(`${cross}: OK`);
    const text = openssl('x509', '-in', cross, '-noout', '-text');
    expect(text).toMatch(/Issuer: CN\s*=\s*Cross Old Root/);
    expect(text).toMatch(/Subject: CN\s*=\s*Cross New Root/);
    expect(text).toMatch(/CA:TRUE, pathlen:1/);
    expect(text).toMatch(/Certificate Sign, CRL Sign/);
    const newRootPem = join(outputs, 'cross-new-root.root-certificate.pem');
    expect(openssl('x509', '-in', cross, '-noout', '-pubkey')).toBe(openssl('x509', '-in', newRootPem, '-noout', '-pubkey'));
    const hash = execFileSync('sh', ['-c', `openssl x509 -in ${cross} -outform DER | openssl dgst -sha256 -r`], { encoding: 'utf8' }).split(' ')[0];
    expect(journal).toContain(hash);
    // it was signed before the old key was retired: the retired key's label is on both halves now
    expect(objectBlocks(await listObjects(context), retiredLabel('cross-old-root', new Date()))).toHaveLength(2);
  });

  it('refuses to cross-sign without a new self-signed root, before the old key is retired', async () => {
    await makeSelfSignedRoot('cross-old-2', 'cross-old-2', 'CN=Cross Old 2, O=Custodian Rehearsal');
    const { result } = await run('key-rotation', {
      oldLabel: 'cross-old-2',
      algorithm: 'EC-P256',
      label: 'cross-new-2',
      crossSign: true,
      oldRootCertificate: join(work, 'cross-old-2', 'outputs', 'cross-old-2.root-certificate.pem'),
    });
    expect(result.status).not.toBe('completed');
    expect(result.failedStep).toBe('cross-sign');
    expect(objectBlocks(await listObjects(context), 'cross-old-2')).toHaveLength(2); // not retired
  });
});

describe('inventory', () => {
  it('lists every object pkcs11-tool lists, with fingerprints openssl agrees with', async () => {
    const { result, outputs } = await run('inventory', {});
    expect(result.status, JSON.stringify(result.reason)).toBe('completed');
    const inventory = JSON.parse(readFileSync(join(outputs, 'inventory.json'), 'utf8')) as {
      objects: { class: string; label: string; fingerprint: string | null }[];
    };
    const listing = await listObjects(context);
    const toolLabels = [...listing.matchAll(/^\s+label:\s+(.+)$/gm)].map((m) => m[1].trim()).sort();
    expect(inventory.objects.map((o) => o.label).sort()).toEqual(toolLabels);
    for (const o of inventory.objects.filter((x) => x.class === 'publicKey')) {
      const der = join(work, `${o.label}.der`);
      const read = await tool('--read-object', '--type', 'pubkey', '--label', o.label, '--output-file', der);
      expect(read.code, `${o.label}: ${read.stderr}`).toBe(0);
      const sha = execFileSync('sh', ['-c', `openssl pkey -pubin -inform DER -in '${der}' -outform DER | openssl dgst -sha256 -r`], { encoding: 'utf8' }).split(
        ' ',
      )[0];
      expect(o.fingerprint, o.label).toBe(sha);
    }
  });
});

describe('key-destruction', () => {
  it('refuses a key that does not exist and a fingerprint that differs, destroying nothing', async () => {
    const missing = await run('key-destruction', { label: 'no-such-key', destroyWithoutBackup: true });
    expect(missing.result.failedStep).toBe('identify');
    expect(missing.result.reason?.message).toMatch(/holds no key labelled “no-such-key”/);
    const wrong = await run('key-destruction', { label: 'new-root', fingerprint: '00'.repeat(32), destroyWithoutBackup: true });
    expect(wrong.result.failedStep).toBe('identify');
    expect(wrong.result.reason?.message).toMatch(/has the fingerprint [0-9a-f]{64}, not 0{64}/);
    expect(objectBlocks(await listObjects(context), 'new-root')).toHaveLength(2);
  });

  it('refuses without a verified backup unless the quorum destroys it without one', async () => {
    const refused = await run('key-destruction', { label: 'new-root', destroyWithoutBackup: false });
    expect(refused.result.failedStep).toBe('check-backup');
    expect(refused.result.reason?.message).toMatch(/No verified backup/);
  });

  it('destroys both halves; pkcs11-tool no longer lists them and the journal names them', async () => {
    const retired = retiredLabel('old-root', new Date());
    const { result, journal, outputs } = await run('key-destruction', { label: retired, fingerprint: oldFingerprint, destroyWithoutBackup: true });
    expect(result.status, JSON.stringify(result.reason)).toBe('completed');
    expect(objectBlocks(await listObjects(context), retired)).toEqual([]);
    expect(journal).toMatch(/Destroyed the privateKey/);
    expect(journal).toMatch(/Destroyed the publicKey/);
    expect(await opensslFingerprint(join(outputs, `${retired}.destroyed-public-key.pem`))).toBe(oldFingerprint);
  });
});
