import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../../main/ipc/app-context';
import { ensureRehearsalToken } from '../../../main/devices/rehearsal';
import { verifyJournalFile } from '../../../main/journal';
import { expectCopiedAndPrinted } from '../../fixtures/evidence';
import { runCli } from '../../fixtures/harness';
import { answers, opensslFingerprint, opensslVerifiesCsr, opensslVerifiesRoot, runKeygen, startContext, tempDir } from './harness';

function cli(args: string[], home: string) {
  return runCli(args, { CUSTODIAN_HOME: home });
}

const ROOT_PARAMETERS = {
  algorithm: 'EC-P384',
  label: 'cli-root',
  subject: 'CN=Custodian CLI Root, O=Custodian Test',
  validityYears: 25,
  csr: true,
  selfSigned: true,
};

describe('custodian run of the key-generation template (rehearsal)', () => {
  it('gives the same kinds of outputs as the UI and a journal that verifies', async () => {
    const home = await tempDir('cli-home');
    // The rehearsal token the CLI will use, made first so the test knows its user PIN.
    const rehearsal = await ensureRehearsalToken(home);
    const work = await tempDir('cli-work');
    const template = await cli(['template', 'key-generation'], home);
    expect(template.status, template.stderr).toBe(0);
    writeFileSync(join(work, 'key-generation.yaml'), template.stdout);
    const media = await tempDir('cli-media');
    const answersText = answers(ROOT_PARAMETERS, rehearsal.pins.user);
    expect(answersText).toContain('destination: /tmp\n');
    writeFileSync(join(work, 'answers.yaml'), answersText.replace('destination: /tmp\n', `destination: '${media}'\n`));

    const out = join(work, 'ceremony');
    const run = await cli(['run', join(work, 'key-generation.yaml'), '--answers', join(work, 'answers.yaml'), '--rehearsal', '--out', out], home);
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toMatch(/: completed/);

    const outputs = join(out, 'outputs');
    expect(readdirSync(outputs).sort()).toEqual(['cli-root.csr.pem', 'cli-root.public-key.pem', 'cli-root.root-certificate.pem']);
    expect(await opensslVerifiesRoot(join(outputs, 'cli-root.root-certificate.pem'))).toBe(true);
    expect(await opensslVerifiesCsr(join(outputs, 'cli-root.csr.pem'))).toBe(true);
    const verified = await verifyJournalFile(join(out, 'journal.jsonl'));
    expect(verified.ok).toBe(true);
    const verify = await cli(['verify', join(out, 'journal.jsonl')], home);
    expect(verify.status, verify.stderr).toBe(0);
    const journal = readFileSync(join(out, 'journal.jsonl'), 'utf8');
    expect(journal).toContain(await opensslFingerprint(join(outputs, 'cli-root.public-key.pem')));
    expect(journal).not.toContain(rehearsal.pins.user);
    expect(statSync(join(out, 'transcript.pdf')).size).toBeGreaterThan(1000);

    // the copy step: every output on the medium, each hash journaled equal to sha256sum's, and printed in the transcript;
    // the print step's PDF as journaled, confirmed by the administrator before the ceremony completed
    const copied = expectCopiedAndPrinted(out, media);
    expect(copied.map((f) => f.name)).toEqual(readdirSync(outputs).sort());
  });

  it('refuses to read the PIN from an answers file without --rehearsal', async () => {
    const home = await tempDir('cli-real');
    const rehearsal = await ensureRehearsalToken(home);
    const work = await tempDir('cli-real-work');
    writeFileSync(join(work, 'key-generation.yaml'), (await cli(['template', 'key-generation'], home)).stdout);
    writeFileSync(join(work, 'answers.yaml'), answers(ROOT_PARAMETERS, rehearsal.pins.user));
    const run = await cli(['run', join(work, 'key-generation.yaml'), '--answers', join(work, 'answers.yaml'), '--out', join(work, 'c')], home);
    expect(run.status).not.toBe(0);
    expect(`${run.stdout}${run.stderr}`).toMatch(/only in a rehearsal/);
  });
});

describe('exporting the outputs to removable media', () => {
  let context: AppContext;
  beforeAll(async () => {
    context = await startContext();
  });
  afterAll(async () => {
    await context?.close();
  });

  it('copies the outputs and the journal to the chosen folder, and a second export overwrites nothing there', async () => {
    const id = 'key-generation-export-test';
    const dir = context.ceremonies.dirOf(id);
    const result = await runKeygen(context, dir, { ...ROOT_PARAMETERS, label: 'exported-root', validityYears: 5 });
    expect(result.status, JSON.stringify(result.reason)).toBe('completed');
    const media = await tempDir('media');
    const first = await context.ceremonies.exportOutputs(id, media);
    const exported = join(media, id);
    expect(first.destination).toBe(exported);
    for (const name of readdirSync(join(dir, 'outputs'))) {
      expect(readFileSync(join(exported, 'outputs', name))).toEqual(readFileSync(join(dir, 'outputs', name)));
    }
    expect(readFileSync(join(exported, 'journal.jsonl'))).toEqual(readFileSync(join(dir, 'journal.jsonl')));
    const certificate = join(exported, 'outputs', 'exported-root.root-certificate.pem');
    writeFileSync(certificate, 'a file on the stick that must survive\n');
    await expect(context.ceremonies.exportOutputs(id, media)).rejects.toMatchObject({ code: 'ExportExists' });
    expect(readFileSync(certificate, 'utf8')).toBe('a file on the stick that must survive\n');
  });
});
