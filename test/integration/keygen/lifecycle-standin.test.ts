import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answersExample, getTemplate, runScript } from '../../../main/ceremony';
import { retiredLabel } from '../../../main/ceremony/actions/lifecycle';
import { listObjects, objectBlocks, opensslFingerprint, tempDir } from './harness';
import { eventsOf, runOnStandin, startStandinWorld, type StandinWorld } from './standin';

// Key rotation and witnessed destruction on the stand-in for yubihsm_pkcs11, as on SoftHSM2 (test/integration/ca).

let world: StandinWorld;
let work = '';
let oldFingerprint = '';

async function run(name: string, parameters: Record<string, unknown>) {
  const answers = parse(answersExample(name, parameters)!) as { steps: Record<string, { input?: { values: Record<string, unknown> } }> };
  answers.steps.login.input!.values.pin = world.context.rehearsal!.pins.user;
  const dir = join(work, `${name}-${Math.random().toString(36).slice(2, 8)}`);
  return { ...(await runScript(getTemplate(name)!.text, stringify(answers), { dir, rehearsal: true, services: world.services })), dir };
}

beforeAll(async () => {
  world = await startStandinWorld();
  work = await tempDir('standin-lifecycle');
  const made = await runOnStandin(world, join(work, 'old'), { algorithm: 'EC-P256', label: 'standin-old', subject: 'CN=Old', selfSigned: true });
  expect(made.status, JSON.stringify(made.reason)).toBe('completed');
  oldFingerprint = await opensslFingerprint(join(work, 'old', 'outputs', 'standin-old.public-key.pem'));
}, 240_000);

afterAll(async () => {
  await world?.context.close();
});

describe('key lifecycle on a module that hides objects and refuses random bytes before login', () => {
  it('key-rotation makes the new key and retires the old one', async () => {
    const result = await run('key-rotation', {
      oldLabel: 'standin-old',
      oldFingerprint,
      algorithm: 'EC-P256',
      label: 'standin-new',
      subject: 'CN=New',
      selfSigned: true,
    });
    expect(result.status, JSON.stringify(result.reason)).toBe('completed');
    // yubihsm_pkcs11 changes only CKA_ID and CKA_LABEL (yubihsm_pkcs11.c:2337-2441): signing stays on, and the
    // transcript says so; the label changes
    const retire = (await eventsOf(result.dir)).find((e) => e.type === 'step.completed' && (e.data as { stepId: string }).stepId === 'retire-old')!;
    const retired = (retire.data as { result: { changes: Array<Record<string, unknown>>; refused: string[]; summary: string } }).result;
    expect(retired.changes).toContainEqual({ half: 'privateKey', attribute: 'CKA_SIGN', changed: false, refusedWith: 'CKR_FUNCTION_NOT_SUPPORTED' });
    expect(retired.changes).toContainEqual({ half: 'privateKey', attribute: 'CKA_LABEL', changed: true });
    expect(retired.summary).toMatch(/The token did not allow: .*the private key: CKA_SIGN \(CKR_FUNCTION_NOT_SUPPORTED\)/);
    const listing = await listObjects(world.context);
    expect(objectBlocks(listing, 'standin-old')).toEqual([]);
    expect(objectBlocks(listing, retiredLabel('standin-old', new Date()))).toHaveLength(2);
    expect(objectBlocks(listing, 'standin-new')).toHaveLength(2);
  }, 120_000);

  it('key-destruction destroys both halves of the retired key', async () => {
    const retired = retiredLabel('standin-old', new Date());
    const result = await run('key-destruction', { label: retired, fingerprint: oldFingerprint, destroyWithoutBackup: true });
    expect(result.status, JSON.stringify(result.reason)).toBe('completed');
    expect(objectBlocks(await listObjects(world.context), retired)).toEqual([]);
  }, 120_000);
});
