import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../../main/ipc/app-context';
import { verifyJournalFile } from '../../../main/journal';
import { listObjects, objectBlocks, opensslFingerprint, opensslVerifiesCsr, opensslVerifiesRoot, runKeygen, startContext, tempDir } from './harness';

let context: AppContext;
beforeAll(async () => {
  context = await startContext();
});
afterAll(async () => {
  await context?.close();
});

type StepResult = { stepId: string; result: Record<string, unknown> };

async function journalOf(dir: string) {
  const verified = await verifyJournalFile(join(dir, 'journal.jsonl'));
  if (!verified.ok) throw new Error('journal does not verify');
  return verified.events;
}

function resultOf(events: Awaited<ReturnType<typeof journalOf>>, stepId: string): Record<string, unknown> {
  const event = events.filter((e) => e.type === 'step.completed' && (e.data as StepResult).stepId === stepId).at(-1);
  if (!event) throw new Error(`step ${stepId} did not complete`);
  return (event.data as StepResult).result;
}

describe('key-generation ceremony on SoftHSM2 (runScript, real device host)', () => {
  it('makes an EC P-256 root: CSR and self-signed certificate verify with openssl, the key is sensitive and never extractable', async () => {
    const dir = await tempDir('p256');
    const result = await runKeygen(context, dir, {
      algorithm: 'EC-P256',
      label: 'root-p256',
      subject: 'CN=Test Root P-256, O=Custodian Test, C=NL',
      validityYears: 10,
      csr: true,
      selfSigned: true,
    });
    expect(result.reason?.message ?? '', JSON.stringify(result)).toBe('');
    expect(result.status).toBe('completed');

    const outputs = join(dir, 'outputs');
    expect((await readdir(outputs)).sort()).toEqual(['root-p256.csr.pem', 'root-p256.public-key.pem', 'root-p256.root-certificate.pem']);
    expect(await opensslVerifiesRoot(join(outputs, 'root-p256.root-certificate.pem'))).toBe(true);
    expect(await opensslVerifiesCsr(join(outputs, 'root-p256.csr.pem'))).toBe(true);

    const events = await journalOf(dir);
    const readBack = resultOf(events, 'read-back');
    expect(readBack.fingerprint).toBe(await opensslFingerprint(join(outputs, 'root-p256.public-key.pem')));
    expect(readBack.policyHolds).toBe(true);
    expect(String(readBack.fingerprintWords).split(' ')).toHaveLength(24);
    const certificate = resultOf(events, 'certify').certificate as Record<string, unknown>;
    const years = (Date.parse(String(certificate.notAfter)) - Date.parse(String(certificate.notBefore))) / (365.25 * 86400_000);
    expect(Math.round(years)).toBe(10);

    const blocks = objectBlocks(await listObjects(context), 'root-p256');
    const privateKey = blocks.find((b) => b.startsWith('Private Key Object'));
    expect(privateKey, blocks.join('\n')).toMatch(/^Private Key Object[\s\S]*\blabel:\s+root-p256\s*$/m);
    expect(privateKey).toMatch(/Access:.*\bsensitive\b/);
    expect(privateKey).toMatch(/Access:.*never extractable/);
    expect(blocks.filter((b) => b.startsWith('Public Key Object'))).toHaveLength(1);

    // the print step made the transcript (its file's SHA-256 journaled); only the administrator's confirmation after it let the ceremony complete
    const printed = resultOf(events, 'print-transcript') as { file: string; sha256: string; pages: number; eventCount: number; chainHead: string };
    const pdf = await readFile(join(dir, printed.file));
    expect(createHash('sha256').update(pdf).digest('hex')).toBe(printed.sha256);
    expect(printed.pages).toBeGreaterThan(0);
    expect(printed.chainHead).toBe(events[printed.eventCount - 1].hash);
    const order = events.map((e) => `${e.type}:${String((e.data as { stepId?: string } | null)?.stepId ?? '')}`);
    expect(order.indexOf('step.completed:print-transcript')).toBeLessThan(order.indexOf('step.confirmed:check-print'));
    expect(order.indexOf('step.confirmed:check-print')).toBeLessThan(order.indexOf('ceremony.completed:'));
  });

  it('makes an AES-256 backup-able secret key: no public key, no certificate, and the attributes read back match the policy', async () => {
    const dir = await tempDir('aes');
    const result = await runKeygen(context, dir, { algorithm: 'AES-256', policy: 'backupable', label: 'data-key', id: 'a1b2c3d4' });
    expect(result.status, JSON.stringify(result.reason)).toBe('completed');
    const events = await journalOf(dir);
    const readBack = resultOf(events, 'read-back');
    expect(readBack.id).toBe('a1b2c3d4');
    expect(readBack.attributes).toMatchObject({ CKA_SENSITIVE: true, CKA_EXTRACTABLE: true, CKA_WRAP_WITH_TRUSTED: true, CKA_LOCAL: true });
    expect(await readdir(join(dir, 'outputs'))).toEqual([]);
    // nothing leaves the token, so the copy step says so (and writes nothing) for the witness to confirm
    expect(resultOf(events, 'export')).toMatchObject({ fileCount: 0, files: [] });
    expect(String(resultOf(events, 'check-copy').shown)).toMatch(/^Nothing to copy/);
    const secret = objectBlocks(await listObjects(context), 'data-key');
    expect(secret).toHaveLength(1);
    expect(secret[0]).toMatch(/^Secret Key Object; AES length 32/);
  });
});
