// Child process for crash.test.ts: runs (or continues) the demo ceremony in CEREMONY_DIR and prints
// "ack <seq> <hash>" for every event once append has resolved (fsync'ed), "resume <step>" when it
// continues an existing ceremony, and "done <status>" at the end. The parent SIGKILLs it at random.
import { writeSync } from 'node:fs';
import { answersExample, getTemplate, runScript } from '../../../main/ceremony';

const dir = process.env.CEREMONY_DIR;
if (!dir) throw new Error('CEREMONY_DIR is not set');
const say = (line: string) => writeSync(1, line + '\n'); // synchronous: printed before the next event starts

const result = await runScript(getTemplate('dry-run-demo')!, answersExample('dry-run-demo')!, {
  dir,
  rehearsal: true,
  onAppended: (event) => say(`ack ${event.seq} ${event.hash}`),
  onResume: (stepId) => say(`resume ${stepId ?? '-'}`),
});
say(`done ${result.status} ${result.failedStep ?? ''}`);
