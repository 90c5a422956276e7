import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cupsSharePrinter } from '../../../main/devices/share-printer';

/** A stand-in for CUPS' lp that records its arguments and what it read on standard input. */
function fakeLp(exitCode = 0): { path: string; log: string } {
  const dir = mkdtempSync(join(tmpdir(), 'fake-lp-'));
  const log = join(dir, 'log');
  const path = join(dir, 'lp');
  writeFileSync(path, `#!/bin/sh\necho "$@" > ${log}\ncat | wc -c >> ${log}\n${exitCode ? `echo "lp: printer on fire" >&2; exit ${exitCode}` : 'exit 0'}\n`);
  chmodSync(path, 0o755);
  return { path, log };
}

describe('share cards outside rehearsal go to CUPS on standard input', () => {
  it('sends the PDF to lp with a job title and the chosen printer, writing no file of its own', async () => {
    const lp = fakeLp();
    const printer = cupsSharePrinter({ lpPath: lp.path, printer: 'vault-printer' })!;
    await printer.printPdf(new Uint8Array(1234), { document: 'share-card', ceremonyId: 'backup-1', index: 3 });
    const [args, bytes] = readFileSync(lp.log, 'utf8').trim().split('\n');
    expect(args).toBe('-d vault-printer -t Custodian share card 3 (backup-1) -');
    expect(Number(bytes)).toBe(1234);
  });

  it('turns a refusal into a sentence with what lp said', async () => {
    const printer = cupsSharePrinter({ lpPath: fakeLp(1).path })!;
    await expect(printer.printPdf(new Uint8Array(10), { document: 'share-card', ceremonyId: 'c', index: 1 })).rejects.toMatchObject({
      code: 'PrinterRefused',
      message: expect.stringContaining('printer on fire'),
    });
  });

  it('is absent when there is no lp', () => {
    expect(cupsSharePrinter({ lpPath: '/nonexistent/lp' })).toBeNull();
  });
});
