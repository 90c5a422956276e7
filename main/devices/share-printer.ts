import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

/** The shape main/ceremony/actions/backup/shares expects in ctx.services.sharePrinter. */
export interface SharePrinterService {
  printPdf(pdf: Uint8Array, about: { document: 'share-card'; ceremonyId: string; index: number }): Promise<void>;
}

/**
 * Share cards outside rehearsal go straight to the workstation's printer through CUPS (`lp`), the PDF passed on
 * standard input so Custodian never writes it to a file. (CUPS itself spools the job while it prints: on a ceremony
 * workstation, set the printer's spool to be cleared after printing — see the README.)
 */
export function cupsSharePrinter(options: { lpPath?: string; printer?: string } = {}): SharePrinterService | null {
  const lp = options.lpPath ?? ['/usr/bin/lp', '/usr/local/bin/lp'].find((p) => existsSync(p));
  if (!lp || !existsSync(lp)) return null;
  return {
    printPdf: (pdf, about) =>
      new Promise((resolve, reject) => {
        const args = [...(options.printer ? ['-d', options.printer] : []), '-t', `Custodian share card ${about.index} (${about.ceremonyId})`, '-'];
        const child = spawn(lp, args, { stdio: ['pipe', 'ignore', 'pipe'] });
        let err = '';
        child.stderr.on('data', (d) => (err += d));
        child.on('error', (e) => reject(Object.assign(new Error(`The printer could not be reached: ${e.message}`), { code: 'PrinterUnavailable' })));
        child.on('exit', (code) =>
          code === 0
            ? resolve()
            : reject(
                Object.assign(new Error(`The printer refused the share card (${err.trim() || `lp exited ${code}`}). Check the printer and retry the step.`), {
                  code: 'PrinterRefused',
                }),
              ),
        );
        child.stdin.end(Buffer.from(pdf));
      }),
  };
}
