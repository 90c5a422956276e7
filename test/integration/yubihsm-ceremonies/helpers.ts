import { readFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseScript } from '../../../main/ceremony';
import { OBJECT, type YubiHsmClient } from '../../../native/yubihsm';
import type { AppContext } from '../../../main/ipc/app-context';
import { createCeremony, drive, freshDevice, runCli, startAppContext as makeContext, type Driven, type FreshDevice, type Plan } from '../../fixtures/harness';
import { typedBack } from '../pin-ceremonies/fixture';

export { createCeremony, drive, filesContaining, freshDevice, startAppContext as makeContext, resultOf, type FreshDevice } from '../../fixtures/harness';
export { typedBack } from '../pin-ceremonies/fixture';

/** Does this key + password open a session, asked of the device directly (not through Custodian)? */
export async function opens(client: YubiHsmClient, keyId: number, password: string): Promise<string> {
  const r = await client.canOpenSession(keyId, password);
  return r.ok ? 'ok' : r.code;
}

/** Every object on the device, seen through a session of the given key. */
export async function objectsSeenBy(client: YubiHsmClient, keyId: number, password: string) {
  const s = await client.openSession(keyId, password, { keepAliveMs: 0 });
  try {
    const out = [];
    for (const o of await s.listObjects()) out.push(await s.getObjectInfo(o.id, o.type));
    return out;
  } finally {
    await s.close();
  }
}

export const AUTH = OBJECT.AUTHENTICATION_KEY;

/** Runs yubihsm-setup through the engine on `device`: shares come off the privacy screens and are typed back. */
export async function runSetup(
  context: AppContext,
  dataDir: string,
  parameters: Record<string, string | number | boolean>,
  extra: Plan['inputs'] = {},
): Promise<Driven> {
  const { ceremony, answers } = await createCeremony(context, dataDir, 'yubihsm-setup', parameters);
  const ids = ceremony.view().steps.map((s) => s.id);
  const first = await drive(ceremony, answers, { stopBefore: 'rehearsal-intro', inputs: extra });
  if (first.view.current?.id !== 'rehearsal-intro') return first;
  return drive(ceremony, answers, { inputs: { ...typedBack(ids, first.revealed), ...extra } }, first.revealed);
}

export function journalOf(dir: string): string {
  return readFileSync(`${dir}/journal.jsonl`, 'utf8');
}

/**
 * A device as yubihsm-setup leaves it, made directly with the test's own client (fast): audit on, admin 2, operator 3,
 * auditor 4 with the rehearsal passwords, key 1 deleted. Returns the audit anchor "<n>:<digest>" a setup would record.
 */
export async function setUpDirectly(client: YubiHsmClient, passwords: { admin: string; operator: string; auditor: string }): Promise<string> {
  const { roleMasks } = await import('../../../main/ceremony/actions/yubihsm');
  const { AUDIT } = await import('../../../native/yubihsm');
  const factory = await client.openSession(1, 'password', { keepAliveMs: 0 });
  const audit = await factory.getCommandAudit();
  await factory.setCommandAudit(new Map([...audit.keys()].filter((c) => ![1, 5, 6].includes(c)).map((c) => [c, AUDIT.ON])));
  for (const [id, role] of [
    [2, 'admin'],
    [3, 'operator'],
    [4, 'auditor'],
  ] as const) {
    const masks = roleMasks(role);
    await factory.putAuthenticationKey(
      { id, label: `custodian ${role}`, domains: 1, capabilities: masks.capabilities, delegatedCapabilities: masks.delegated },
      passwords[role],
    );
  }
  await factory.close();
  const admin = await client.openSession(2, passwords.admin, { keepAliveMs: 0 });
  await admin.deleteObject(1, OBJECT.AUTHENTICATION_KEY);
  const log = await admin.getLogEntries();
  await admin.close();
  const last = log.entries[log.entries.length - 1];
  return `${last.number}:${Buffer.from(last.digest).toString('hex')}`;
}

