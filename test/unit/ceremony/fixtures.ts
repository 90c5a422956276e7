import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect } from 'vitest';
import { Ceremony, getTemplate, JOURNAL_FILE, ScriptError, type EngineOptions } from '../../../main/ceremony';

process.env.CUSTODIAN_DEMO_DELAY_MS = '0';

export function tempDir(): { dir: string; cleanup: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'ceremony-'));
  return { dir: join(root, 'ceremony'), cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** Gives each test of the calling file a fresh ceremony folder, removed after the test. */
export function useTempDir(): { readonly dir: string } {
  let current: { dir: string; cleanup: () => void } | undefined;
  beforeEach(() => {
    current = tempDir();
  });
  afterEach(() => current?.cleanup());
  return {
    get dir() {
      return current!.dir;
    },
  };
}

export interface JournalLine {
  type: string;
  hash: string;
  data: Record<string, unknown>;
}

/** The journal in a ceremony folder, one parsed event per line. */
export function readJournal(dir: string): JournalLine[] {
  return readFileSync(join(dir, JOURNAL_FILE), 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as JournalLine);
}

export const demo = () => getTemplate('dry-run-demo')!;

export async function demoCeremony(dir: string, options: EngineOptions = {}): Promise<Ceremony> {
  return Ceremony.create(demo(), {}, dir, options);
}

export async function checkInEveryone(ceremony: Ceremony): Promise<void> {
  await ceremony.checkIn({ participantId: 'administrator', name: 'Ada', identityCheck: 'passport', checkedBy: 'witness-1' });
  await ceremony.checkIn({ participantId: 'custodian-1', name: 'Carl', identityCheck: 'licence', checkedBy: 'administrator' });
  await ceremony.checkIn({ participantId: 'custodian-2', name: 'Cora', identityCheck: 'badge', checkedBy: 'administrator' });
  await ceremony.checkIn({ participantId: 'custodian-3', name: 'Cleo', identityCheck: 'passport', checkedBy: 'witness-1' });
  await ceremony.checkIn({ participantId: 'witness-1', name: 'Wendy', identityCheck: 'passport', checkedBy: 'administrator' });
}

/** A script's metadata and its room (an administrator, three custodians of whom two make a quorum, a witness), in block style. */
export function scriptHead(id: string, title: string): string {
  return `metadata:
  id: ${id}
  title: ${title}
roles:
  administrator: {}
  custodians:
    count: 3
    threshold: 2
  witnesses:
    count: 1
`;
}

/** A minimal script with one action step, for failure and retry tests. */
export function oneActionScript(action: string): string {
  return `metadata: { id: one-action, title: One action }
roles:
  administrator: {}
  witnesses: { count: 1 }
steps:
  - { id: hello, kind: announce, title: Hello, text: Hello }
  - { id: act, kind: action, title: Act, action: ${action} }
  - { id: bye, kind: announce, title: Bye, text: Bye }
`;
}

/** The ScriptError `run` throws, or undefined when it throws nothing (anything else thrown fails the test). */
export function scriptErrorOf(run: () => unknown): ScriptError | undefined {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ScriptError);
    return error as ScriptError;
  }
  return undefined;
}

/** The ScriptError `run` throws; fails the test with `accepted` when it throws nothing. */
export function refusalOf(run: () => unknown, accepted: string): ScriptError {
  const error = scriptErrorOf(run);
  if (!error) throw new Error(accepted);
  return error;
}
