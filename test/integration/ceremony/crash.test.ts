import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectCeremony, JOURNAL_FILE } from '../../../main/ceremony';
import { verifyJournalFile } from '../../../main/journal';
import { NODE_EXTERNALS, ROOT } from '../../../scripts/build.js';

const KILLS = 50;
const root = mkdtempSync(join(tmpdir(), 'crash-'));
// The child is bundled once (esbuild, as scripts/build.js bundles the CLI): a `node --import tsx` start transpiles the
// whole ceremony tree every time (~4 s each, far more on a busy machine), a bundle starts in about a second.
const CHILD = join(ROOT, 'out', 'test', 'crash-child.mjs');
beforeAll(async () => {
  const esbuild = await import('esbuild');
  await esbuild.build({
    entryPoints: [join(__dirname, 'crash-child.ts')],
    outfile: CHILD,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: NODE_EXTERNALS,
    banner: { js: "import { createRequire as __crashCreateRequire } from 'node:module'; const require = __crashCreateRequire(import.meta.url);" },
    logLevel: 'warning',
  });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface ChildRun {
  lines: string[];
  killed: boolean;
}

/** Starts the child; kills it with SIGKILL `delayMs` after its first acknowledged event (unless it finished first). */
function runChild(dir: string, delayMs: number): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD], {
      cwd: ROOT, // the child finds the template files in main/ceremony/templates
      env: { ...process.env, CEREMONY_DIR: dir, CUSTODIAN_DEMO_DELAY_MS: '15' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let timer: NodeJS.Timeout | undefined;
    let killed = false;
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (!timer && /^(ack|resume) /m.test(out)) {
        timer = setTimeout(() => {
          killed = child.kill('SIGKILL');
        }, delayMs);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL' && code !== 0) reject(new Error(`child failed (${code}): ${err}`));
      else resolve({ lines: out.split('\n').filter(Boolean), killed: killed && signal === 'SIGKILL' });
    });
  });
}

/** events of the journal as it verifies, or of its valid prefix before a torn tail */
function onDiskEventsOf(result: Awaited<ReturnType<typeof verifyJournalFile>>): { type: string; data: unknown }[] {
  return result.ok ? result.events : (result.prefixEvents ?? []);
}

describe('the journal and the engine survive SIGKILL at random moments', () => {
  it(`${KILLS} kills: the journal verifies or reports a torn tail, nothing acknowledged is lost, and the ceremony resumes at the right step`, async () => {
    let ceremonyNumber = 0;
    let dir = join(root, `c${ceremonyNumber}`);
    let expectedResume: string | null = null;
    let eventCount = 0;
    const stats = { kills: 0, torn: 0, resumed: 0, completed: 0, abortedSecretLost: 0, interrupted: 0 };
    const started = Date.now();

    // runs continue until the child has been killed KILLS times (a run that finishes before its kill moment starts a new ceremony)
    for (let i = 0; stats.kills < KILLS && i < KILLS * 2; i++) {
      const delay = Math.floor(Math.random() * 100);
      const run = await runChild(dir, delay);
      if (run.killed) stats.kills++;

      // the child says where it continued (unless killed before it could), and the journal records it
      const resumeLine = run.lines.find((l) => l.startsWith('resume '));
      if (expectedResume !== null && resumeLine) expect(resumeLine.slice('resume '.length)).toBe(expectedResume);

      const acks = run.lines.filter((l) => l.startsWith('ack ')).map((l) => l.split(' '));
      const path = join(dir, JOURNAL_FILE);
      if (!existsSync(path)) {
        expect(acks, 'an event was acknowledged but there is no journal').toHaveLength(0);
        expectedResume = null;
        eventCount = 0;
        continue;
      }
      const verified = await verifyJournalFile(path);
      const eventsBefore = eventCount;
      eventCount = onDiskEventsOf(verified).length;
      if (!verified.ok) {
        expect(verified.kind, verified.message).toBe('torn');
        stats.torn++;
      }
      const inspected = await inspectCeremony(path);
      if (expectedResume !== null && onDiskEventsOf(verified).length > eventsBefore) {
        const reopened = onDiskEventsOf(verified)
          .slice(eventsBefore)
          .find((e) => e.type === 'ceremony.reopened');
        if (reopened) {
          expect((reopened.data as { atStep: string | null }).atStep ?? '-', `run ${i} resumed at the wrong step`).toBe(expectedResume);
          stats.resumed++;
        } else expect(run.killed).toBe(true);
      }
      const onDisk = verified.ok ? verified.events : null;
      for (const [, seq, hash] of acks) {
        if (onDisk) expect(onDisk[Number(seq) - 1]?.hash, `acknowledged event ${seq} lost`).toBe(hash);
        else expect(Number(seq)).toBeLessThanOrEqual(verified.count!);
      }
      if (!verified.ok) {
        // the valid prefix must still hold every acknowledged event with its hash
        const lastAck = acks.at(-1);
        if (lastAck) expect(Number(lastAck[1])).toBeLessThanOrEqual(verified.count!);
      }
      if (inspected.interruptedStepId) stats.interrupted++;

      const view = inspected.view;
      const failed = view.current?.status === 'failed';
      if (view.status === 'completed' || view.status === 'aborted' || failed) {
        if (view.status === 'completed') stats.completed++;
        const lastFailure = onDiskEventsOf(verified)
          .filter((e) => e.type === 'step.failed')
          .at(-1)?.data as { reason: { code: string }; retryable: boolean } | undefined;
        if (view.status === 'aborted' || failed) {
          // the only step that cannot survive a restart is a reveal whose secret was in memory: the run after it
          // aborts the ceremony with that reason (or was killed before it could, and the next run will)
          expect(lastFailure?.reason.code, `run ${i}: ${JSON.stringify(view.current?.failure)}`).toBe('SecretLost');
          expect(lastFailure?.retryable).toBe(false);
          if (failed) {
            expectedResume = view.current!.id; // killed before it could abort: the next run aborts it
            continue;
          }
          expect(view.abortReason).toMatch(/no longer in memory/);
          stats.abortedSecretLost++;
        }
        ceremonyNumber++;
        dir = join(root, `c${ceremonyNumber}`);
        expectedResume = null;
        eventCount = 0;
      } else {
        expectedResume = view.current?.id ?? '-';
        // the rebuilt state stops at the last completed step
        const lastCompleted = view.steps.filter((s) => s.status === 'completed').length;
        expect(view.steps.slice(0, lastCompleted).every((s) => s.status === 'completed')).toBe(true);
        expect(view.current?.index ?? view.steps.length).toBe(lastCompleted); // all done but not yet closed: the next open closes it
      }
    }
    const seconds = (Date.now() - started) / 1000;
    console.log(JSON.stringify({ ...stats, ceremonies: ceremonyNumber + 1, seconds }));
    expect(stats.kills).toBe(KILLS);
    expect(stats.resumed).toBeGreaterThan(KILLS / 2);
    // bounded by the number of kills, not by the clock: a loaded 2-core machine only makes it slower
  }, 1_800_000);
});
