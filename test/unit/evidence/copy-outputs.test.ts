import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Ceremony, JOURNAL_FILE, parseScript, type CeremonyView } from '../../../main/ceremony';

// outputs.copy through the real engine: a demo card is printed into outputs/, then copied to a folder, read back and
// hashed; the next step shows the list for the witness to confirm.
const SCRIPT = `metadata:
  id: copy-test
  title: Copy test
  rehearsal: true
  version: '1'
roles:
  administrator: {}
  witnesses:
    count: 1
steps:
  - id: card
    kind: print
    title: Print the demo card
    document: demo-card
    params:
      note: copy test
  - id: export
    kind: action
    title: Copy the outputs
    action: outputs.copy
    inputs:
      from: administrator
      fields:
        - name: destination
          label: Folder
          type: text
  - id: check-copy
    kind: show
    title: The witness checks the copied files
    value: \${steps.export.result.summary}
    format: text
    confirm:
      witnesses: 1
`;

let root: string;
beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'copy-outputs-'))));
afterEach(() => rmSync(root, { recursive: true, force: true }));

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const journal = (dir: string) =>
  readFileSync(join(dir, JOURNAL_FILE), 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as { type: string; data: Record<string, unknown> });

async function toCopyStep(): Promise<{ ceremony: Ceremony; dir: string }> {
  const dir = join(root, 'ceremony');
  const ceremony = await Ceremony.create(parseScript(SCRIPT), {}, dir);
  await ceremony.checkIn({ participantId: 'administrator', name: 'Ada Admin', identityCheck: 'passport', checkedBy: 'witness-1' });
  await ceremony.checkIn({ participantId: 'witness-1', name: 'Wendy Witness', identityCheck: 'passport', checkedBy: 'administrator' });
  await ceremony.runCurrentStep('card');
  return { ceremony, dir };
}

const copyTo = (ceremony: Ceremony, destination: string): Promise<CeremonyView> =>
  ceremony.provideInput('export', 'administrator', { destination }).then(() => ceremony.runCurrentStep('export'));

