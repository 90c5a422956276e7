// The CLI's printer (main/hosts/cli/printer.ts): the browser host's Chromium printer, loaded at the first document.
import { describe, expect, it } from 'vitest';
import type { PdfPrinter } from '../../../main/transcript';
import { cliChromiumPrinter } from '../../../main/hosts/cli/printer';

const request: Parameters<PdfPrinter['printPdf']>[0] = {
  html: '<p>x</p>',
  paper: 'A4',
  headerTemplate: '',
  footerTemplate: '',
  margin: { top: '1cm', bottom: '1cm', left: '1cm', right: '1cm' },
};

describe('the CLI printer', () => {
  it('refuses an endpoint off this machine at the first print, saying why, and keeps refusing', async () => {
    const printer = cliChromiumPrinter({ connectTo: 'ws://10.0.0.5:40123/abc' });
    await expect(printer.printPdf(request)).rejects.toThrow(/CUSTODIAN_CHROMIUM_ENDPOINT must be a ws:\/\/ address on this machine/);
    await expect(printer.printPdf(request)).rejects.toThrow(/must be a ws:\/\/ address/);
    await printer.close();
  });

  it('closed before it printed anything: nothing was started, and it prints no more', async () => {
    const printer = cliChromiumPrinter();
    await printer.close();
    await expect(printer.printPdf(request)).rejects.toThrow('This printer was closed.');
  });
});
