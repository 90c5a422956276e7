import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getTemplate } from '../../../main/ceremony';
import { backupAnswers, restoreAnswers } from '../../fixtures/templates/answers';
import type { CheckValue } from '../../../main/shares';
import { BACKUP_KEYS, makeBackupableKeys, proveRestoredKeys, sharesFromCards, startWorld, stepResult, TARGET_PINS } from './fixture';
import { findSecretTraces, secretNeedles } from './secret-traces';
import { pdfPageTexts } from '../transcript/pdf-text';
import { expectCopiedAndPrinted } from '../../fixtures/evidence';
import { runCli } from '../../fixtures/harness';

// `custodian template` + `custodian run --rehearsal` for both templates, as a team rehearses without the UI: the
// same steps complete as in the UI (the e2e test checks the UI against the same template step list), and the
// transcripts carry the bundle hash but no secret.

async function custodian(home: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { status, stdout, stderr } = await runCli(args, { CUSTODIAN_HOME: home });
  return { code: status, stdout, stderr };
}

async function completedSteps(dir: string): Promise<string[]> {
  const lines = (await readFile(join(dir, 'journal.jsonl'), 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  return lines.filter((e) => e.type === 'step.completed').map((e) => e.data.stepId);
}

describe('custodian run of the backup and restore templates (rehearsal)', () => {
  it('backs up 3-of-5 and restores with shares 2, 4, 5 from the printed cards; transcripts printed; no secret outside the cards', async () => {
    // Keys made through Custodian's own client; then the context is closed so the CLI owns the token store.
    const world = await startWorld('backup-cli', ['Token B']);
    await makeBackupableKeys(world);
    await world.context.close();
    const home = world.home;

    const template = await custodian(home, ['template', 'backup']);
    expect(template.code, template.stderr).toBe(0);
    await writeFile(join(home, 'backup.yaml'), template.stdout);
    const parameters = { tokenLabel: world.tokenA, keys: BACKUP_KEYS.map((k) => k.label).join(', '), custodians: 5, threshold: 3 };
    // the bundle is copied to a medium of its own (the example says /tmp)
    const medium = join(home, 'backup-medium');
    await mkdir(medium);
    const answers = backupAnswers({ parameters, pins: world.pins });
    expect(answers).toContain('destination: /tmp\n');
    await writeFile(join(home, 'backup-answers.yaml'), answers.replace('destination: /tmp\n', `destination: '${medium}'\n`));
    const backupDir = join(home, 'runs', 'backup');
    const backup = await custodian(home, ['run', join(home, 'backup.yaml'), '--answers', join(home, 'backup-answers.yaml'), '--rehearsal', '--out', backupDir]);
    expect(backup.code, backup.stdout + backup.stderr).toBe(0);
    expect(backup.stdout).toMatch(/: completed/);
    expect(await completedSteps(backupDir)).toEqual(getTemplate('backup', parameters)!.script.steps.map((s) => s.id));

    const wrap = await stepResult(backupDir, 'wrap-keys');
    const transcript = pdfPageTexts(join(backupDir, 'transcript.pdf')).join('\n').replace(/\s+/g, '');
    expect(transcript).toContain(String(wrap.manifestSha256).slice(0, 16));
    // the bundle's files (no share card) on the medium with sha256sum's hashes, listed in the transcript; the print confirmed
    expect(expectCopiedAndPrinted(backupDir, medium, String(wrap.bundleDir)).length).toBeGreaterThan(2);

    const shares = await sharesFromCards(backupDir);
    const restoreTemplate = await custodian(home, ['template', 'restore']);
    await writeFile(join(home, 'restore.yaml'), restoreTemplate.stdout);
    const restoreParameters = {
      targetTokenLabel: 'Token B',
      bundle: join(backupDir, 'outputs', String(wrap.bundleDir)),
      backupJournal: join(backupDir, 'journal.jsonl'),
      custodians: 5,
      threshold: 3,
    };
    await writeFile(
      join(home, 'restore-answers.yaml'),
      restoreAnswers({ parameters: restoreParameters, userPin: TARGET_PINS.user, shares: [2, 4, 5].map((i) => ({ custodian: i, text: shares[i] })) }),
    );
    const restoreDir = join(home, 'runs', 'restore');
    const restore = await custodian(home, [
      'run',
      join(home, 'restore.yaml'),
      '--answers',
      join(home, 'restore-answers.yaml'),
      '--rehearsal',
      '--out',
      restoreDir,
    ]);
    expect(restore.code, restore.stdout + restore.stderr).toBe(0);
    expect(await completedSteps(restoreDir)).toEqual(getTemplate('restore', restoreParameters)!.script.steps.map((s) => s.id));
    await access(join(restoreDir, 'transcript.pdf'));

    // Independent proof on the token store the CLI wrote, then the hygiene search including both transcripts' text.
    const reopened = await startWorld('backup-cli', [], home);
    try {
      await proveRestoredKeys({ ...reopened, publicKeys: world.publicKeys }, { label: 'Token B', pin: TARGET_PINS.user });
    } finally {
      await reopened.context.close();
    }
    const record = (await stepResult(backupDir, 'split-kek')).shareSet as { checkValue: CheckValue; m: number };
    const needles = await secretNeedles(
      [1, 2, 3, 4, 5].map((i) => shares[i]),
      record.checkValue,
      record.m,
    );
    const found = await findSecretTraces([home], needles, (file) => /share-card-[^/]+\.pdf$/.test(file) || file.endsWith('-answers.yaml'));
    expect(found.traces).toEqual([]);
    expect(found.pdfsRead).toBeGreaterThanOrEqual(2);
  });
});
