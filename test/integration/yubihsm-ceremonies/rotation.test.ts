import { parse, stringify } from 'yaml';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { answersExample, getTemplate, runScript } from '../../../main/ceremony';
import { REHEARSAL_PASSWORDS } from '../../fixtures/templates/answers';
import { ceremonyServices as servicesOf } from '../../fixtures/harness';
import {
  AUTH,
  createCeremony,
  drive,
  filesContaining,
  objectsSeenBy,
  opens,
  resultOf,
  setUpDirectly,
  typedAtTheTerminal,
  useContextAndDevice,
} from './helpers';

// yubihsm-auth-rotation through runScript (the `custodian run` path) and the engine, on a device left as setup leaves
// it; every claim is checked against the simulator with a client of the test's own.

const NEW = 'rehearsal-operator-new'; // what the answers example types as the new password

describe('yubihsm-auth-rotation', () => {
  const world = useContextAndDevice('yubihsm-rotation');
  let anchor: string;
  let runs = 0;

  beforeEach(async () => {
    const { device } = world;
    anchor = await setUpDirectly(device.client, REHEARSAL_PASSWORDS);
  });

  /** runScript of the template with its answers example (parameters overridden; step inputs patched). */
  async function run(parameters: Record<string, string | number | boolean>, patch: Record<string, Record<string, string>> = {}) {
    const full = { device: world.device.url, ...parameters };
    const answers = parse(answersExample('yubihsm-auth-rotation', full)!);
    for (const [step, values] of Object.entries(patch)) Object.assign(answers.steps[step].input.values, values);
    const dir = join(world.dataDir, `run-${++runs}`);
    const text = getTemplate('yubihsm-auth-rotation', full)!.text;
    const terminal = typedAtTheTerminal(text, answers); // a connector URL: a real ceremony, secrets typed
    const result = await runScript(text, terminal.answersText, { dir, rehearsal: false, askSecret: terminal.askSecret, services: servicesOf(world.context) });
    return { result, dir };
  }

  it('replaces the operator key: the new key opens a session with the same rights, the old one is gone, the log continues', async () => {
    const { device } = world;
    const before = (await objectsSeenBy(device.client, 2, REHEARSAL_PASSWORDS.admin)).find((o) => o.id === 3 && o.type === AUTH)!;
    const { result, dir } = await run({ auditAnchor: anchor });
    expect(result.reason ?? null).toBeNull();
    expect(result.status).toBe('completed');
    expect(await opens(device.client, 3, REHEARSAL_PASSWORDS.operator)).toBe('OBJECT_NOT_FOUND');
    const after = await objectsSeenBy(device.client, 2, REHEARSAL_PASSWORDS.admin);
    const replacement = after.find((o) => o.type === AUTH && ![2, 4].includes(o.id))!;
    expect(await opens(device.client, replacement.id, NEW)).toBe('ok');
    expect({ c: replacement.capabilities, d: replacement.delegatedCapabilities, dom: replacement.domains, l: replacement.label }).toEqual({
      c: before.capabilities,
      d: before.delegatedCapabilities,
      dom: before.domains,
      l: before.label,
    });
    expect(filesContaining(dir, [NEW, REHEARSAL_PASSWORDS.admin, REHEARSAL_PASSWORDS.operator])).toEqual([]);
  }, 60_000);

  it('changes the operator key’s password on its own session: the new one works, the old one is refused', async () => {
    const { device } = world;
    const { result, dir } = await run({ mode: 'change-password', auditAnchor: anchor });
    expect(result.reason ?? null).toBeNull();
    expect(await opens(device.client, 3, NEW)).toBe('ok');
    expect(await opens(device.client, 3, REHEARSAL_PASSWORDS.operator)).toBe('AUTHENTICATION_FAILED');
    expect(filesContaining(dir, [NEW, REHEARSAL_PASSWORDS.operator])).toEqual([]);
  }, 60_000);

  it('rotates the managing key itself: the session moves to the replacement before the old key is deleted', async () => {
    const { device } = world;
    const { result } = await run({ keyId: 2, managerKeyId: 2, keyHolder: 'administrator', newKeyId: 12, auditAnchor: anchor });
    expect(result.reason ?? null).toBeNull();
    expect(await opens(device.client, 2, REHEARSAL_PASSWORDS.admin)).toBe('OBJECT_NOT_FOUND');
    expect(await opens(device.client, 12, NEW)).toBe('ok');
  }, 60_000);

  it('changes the managing key’s password on the very session that changes it', async () => {
    const { device } = world;
    const { result } = await run({ mode: 'change-password', keyId: 2, managerKeyId: 2, keyHolder: 'administrator', auditAnchor: anchor });
    expect(result.reason ?? null).toBeNull();
    expect(await opens(device.client, 2, NEW)).toBe('ok');
    expect(await opens(device.client, 2, REHEARSAL_PASSWORDS.admin)).toBe('AUTHENTICATION_FAILED');
  }, 60_000);

  it('refuses an anchor the audit log does not continue from, and changes nothing', async () => {
    const { device } = world;
    const [n] = anchor.split(':');
    const { result } = await run({ auditAnchor: `${n}:${'0'.repeat(32)}` });
    expect(result.status).toBe('failed');
    expect(result.failedStep).toBe('verify-audit-log');
    expect(result.reason?.code).toBe('AuditLogDoesNotContinue');
    expect(result.reason?.message).toMatch(/does not continue from the anchor/);
    expect(await opens(device.client, 3, REHEARSAL_PASSWORDS.operator)).toBe('ok');
    const later = await run({ auditAnchor: `${Number(n) - 3}:${anchor.split(':')[1]}` });
    expect(later.result.reason?.code).toBe('AuditLogDoesNotContinue');
  }, 60_000);

  it('shows the device’s refusal of a wrong password, and a retry asks again', async () => {
    const { context, dataDir, device } = world;
    const params = { device: device.url, auditAnchor: anchor };
    const { ceremony, answers } = await createCeremony(context, dataDir, 'yubihsm-auth-rotation', params);
    let r = await drive(ceremony, answers, { inputs: { 'open-manager-session': { values: { password: 'not the admin password' } } } });
    expect(r.view.current?.id).toBe('open-manager-session');
    expect(r.view.current?.failure?.code).toBe('AUTHENTICATION_FAILED');
    expect(r.view.current?.failure?.message).toBe('The YubiHSM refused the authentication key: the key ID or the password is wrong.');
    await ceremony.retry('open-manager-session', 'mistyped');
    r = await drive(ceremony, answers, {
      inputs: { 'open-manager-session': { values: { password: REHEARSAL_PASSWORDS.admin } } },
      stopBefore: 'create-replacement',
    });
    expect(r.view.current?.id).toBe('create-replacement');
    expect(resultOf(r.view, 'verify-audit-log')).toMatchObject({ verifiedFrom: anchor, anchorStillInStore: true });
    await ceremony.abort('test over');
  }, 60_000);

  /** A two-step script: open a session with one key, then delete another with the given params. */
  async function deleteWith(sessionKeyId: number, password: string, deleteParams: Record<string, unknown>) {
    const script = stringify({
      metadata: { id: 'delete-test', title: 'Delete test' },
      roles: { administrator: {}, witnesses: { count: 1 } },
      parameters: { device: { type: 'string', default: world.device.url } },
      steps: [
        {
          id: 'open',
          kind: 'action',
          title: 'Open',
          action: 'yubihsm.open-session',
          params: { device: '${parameters.device}', keyId: sessionKeyId, as: 'm' },
          inputs: { from: 'administrator', fields: [{ name: 'password', label: 'Password', type: 'text', secret: true }] },
        },
        { id: 'delete', kind: 'action', title: 'Delete', action: 'yubihsm.delete-auth-key', params: { session: 'm', ...deleteParams } },
      ],
    });
    const terminal = typedAtTheTerminal(script, {
      checkIns: [
        { participant: 'administrator', name: 'A', identityCheck: 'badge', checkedBy: 'witness-1' },
        { participant: 'witness-1', name: 'W', identityCheck: 'badge', checkedBy: 'administrator' },
      ],
      steps: { open: { input: { by: 'administrator', values: { password } } } },
    } as never);
    return runScript(script, terminal.answersText, {
      dir: join(world.dataDir, `run-${++runs}`),
      rehearsal: false,
      askSecret: terminal.askSecret,
      services: servicesOf(world.context),
    });
  }

  it('never deletes the last key that can manage authentication keys, nor the key of its own session, nor an unproven replacement', async () => {
    const { device } = world;
    // a key that may delete keys but not create them: deleting the admin key from it would leave nobody to manage keys
    const { roleMasks, capabilityMask } = await import('../../../main/ceremony/actions/yubihsm');
    const admin = await device.client.openSession(2, REHEARSAL_PASSWORDS.admin, { keepAliveMs: 0 });
    await admin.putAuthenticationKey(
      { id: 5, label: 'deleter', domains: 1, capabilities: capabilityMask('delete-authentication-key'), delegatedCapabilities: 0n },
      'deleter password',
    );
    await admin.close();
    expect(roleMasks('admin').capabilities & capabilityMask('put-authentication-key')).not.toBe(0n);

    let r = await deleteWith(5, 'deleter password', { keyId: 2 });
    expect(r.reason?.code).toBe('WouldLockOut');
    r = await deleteWith(2, REHEARSAL_PASSWORDS.admin, { keyId: 2 });
    expect(r.reason?.code).toBe('DeletesOpenSessionKey');
    r = await deleteWith(2, REHEARSAL_PASSWORDS.admin, { keyId: 3, replacementKeyId: 7, replacementProven: false });
    expect(r.reason?.code).toBe('ReplacementNotProven');
    for (const [id, pw] of [
      [2, REHEARSAL_PASSWORDS.admin],
      [3, REHEARSAL_PASSWORDS.operator],
    ] as const)
      expect(await opens(device.client, id, pw)).toBe('ok');
    // the same script deletes an ordinary key
    r = await deleteWith(2, REHEARSAL_PASSWORDS.admin, { keyId: 5 });
    expect(r.status).toBe('completed');
    expect(await opens(device.client, 5, 'deleter password')).toBe('OBJECT_NOT_FOUND');
  }, 60_000);
});
