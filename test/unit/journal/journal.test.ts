import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { useTempJournal } from '../../fixtures/temp-journal';
import { fromWords } from '../../../main/fingerprint';
import {
  Journal,
  JournalErrorCode,
  JournalEventType,
  runVerifyCommand,
  serialiseEvent,
  verifyJournal,
  verifyJournalFile,
  type JsonValue,
} from '../../../main/journal';

const temp = useTempJournal('journal');
let dir: string;
let path: string;
beforeEach(() => ({ dir, path } = temp));

const genesis = { scriptSha256: 'ab'.repeat(32), appVersion: '0.1.0-test', devices: [{ kind: 'pkcs11', label: 'Rehearsal' }] };

describe('Journal', () => {
  it('starts with the script hash, app version, host facts and devices', async () => {
    const journal = await Journal.create(path, genesis);
    await journal.release();
    const first = JSON.parse(readFileSync(path, 'utf8').split('\n')[0]);
    expect(first.type).toBe(JournalEventType.Opened);
    expect(first.data.scriptSha256).toBe(genesis.scriptSha256);
    expect(first.data.appVersion).toBe(genesis.appVersion);
    expect(first.data.devices).toEqual(genesis.devices);
    expect(first.data.host.hostname).toEqual(expect.any(String));
    expect(Array.isArray(first.data.host.interfacesUp)).toBe(true);
    expect(first.data.host.interfacesUp.every((i: { name: string }) => i.name !== 'lo')).toBe(true);
  });

  it('refuses to overwrite an existing journal', async () => {
    writeFileSync(path, 'precious');
    await expect(Journal.create(path, genesis)).rejects.toMatchObject({ code: JournalErrorCode.AlreadyExists });
    expect(readFileSync(path, 'utf8')).toBe('precious');
  });

  it('has each event on disk when append resolves, numbered in order even when appends overlap', async () => {
    const journal = await Journal.create(path, genesis);
    const appended = await Promise.all([1, 2, 3, 4].map((n) => journal.append('test.event', { n })));
    expect(appended.map((e) => e.seq)).toEqual([2, 3, 4, 5]);
    const onDisk = readFileSync(path, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(onDisk.map((e) => e.hash)).toEqual(journal.events.map((e) => e.hash));
    await journal.release();
  });

  it('refuses data with secret-looking keys and writes nothing', async () => {
    const journal = await Journal.create(path, genesis);
    const before = readFileSync(path);
    for (const data of <JsonValue[]>[
      { pin: '1234' },
      { soPin: 'x' },
      { nested: { user_password: 'x' } },
      { list: [{ share: 'abc' }] },
      { kek: '00' },
      { secretKey: 'k' },
    ]) {
      expect(() => journal.append('test.secret', data)).toThrow(expect.objectContaining({ code: JournalErrorCode.SecretField }));
    }
    expect(readFileSync(path)).toEqual(before);
    await journal.append('test.public', { shareCommitments: ['aa'], kekCheckValue: 'bb', pinCounters: { low: false }, shareIndex: 1 });
    await journal.release();
  });

  it('closes with a final event whose hash is the chain head, and cannot be reopened for writing', async () => {
    const journal = await Journal.create(path, genesis);
    await journal.append('test.event', { n: 1 });
    const last = await journal.close({ reason: 'completed' });
    expect(last.type).toBe(JournalEventType.Closed);
    const result = await verifyJournalFile(path, { requireClosed: true });
    expect(result).toMatchObject({ ok: true, head: last.hash, count: 3, closed: true });
    if (result.ok) expect(Buffer.from(fromWords(result.headWords)).toString('hex')).toBe(last.hash);
    await expect(Journal.open(path)).rejects.toMatchObject({ code: JournalErrorCode.Closed });
  });

  it('reports a torn last line, and on reopening records it as an event without deleting it', async () => {
    const journal = await Journal.create(path, genesis);
    await journal.append('test.event', { n: 1 });
    const head = journal.head;
    await journal.release();
    const unfinished = serialiseEvent({ seq: 3, time: '2025-01-01T00:00:00.000Z', type: 'test.event', data: { n: 2 }, prev: head, hash: 'c'.repeat(64) }).slice(
      0,
      40,
    );
    appendFileSync(path, unfinished);

    const torn = await verifyJournal(path);
    expect(torn).toMatchObject({ ok: false, kind: 'torn', tornTail: true, count: 2, head, firstBadSeq: 3 });

    const { journal: reopened, recoveredTail } = await Journal.open(path);
    expect(recoveredTail).toHaveLength(1);
    expect(recoveredTail[0].length).toBe(Buffer.byteLength(unfinished));
    expect(reopened.events.at(-1)?.type).toBe(JournalEventType.TailRecovered);
    await reopened.append('test.event', { n: 3 });
    await reopened.close();
    expect(readFileSync(path, 'utf8')).toContain(unfinished + '\n');
    expect(await verifyJournal(path, { requireClosed: true })).toMatchObject({ ok: true, count: 5 });
  });

  it('survives a second crash while recording the first one', async () => {
    const journal = await Journal.create(path, genesis);
    await journal.release();
    appendFileSync(path, '{"seq":2,"ti');
    appendFileSync(path, '\n{"seq":2,"time":"2025'); // the recovery write itself was cut short
    const { journal: reopened, recoveredTail } = await Journal.open(path);
    expect(recoveredTail).toHaveLength(2);
    await reopened.close();
    expect(await verifyJournal(path, { requireClosed: true })).toMatchObject({ ok: true });
  });

  it('refuses to append to a journal that was tampered with', async () => {
    const journal = await Journal.create(path, genesis);
    await journal.append('test.event', { amount: 100 });
    await journal.append('test.event', { amount: 200 });
    await journal.release();
    writeFileSync(path, readFileSync(path, 'utf8').replace('"amount":100', '"amount":900'));
    await expect(Journal.open(path)).rejects.toMatchObject({ code: JournalErrorCode.Corrupt });
    expect(await verifyJournal(path)).toMatchObject({ ok: false, kind: 'changed', firstBadSeq: 2 });
  });
});

describe('runVerifyCommand', () => {
  it('prints the chain head as hex and words and returns 0 for a good journal, 1 for a changed one', async () => {
    const journal = await Journal.create(path, genesis);
    const last = await journal.close();
    const lines: string[] = [];
    expect(runVerifyCommand(path, (l) => lines.push(l))).toBe(0);
    const output = lines.join('\n');
    expect(output).toContain(last.hash);
    const words = output
      .split('\n')
      .filter((l) => !/^\s*[0-9a-f ]+$/.test(l))
      .join(' ');
    expect(words).toContain('Chain head (words)');

    writeFileSync(path, readFileSync(path, 'utf8').replace('"appVersion":"0.1.0-test"', '"appVersion":"0.1.1-test"'));
    const failed: string[] = [];
    expect(runVerifyCommand(path, (l) => failed.push(l))).toBe(1);
    expect(failed.join('\n')).toMatch(/DAMAGED \(changed\)/);
    expect(runVerifyCommand(join(dir, 'missing.jsonl'), () => undefined)).toBe(4);
  });
});
