import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { answersExample, getTemplate } from '../../../main/ceremony';
import { pdfPageTexts } from '../transcript/pdf-text';
import { shareFromCardPdf } from '../backup/card-text';
import { filesContaining } from '../../fixtures/harness';
import { runCli } from '../../fixtures/harness';

// `custodian run` of each PIN template in rehearsal with its answers example, as a team rehearses before the day:
// the ceremony completes, `custodian verify` accepts its journal, and no rehearsal PIN or share reached the journal,
// the transcript's text or any other file (the rehearsal share cards excepted).

const REHEARSAL_PINS = ['24681357', '13572468', '11223344', '44332211'];

async function custodian(home: string, args: string[]): Promise<{ code: number; out: string }> {
  const { status, stdout, stderr } = await runCli(args, { CUSTODIAN_HOME: home });
  return { code: status, out: stdout + stderr };
}

/** The share texts on the rehearsal cards of a ceremony folder, read back the way a custodian would. */
function cardShares(dir: string): string[] {
  const outputs = join(dir, 'outputs');
  return readdirSync(outputs)
    .filter((f) => f.startsWith('share-card-'))
    .map((f) => shareFromCardPdf(join(outputs, f)).replace(/\s+/g, ''));
}

describe('custodian run of the PIN templates in rehearsal', () => {
  const home = mkdtempSync(join(tmpdir(), 'custodian-pin-cli-'));
  const cases: Array<{ name: string; parameters?: Record<string, string | number | boolean>; viaTemplateCommand: boolean }> = [
    { name: 'token-init', viaTemplateCommand: true },
    { name: 'user-pin-reset', viaTemplateCommand: true },
    { name: 'pin-change', viaTemplateCommand: true },
    { name: 'pin-change', parameters: { mode: 'so-rotation', newCustodians: 4, newThreshold: 3 }, viaTemplateCommand: false },
  ];

  for (const c of cases) {
    const label = `${c.name}${c.parameters ? ` (${Object.values(c.parameters).join(', ')})` : ''}`;
    it(`${label}: completes with its answers example, its journal verifies, and no PIN or share leaks`, async () => {
      const work = mkdtempSync(join(home, `${c.name}-`));
      const script = join(work, 'script.yaml');
      const answers = join(work, 'answers.yaml');
      if (c.viaTemplateCommand) {
        const s = await custodian(home, ['template', c.name]);
        const a = await custodian(home, ['template', c.name, '--answers-example']);
        expect(s.code, s.out).toBe(0);
        expect(a.code, a.out).toBe(0);
        writeFileSync(script, s.out);
        writeFileSync(answers, a.out);
      } else {
        writeFileSync(script, getTemplate(c.name, c.parameters)!.text);
        writeFileSync(answers, answersExample(c.name, c.parameters)!);
      }
      const out = join(work, 'run');
      const run = await custodian(home, ['run', script, '--answers', answers, '--rehearsal', '--out', out]);
      expect(run.code, run.out).toBe(0);
      expect(run.out).toMatch(/: completed/);
      const verify = await custodian(home, ['verify', join(out, 'journal.jsonl')]);
      expect(verify.code, verify.out).toBe(0);

      const transcript = pdfPageTexts(join(out, 'transcript.pdf')).join('\n').replace(/\s+/g, '');
      const shares = cardShares(out);
      if (c.name !== 'user-pin-reset' && !(c.name === 'pin-change' && !c.parameters)) expect(shares.length).toBeGreaterThan(0);
      for (const secret of [...REHEARSAL_PINS, ...shares]) expect(transcript).not.toContain(secret);
      const leaks = filesContaining(out, [...REHEARSAL_PINS, ...shares]).filter((h) => !/share-card-.*\.pdf$/.test(h.file));
      expect(leaks).toEqual([]);
    }, 120_000);
  }
});