/**
 * A connector URL is a real device, so a run on it is a real ceremony: its secrets are typed by the people in the
 * room, never read from the answers file. This moves the answers' secret values to what runScript's askSecret is
 * told (as the terminal would be), keeping the public parts in the file.
 */
export function typedAtTheTerminal(
  scriptText: string,
  answers: { rehearsal?: boolean; steps?: Record<string, { input?: { by: string; values: Record<string, unknown> } }> },
) {
  const script = parseScript(scriptText).script;
  const typed = new Map<string, string>();
  for (const [stepId, answer] of Object.entries(answers.steps ?? {})) {
    const step = script.steps.find((s) => s.id === stepId) as { inputs?: { fields: Array<{ name: string; secret?: boolean }> } } | undefined;
    for (const field of step?.inputs?.fields ?? []) {
      if (!field.secret || !answer.input || !(field.name in answer.input.values)) continue;
      typed.set(`${stepId}/${field.name}`, String(answer.input.values[field.name]));
      delete answer.input.values[field.name];
    }
  }
  const prompts: string[] = [];
  return {
    answersText: stringify({ ...answers, rehearsal: false }),
    prompts,
    askSecret: async (request: { stepId: string; field: string; prompt: string }) => {
      prompts.push(request.prompt);
      return typed.get(`${request.stepId}/${request.field}`) ?? '';
    },
  };
}

/**
 * For a describe block: one app context (device host, rehearsal store) for its tests, and a fresh served simulator
 * for each test, closed after it. Read `.context`, `.dataDir` and `.device` inside a test.
 */
export function useContextAndDevice(prefix: string): { readonly context: AppContext; readonly dataDir: string; readonly device: FreshDevice } {
  let made: { context: AppContext; dataDir: string } | undefined;
  let device: FreshDevice | undefined;
  beforeAll(async () => {
    made = await makeContext(prefix);
  });
  afterAll(async () => {
    await made?.context.close();
  });
  beforeEach(async () => {
    device = await freshDevice();
  });
  afterEach(async () => {
    await device?.close();
  });
  return {
    get context() {
      return made!.context;
    },
    get dataDir() {
      return made!.dataDir;
    },
    get device() {
      return device!;
    },
  };
}

/** `custodian <args>` through the CLI in this process, with CUSTODIAN_HOME=home: its exit code and all it printed. */
export async function cliIn(home: string, args: string[]): Promise<{ code: number; out: string }> {
  const { status, stdout, stderr } = await runCli(args, { CUSTODIAN_HOME: home });
  return { code: status, out: stdout + stderr };
}

/**
 * `custodian template <name>`, its `--answers-example`, `custodian run --rehearsal` of them and `custodian verify` of
 * the journal, through the CLI in this process, in a folder of its own under `home`: each must succeed; the run's folder.
 * `answers` replaces the answers example (a run whose shares come off another run's cards).
 */
export async function runTemplate(home: string, name: string, answers?: string): Promise<string> {
  const work = mkdtempSync(join(home, `${name}-`));
  const s = await cliIn(home, ['template', name]);
  expect(s.code, s.out).toBe(0);
  if (answers === undefined) {
    const a = await cliIn(home, ['template', name, '--answers-example']);
    expect(a.code, a.out).toBe(0);
    answers = a.out;
  }
  writeFileSync(join(work, 'script.yaml'), s.out);
  writeFileSync(join(work, 'answers.yaml'), answers);
  const out = join(work, 'run');
  const run = await cliIn(home, ['run', join(work, 'script.yaml'), '--answers', join(work, 'answers.yaml'), '--rehearsal', '--out', out]);
  expect(run.code, run.out).toBe(0);
  expect(run.out).toMatch(/: completed/);
  const verify = await cliIn(home, ['verify', join(out, 'journal.jsonl')]);
  expect(verify.code, verify.out).toBe(0);
  return out;
}