describe('outputs.copy', () => {
  it('writes every output to <folder>/<id>, reads each back, journals name, size and SHA-256, and waits for the witness', async () => {
    const { ceremony, dir } = await toCopyStep();
    const medium = join(root, 'usb');
    mkdirSync(medium);
    const view = await copyTo(ceremony, medium);
    expect(view.current?.id).toBe('check-copy');
    const originals = readdirSync(join(dir, 'outputs'));
    expect(originals.length).toBeGreaterThan(0);
    const completed = journal(dir).find((e) => e.type === 'step.completed' && e.data.stepId === 'export')!;
    const result = completed.data.result as { destination: string; files: { name: string; size: number; sha256: string }[]; summary: string };
    expect(result.destination).toBe(join(medium, ceremony.id));
    expect(result.files.map((f) => f.name).sort()).toEqual(originals.sort());
    for (const f of result.files) {
      expect(f.sha256).toBe(sha256(join(medium, ceremony.id, f.name)));
      expect(f.sha256).toBe(sha256(join(dir, 'outputs', f.name)));
      expect(result.summary).toContain(`${f.name}  ${f.size} bytes  SHA-256 ${f.sha256}`);
    }
    // the step after shows the hashes and is not done until the witness confirms them
    await expect(ceremony.runCurrentStep('check-copy')).rejects.toMatchObject({ code: 'QuorumNotMet' });
    await ceremony.confirm('check-copy', 'witness-1');
    const done = await ceremony.runCurrentStep('check-copy');
    expect(done.status).toBe('completed');
  });

  it('refuses a folder that does not exist, leaving the step open and copying nothing', async () => {
    const { ceremony, dir } = await toCopyStep();
    const view = await copyTo(ceremony, join(root, 'not-mounted'));
    expect(view.current?.id).toBe('export');
    const failed = journal(dir).find((e) => e.type === 'step.failed' && e.data.stepId === 'export')!;
    expect(JSON.stringify(failed.data)).toMatch(/does not exist\. Mount the removable medium/);
    expect(readdirSync(root).sort()).toEqual(['ceremony']);
    // the medium mounted, the same step is retried: everything is copied, nothing was lost
    mkdirSync(join(root, 'not-mounted'));
    await ceremony.retry('export', 'the medium is mounted now');
    const again = await ceremony.runCurrentStep('export');
    expect(again.current?.id).toBe('check-copy');
    expect(readdirSync(join(root, 'not-mounted', ceremony.id)).sort()).toEqual(readdirSync(join(dir, 'outputs')).sort());
  });

  it('says "nothing to copy" when the ceremony made no output files (an AES key), writes nothing, and the witness confirms that', async () => {
    const dir = join(root, 'ceremony');
    const script = SCRIPT.replace(/ {2}- id: card\n[\s\S]*?note: copy test\n/, '');
    const ceremony = await Ceremony.create(parseScript(script), {}, dir);
    await ceremony.checkIn({ participantId: 'administrator', name: 'Ada Admin', identityCheck: 'passport', checkedBy: 'witness-1' });
    await ceremony.checkIn({ participantId: 'witness-1', name: 'Wendy Witness', identityCheck: 'passport', checkedBy: 'administrator' });
    const medium = join(root, 'usb');
    mkdirSync(medium);
    const view = await copyTo(ceremony, medium);
    expect(view.current?.id).toBe('check-copy');
    const completed = journal(dir).find((e) => e.type === 'step.completed' && e.data.stepId === 'export')!;
    expect(completed.data.result).toMatchObject({
      fileCount: 0,
      files: [],
      summary: expect.stringMatching(/^Nothing to copy: this ceremony made no output files/),
    });
    expect(readdirSync(medium)).toEqual([]);
    await ceremony.confirm('check-copy', 'witness-1');
    expect((await ceremony.runCurrentStep('check-copy')).status).toBe('completed');
  });

  it('with params.folder copies that folder of the outputs alone (a backup’s bundle, not the share cards beside it), and refuses one that is not there', async () => {
    const dir = join(root, 'ceremony');
    const script = SCRIPT.replace('    action: outputs.copy\n', '    action: outputs.copy\n    params:\n      folder: bundle\n');
    const ceremony = await Ceremony.create(parseScript(script), {}, dir);
    await ceremony.checkIn({ participantId: 'administrator', name: 'Ada Admin', identityCheck: 'passport', checkedBy: 'witness-1' });
    await ceremony.checkIn({ participantId: 'witness-1', name: 'Wendy Witness', identityCheck: 'passport', checkedBy: 'administrator' });
    await ceremony.runCurrentStep('card');
    const card = readdirSync(join(dir, 'outputs'))[0];
    const medium = join(root, 'usb');
    mkdirSync(medium);
    // no bundle folder yet: refused by name, nothing written
    await copyTo(ceremony, medium);
    const failed = journal(dir).find((e) => e.type === 'step.failed' && e.data.stepId === 'export')!;
    expect(JSON.stringify(failed.data)).toMatch(/The outputs hold no folder bundle with files in it; nothing was copied/);
    expect(readdirSync(medium)).toEqual([]);
    // the bundle there (as the backup's wrap step writes it), the retry copies it and only it
    mkdirSync(join(dir, 'outputs', 'bundle'));
    writeFileSync(join(dir, 'outputs', 'bundle', 'manifest.json'), '{}\n');
    await ceremony.retry('export', 'the bundle is written now');
    const view = await ceremony.runCurrentStep('export');
    expect(view.current?.id).toBe('check-copy');
    expect(readdirSync(join(medium, ceremony.id))).toEqual(['bundle']);
    expect(readdirSync(join(medium, ceremony.id, 'bundle'))).toEqual(['manifest.json']);
    expect(existsSync(join(medium, ceremony.id, card))).toBe(false);
    const completed = journal(dir).filter((e) => e.type === 'step.completed' && e.data.stepId === 'export')[0];
    expect((completed.data.result as { files: { name: string }[] }).files.map((f) => f.name)).toEqual(['bundle/manifest.json']);
  });

  it('never overwrites a different file already on the medium', async () => {
    const { ceremony, dir } = await toCopyStep();
    const medium = join(root, 'usb');
    const name = readdirSync(join(dir, 'outputs'))[0];
    mkdirSync(join(medium, ceremony.id), { recursive: true });
    writeFileSync(join(medium, ceremony.id, name), 'someone else’s file\n');
    const view = await copyTo(ceremony, medium);
    expect(view.current?.id).toBe('export');
    const failed = journal(dir).find((e) => e.type === 'step.failed' && e.data.stepId === 'export')!;
    expect(JSON.stringify(failed.data)).toMatch(/already exists with other contents; it was not overwritten/);
    expect(readFileSync(join(medium, ceremony.id, name), 'utf8')).toBe('someone else’s file\n');
  });

  it('refuses a file given as the folder (the write-permission check cannot be shown here: the tests run as root)', async () => {
    const { ceremony, dir } = await toCopyStep();
    writeFileSync(join(root, 'a-file'), 'x');
    await copyTo(ceremony, join(root, 'a-file'));
    const failed = journal(dir).find((e) => e.type === 'step.failed' && e.data.stepId === 'export')!;
    expect(JSON.stringify(failed.data)).toMatch(/a-file is not a folder; nothing was copied/);
  });

  it('refuses a relative path', async () => {
    const { ceremony, dir } = await toCopyStep();
    await copyTo(ceremony, 'usb');
    const failed = journal(dir).find((e) => e.type === 'step.failed' && e.data.stepId === 'export')!;
    expect(JSON.stringify(failed.data)).toMatch(/is not a full path/);
  });
});
