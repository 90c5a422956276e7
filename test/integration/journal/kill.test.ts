import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JournalEventType, verifyJournalFile } from '../../../main/journal';

const CHILD = join(__dirname, 'append-child.ts');
const root = mkdtempSync(join(tmpdir(), 'journal-kill-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function runAndKill(path: string, delayMs: number): Promise<string[][]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD], { env: { ...process.env, JOURNAL_PATH: path }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    let armed = false;
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (!armed && out.includes('ack ')) {
        armed = true;
        setTimeout(() => child.kill('SIGKILL'), delayMs);
      }
    });
    child.on('error', reject);
    child.on('close', () =>
      resolve(
        out
          .split('\n')
          .filter((l) => l.startsWith('ack '))
          .map((l) => l.split(' ')),
      ),
    );
  });
}

describe('journal under SIGKILL', () => {
  it('never loses an acknowledged event; torn tails are reported, then recorded on reopening', async () => {
    const path = join(root, 'journal.jsonl');
    let tornSeen = 0;
    for (let i = 0; i < 10; i++) {
      const acks = await runAndKill(path, 20 + Math.floor(Math.random() * 60));
      const result = await verifyJournalFile(path);
      if (!result.ok) {
        expect(result.kind, result.message).toBe('torn');
        tornSeen++;
      }
      const events = result.ok ? result.events : result.prefixEvents!;
      for (const [, seq, hash] of acks) expect(events[Number(seq) - 1]?.hash, `acknowledged event ${seq} lost`).toBe(hash);
    }
    console.log(JSON.stringify({ kills: 10, tornTailsSeen: tornSeen }));
    expect(existsSync(path)).toBe(true);
    const final = await verifyJournalFile(path);
    const events = final.ok ? final.events : final.prefixEvents!;
    // every torn tail found by a later open is recorded in the chain, never removed
    expect(events.filter((e) => e.type === JournalEventType.TailRecovered).length).toBeGreaterThanOrEqual(tornSeen - (final.ok ? 0 : 1));
  });
});
