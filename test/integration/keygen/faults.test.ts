import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../../main/ipc/app-context';
import type { Pkcs11Client } from '../../../main/devices/pkcs11-client';
import { verifyJournalFile } from '../../../main/journal';
import { listObjects, objectBlocks, runKeygen, startContext, tempDir, withCeremony } from './harness';

let context: AppContext;
beforeAll(async () => {
  context = await startContext();
});
afterAll(async () => {
  await context?.close();
});

/** The real client with some methods replaced: how a test makes the token vanish at a chosen moment. */
function clientWith(overrides: Partial<Record<keyof Pkcs11Client, (...args: never[]) => unknown>>): Pkcs11Client {
  return new Proxy(context.pkcs11, {
    get(target, property) {
      if (property in overrides) return overrides[property as keyof Pkcs11Client];
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

const P384_ROOT = { algorithm: 'EC-P384', subject: 'CN=Fault Test Root', csr: true, selfSigned: true, validityYears: 5 };

async function objectCount(): Promise<number> {
  return (await listObjects(context)).split(/\n(?=\S)/).filter((b) => /Object;/.test(b)).length;
}

async function eventsOf(dir: string) {
  const verified = await verifyJournalFile(join(dir, 'journal.jsonl'));
  expect(verified.ok).toBe(true);
  return verified.ok ? verified.events : [];
}

describe('key generation refuses bad input before anything is generated', () => {
  it('refuses a label that already exists on the token, at the preflight, and the token is unchanged', async () => {
    const first = await runKeygen(context, await tempDir('taken-1'), { algorithm: 'EC-P256', label: 'taken' });
    expect(first.status, JSON.stringify(first.reason)).toBe('completed');
    const before = await objectCount();
    const second = await runKeygen(context, await tempDir('taken-2'), { algorithm: 'RSA-2048', label: 'taken' });
    expect(second).toMatchObject({ status: 'failed', failedStep: 'preflight', reason: { code: 'LabelExists' } });
    expect(second.reason!.message).toContain('“taken” already exists');
    expect(await objectCount()).toBe(before);
  });

  it('refuses an algorithm the policy forbids (a secret key cannot sign a root certificate) and a root valid for 30 years', async () => {
    const before = await objectCount();
    const aes = await runKeygen(context, await tempDir('aes-root'), { algorithm: 'AES-256', label: 'aes-root', subject: 'CN=No', selfSigned: true });
    expect(aes).toMatchObject({ status: 'failed', failedStep: 'preflight', reason: { code: 'AlgorithmForbidden' } });
    const long = await runKeygen(context, await tempDir('long'), { ...P384_ROOT, label: 'too-long', validityYears: 30 });
    expect(long).toMatchObject({ status: 'failed', failedStep: 'preflight', reason: { code: 'ValidityTooLong' } });
    expect(long.reason!.message).toMatch(/at most 25 years/);
    expect(await objectCount()).toBe(before);
  });

  it('refuses a mechanism the module lacks, naming it', async () => {
    // The module as it would look without EC key generation: SoftHSM2's real list minus one mechanism.
    const withoutEc = clientWith({
      mechanisms: (async (module: string, token: never) =>
        (await context.pkcs11.mechanisms(module, token)).filter((m) => m.name !== 'CKM_EC_KEY_PAIR_GEN')) as never,
    });
    const before = await objectCount();
    const result = await runKeygen(context, await tempDir('no-ec'), { ...P384_ROOT, label: 'no-ec' }, { pkcs11: withoutEc });
    expect(result).toMatchObject({ status: 'failed', failedStep: 'preflight', reason: { code: 'MechanismMissing' } });
    expect(result.reason!.message).toContain('CKM_EC_KEY_PAIR_GEN');
    expect(await objectCount()).toBe(before);
  });
});

describe('faults during the ceremony', () => {
  it('a wrong PIN is counted and journaled, not an exception: the holder types it again and the ceremony goes on, and no PIN reaches the journal', async () => {
    const dir = await tempDir('wrong-pin');
    const wrongPin = '99999999';
    const failed = await runKeygen(context, dir, { algorithm: 'EC-P256', label: 'after-wrong-pin' }, { pin: wrongPin });
    expect(failed).toMatchObject({ status: 'failed', failedStep: 'login', reason: { code: 'PinIncorrect' } });
    expect(failed.reason!.message).toMatch(/^Wrong PIN\. The token has counted a wrong try \(it does not say how many are left\)/); // SoftHSM2 gives no count

    await withCeremony(context, dir, async (ceremony) => {
      // a wrong PIN is an expected mistake: no retry with a written reason, no exception; the holder types again
      const waiting = ceremony.view().current!;
      expect(waiting).toMatchObject({ id: 'login', status: 'pending', rejection: { code: 'PinIncorrect', count: 1 } });
      expect(waiting.inputs!.provided).toBe(false);
      expect(ceremony.view().exceptions).toEqual([]);
      await expect(ceremony.retry('login', 'the PIN holder mistyped')).rejects.toMatchObject({ code: 'StepNotRetryable' });
      await ceremony.provideInput('login', 'administrator', { pin: context.rehearsal!.pins.user });
      const view = await ceremony.runCurrentStep('login');
      expect(view.steps.find((s) => s.id === 'login')!.status).toBe('completed');
    });
    const finished = await runKeygen(context, dir, { algorithm: 'EC-P256', label: 'after-wrong-pin' });
    expect(finished.status, JSON.stringify(finished.reason)).toBe('completed');
    const journal = await readFile(join(dir, 'journal.jsonl'), 'utf8');
    expect(journal).not.toContain(wrongPin);
    expect(journal).not.toContain(context.rehearsal!.pins.user);
    expect(journal).toContain('PinIncorrect');
    const types = journal
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l).type as string);
    expect(types.filter((t) => t === 'step.attempt-rejected')).toHaveLength(1);
    expect(types).not.toContain('step.failed');
  });

  it('the token vanishes right after generating: the step fails; the retry logs in again, finds the whole key, finishes with it and makes no second one', async () => {
    const dir = await tempDir('removed');
    let removed = false;
    const vanishing = clientWith({
      generateKey: (async (sessionKey: string, request: never, options: never) => {
        const key = await context.pkcs11.generateKey(sessionKey, request, options);
        if (!removed) {
          removed = true;
          await context.pkcs11.closeSession(sessionKey);
          throw Object.assign(new Error('The token is not present; it may have been unplugged.'), { code: 'TokenNotPresent' });
        }
        return key;
      }) as never,
    });
    const params = { ...P384_ROOT, label: 'vanished' };
    const failed = await runKeygen(context, dir, params, { pkcs11: vanishing });
    expect(failed).toMatchObject({ status: 'failed', failedStep: 'generate', reason: { code: 'TokenNotPresent' } });

    await withCeremony(context, dir, async (ceremony) => {
      // Reopened: the session (and the login it held) is gone, so the login is made again first, by its holder, and
      // nothing about the private half is looked at before that; then the retry looks before generating.
      expect(ceremony.view().current?.relogin?.message).toMatch(/types the user PIN again/);
      await ceremony.provideInput('generate', 'administrator', { pin: context.rehearsal!.pins.user });
      await ceremony.retry('generate', 'log in again after the token was reinserted');
      const generate = (await ceremony.runCurrentStep('generate')).steps.find((s) => s.id === 'generate')!;
      expect(generate.status, JSON.stringify(generate.failure)).toBe('completed');
      expect(generate.result).toMatchObject({ recovered: true, label: 'vanished', policyHolds: true });
    });
    const finished = await runKeygen(context, dir, params);
    expect(finished.status, JSON.stringify(finished.reason)).toBe('completed');

    const events = await eventsOf(dir);
    // the relogin came before the retry, so the retry's look found the whole key and kept it
    expect(events.some((e) => e.type === 'step.relogin')).toBe(true);
    // logged in again, the retry's effect check sees both halves and completes the step with them (no second key)
    expect(events.some((e) => e.type === 'step.completed' && (e.data as { recoveredBy?: string }).recoveredBy === 'checkEffect')).toBe(true);
    expect(events.some((e) => e.type === 'action.note' && /^Finished: /.test(String((e.data as { message?: string }).message)))).toBe(true);
    const blocks = objectBlocks(await listObjects(context), 'vanished');
    expect(blocks.filter((b) => b.startsWith('Private Key Object'))).toHaveLength(1);
    expect(blocks.filter((b) => b.startsWith('Public Key Object'))).toHaveLength(1);
    expect((await readdir(join(dir, 'outputs'))).sort()).toEqual(['vanished.csr.pem', 'vanished.public-key.pem', 'vanished.root-certificate.pem']);
  });

  it('the device host dies before the key is made: the step fails; the retry with the PIN finds nothing and generates exactly one key', async () => {
    const dir = await tempDir('host-died');
    let killed = false;
    const dying = clientWith({
      generateKey: (async (sessionKey: string, request: never, options: never) => {
        if (!killed) {
          killed = true;
          process.kill(context.deviceHost.getState().pid!, 'SIGKILL');
          while (context.deviceHost.getState().status === 'ready') await new Promise((r) => setTimeout(r, 20));
        }
        return context.pkcs11.generateKey(sessionKey, request, options);
      }) as never,
    });
    const params = { algorithm: 'EC-P256', label: 'after-host-died' };
    const failed = await runKeygen(context, dir, params, { pkcs11: dying });
    expect(failed).toMatchObject({ status: 'failed', failedStep: 'generate' });

    await withCeremony(context, dir, async (ceremony) => {
      await ceremony.retry('generate', 'device host restarted');
      await ceremony.provideInput('generate', 'administrator', { pin: context.rehearsal!.pins.user });
      const generate = (await ceremony.runCurrentStep('generate')).steps.find((s) => s.id === 'generate')!;
      expect(generate.status, JSON.stringify(generate.failure)).toBe('completed');
      expect(generate.result).toMatchObject({ recovered: false, policyHolds: true });
    });
    const finished = await runKeygen(context, dir, params);
    expect(finished.status, JSON.stringify(finished.reason)).toBe('completed');
    const events = await eventsOf(dir);
    expect(events.find((e) => e.type === 'step.effect-checked')?.data).toMatchObject({ stepId: 'generate', state: 'absent' });
    expect(objectBlocks(await listObjects(context), 'after-host-died').filter((b) => b.startsWith('Private Key Object'))).toHaveLength(1);
  });
});
