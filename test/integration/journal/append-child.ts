// Child for kill.test.ts: opens (or creates) JOURNAL_PATH and appends events with large data as fast as
// it can, printing "ack <seq> <hash>" once each append has resolved. Large lines make torn writes likelier.
import { existsSync, writeSync } from 'node:fs';
import { Journal } from '../../../main/journal';

const path = process.env.JOURNAL_PATH!;
const journal = existsSync(path)
  ? (await Journal.open(path, { onAppended: (e) => writeSync(1, `ack ${e.seq} ${e.hash}\n`) })).journal
  : await Journal.create(path, {
      scriptSha256: '0'.repeat(64),
      appVersion: 'kill-test',
      devices: [],
      onAppended: (e) => writeSync(1, `ack ${e.seq} ${e.hash}\n`),
    });
const filler = 'x'.repeat(200_000);
for (let n = 0; ; n++) await journal.append('test.event', { n, filler });
