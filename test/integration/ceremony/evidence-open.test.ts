import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ceremony } from '../../../main/ceremony';
import type { AppContext } from '../../../main/ipc/app-context';
import { eventOrder, journalEvents } from '../../fixtures/evidence';
import { ceremonyServices, createCeremony, drive, resultOf, startAppContext, tempHome } from '../../fixtures/harness';

// Issue 24 item 1: the ceremony cannot close as completed while its copy or its print is unconfirmed, or the print
// was never made. The inventory template on the rehearsal SoftHSM2 token, driven step by step through the engine.

let context: AppContext;
let dataDir = '';

beforeAll(async () => {
  ({ context, dataDir } = await startAppContext('evidence-open'));
}, 120_000);

afterAll(async () => {
  await context?.close();
});

const typed = (medium: string) => ({
  login: { values: { pin: context.rehearsal!.pins.user } },
  export: { values: { destination: medium } },
});

describe('an inventory whose print is not confirmed', () => {
  it('stays open at check-print, refuses to go on without the administrator, and after a restart still waits for them', async () => {
    const medium = tempHome('evidence-medium');
    const { ceremony, answers } = await createCeremony(context, dataDir, 'inventory', {});
    const stopped = await drive(ceremony, answers, { inputs: typed(medium), stopBefore: 'check-print' });
    expect(stopped.view.status).toBe('open');
    expect(stopped.view.current?.id).toBe('check-print');
    // the print was made: the PDF is next to the journal
    const printed = resultOf(stopped.view, 'print-transcript') as { file: string };
    const dir = ceremony.dir;
    expect(existsSync(join(dir, printed.file))).toBe(true);

    // the step does not run unconfirmed, and the witness cannot confirm it for the administrator
    await expect(ceremony.runCurrentStep('check-print')).rejects.toMatchObject({ code: 'QuorumNotMet' });
    await expect(ceremony.confirm('check-print', 'witness-1')).rejects.toMatchObject({ code: 'NotInQuorum' });
    expect(ceremony.view().status).toBe('open');
    expect(ceremony.view().current?.id).toBe('check-print');
    await ceremony.release();

    // reopened (the workstation restarted): still open, still at check-print, nothing in the journal says completed
    const reopened = await Ceremony.open(dir, { services: ceremonyServices(context), rehearsal: true });
    try {
      expect(reopened.view().status).toBe('open');
      expect(reopened.view().current?.id).toBe('check-print');
      expect(eventOrder(journalEvents(dir)).filter((e) => e.startsWith('ceremony.'))).not.toContain('ceremony.completed:');

      // only the administrator's confirmation lets it go on and close as completed
      const done = await drive(reopened, answers, { inputs: typed(medium) });
      expect(done.view.status).toBe('completed');
      const order = eventOrder(journalEvents(dir));
      expect(order.indexOf('step.confirmed:check-print')).toBeGreaterThan(order.indexOf('step.completed:print-transcript'));
      expect(order.indexOf('ceremony.completed:')).toBeGreaterThan(order.indexOf('step.completed:check-print'));
    } finally {
      await reopened.release();
    }
  }, 240_000);

  it('is not completed when the workstation cannot print: the print step fails, and no PDF is claimed', async () => {
    const medium = tempHome('evidence-medium-no-printer');
    const services = { ...ceremonyServices(context), pdfPrinter: undefined };
    const { ceremony, answers } = await createCeremony(context, dataDir, 'inventory', {}, { services });
    try {
      const { view } = await drive(ceremony, answers, { inputs: typed(medium) });
      expect(view.status).toBe('open');
      expect(view.current?.id).toBe('print-transcript');
      expect(view.current?.status).toBe('failed');
      expect(JSON.stringify(view.current)).toContain('cannot print documents');
      const order = eventOrder(journalEvents(ceremony.dir));
      expect(order).toContain('step.failed:print-transcript');
      expect(order).not.toContain('step.completed:print-transcript');
      expect(order).not.toContain('ceremony.completed:');
    } finally {
      await ceremony.release();
    }
  }, 240_000);
});
