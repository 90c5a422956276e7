import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listObjects, objectBlocks, opensslVerifiesRoot, tempDir } from './harness';
import { eventsOf, retryWithPin, runOnStandin, standinWorldForSuite, startStandinWorld, type StandinWorld } from './standin';
import { join } from 'node:path';
import pkcs11js from 'pkcs11js';
import { CKR, rvOf, withStandin } from '../../fixtures/pkcs11-standin/direct';
import { destroyedSentence, destroyKeyObjects } from '../../../main/ceremony/actions/pkcs11/keygen/inspect';

/** The key-generation ceremony on a module that behaves like yubihsm_pkcs11 (the stand-in), as on the day. */

type Data = { stepId?: string; result?: Record<string, unknown>; message?: string; details?: Record<string, unknown> };
const notes = (events: Awaited<ReturnType<typeof eventsOf>>) => events.filter((e) => e.type === 'action.note').map((e) => e.data as Data);

describe('key generation on a module that hides objects and refuses random bytes before login', () => {
  let world: StandinWorld;
  beforeAll(async () => {
    world = await startStandinWorld();
  });
  afterAll(async () => {
    await world?.context.close();
  });

  it('learns the module: random refused and objects hidden before login, 2-byte ids, 40-byte labels', async () => {
    const behaviour = await world.context.pkcs11.behaviour(world.module, { label: world.context.rehearsal!.tokenLabel });
    expect(behaviour).toMatchObject({ randomBeforeLogin: 'refused', objectsBeforeLogin: 'hidden', preferredIdBytes: 2, labelMaxBytes: 40 });
    expect(behaviour.idSizes.nativeBytes).toBe(2);
    // and SoftHSM2 itself, the same token: both allowed, no id limit
    const softhsm = await world.context.pkcs11.behaviour(world.context.rehearsal!.modulePath, { label: world.context.rehearsal!.tokenLabel });
    expect(softhsm).toMatchObject({ randomBeforeLogin: 'allowed', objectsBeforeLogin: 'visible', preferredIdBytes: 8, profile: 'generic' });
  });

  it('runs the whole ceremony: the id comes from the host before login, the label is checked after login, the root verifies', async () => {
    const dir = await tempDir('standin-root');
    const result = await runOnStandin(world, dir, {
      algorithm: 'EC-P256',
      label: 'standin-root',
      subject: 'CN=Stand-in Root',
      selfSigned: true,
      validityYears: 5,
    });
    expect(result.status, JSON.stringify(result.reason)).toBe('completed');
    const events = await eventsOf(dir);
    const preflight = events.find((e) => e.type === 'step.completed' && (e.data as Data).stepId === 'preflight')!.data as Data;
    expect(preflight.result!.id).toMatch(/^[0-9a-f]{4}$/);
    expect(preflight.result!.idFrom).toMatch(/computer’s random generator/);
    expect(preflight.result!.checks).toContain('label and id checked after login, before generating (this module shows no objects before login)');
    expect(await opensslVerifiesRoot(join(dir, 'outputs', 'standin-root.root-certificate.pem'))).toBe(true);
    const blocks = objectBlocks(await listObjects(world.context), 'standin-root');
    expect(blocks.filter((b) => b.startsWith('Private Key Object'))).toHaveLength(1);
    expect(blocks.filter((b) => b.startsWith('Public Key Object'))).toHaveLength(1);
  });

  // yubihsm-shell 2.8.0 pkcs11/util_pkcs11.c:4370-4379 (parse_edparams: only the printable string "edwards25519"; the
  // OID is CKR_CURVE_NOT_SUPPORTED) and 2081-2120 (the key's CKA_EC_PARAMS reads back as that string)
  it('generates Ed25519: the module refuses the curve OID, the generation asks again with "edwards25519", and the key reads back so', async () => {
    const rehearsal = world.context.rehearsal!;
    const ed = (params: string) => () =>
      withStandin(world.module, rehearsal.softhsmConf, rehearsal.tokenLabel, rehearsal.pins.user, ({ p11, session }) =>
        p11.C_GenerateKeyPair(
          session,
          { mechanism: 0x1055 /* CKM_EC_EDWARDS_KEY_PAIR_GEN */ },
          [
            { type: pkcs11js.CKA_EC_PARAMS, value: Buffer.from(params, 'hex') },
            { type: pkcs11js.CKA_VERIFY, value: true },
          ],
          [{ type: pkcs11js.CKA_SIGN, value: true }],
        ),
      );
    expect(rvOf(ed('06032b6570'))).toBe(CKR.CURVE_NOT_SUPPORTED);
    expect(rvOf(ed('130c' + Buffer.from('edwards25519').toString('hex')))).toBe(CKR.OK);
    const dir = await tempDir('standin-ed25519');
    const result = await runOnStandin(world, dir, { algorithm: 'Ed25519', label: 'standin-ed25519' });
    expect(result.status, JSON.stringify(result.reason)).toBe('completed');
    const { sessionKey } = await world.context.pkcs11.openSession(world.module, { label: world.context.rehearsal!.tokenLabel }, false);
    try {
      await world.context.pkcs11.login(sessionKey, 'USER', new TextEncoder().encode(world.context.rehearsal!.pins.user));
      const [key] = await world.context.pkcs11.findObjects(sessionKey, { label: 'standin-ed25519', class: 'privateKey' });
      expect(key.attributes.CKA_EC_PARAMS).toBe('130c' + Buffer.from('edwards25519').toString('hex'));
    } finally {
      await world.context.pkcs11.closeSession(sessionKey);
    }
    const blocks = objectBlocks(await listObjects(world.context), 'standin-ed25519');
    expect(blocks.filter((b) => b.startsWith('Private Key Object'))).toHaveLength(1);
  });

  // yubihsm-shell 2.8.0 pkcs11/util_pkcs11.c:5009-5193 (parse_ec_generate_template: CKA_WRAP_WITH_TRUSTED is in
  // neither list, so CKR_ATTRIBUTE_TYPE_INVALID before the device is asked for anything)
  it('refuses a key-pair template with CKA_WRAP_WITH_TRUSTED (a backupable key) or a modifiable private key, as the module does', async () => {
    const rehearsal = world.context.rehearsal!;
    const generate = (privateExtra: pkcs11js.Template) => () =>
      withStandin(world.module, rehearsal.softhsmConf, rehearsal.tokenLabel, rehearsal.pins.user, ({ p11, session }) =>
        p11.C_GenerateKeyPair(
          session,
          { mechanism: pkcs11js.CKM_EC_KEY_PAIR_GEN },
          [
            { type: pkcs11js.CKA_EC_PARAMS, value: Buffer.from('06082a8648ce3d030107', 'hex') },
            { type: pkcs11js.CKA_TOKEN, value: false },
          ],
          [{ type: pkcs11js.CKA_SIGN, value: true }, ...privateExtra],
        ),
      );
    expect(rvOf(generate([{ type: pkcs11js.CKA_WRAP_WITH_TRUSTED, value: true }]))).toBe(CKR.ATTRIBUTE_TYPE_INVALID);
    expect(rvOf(generate([{ type: pkcs11js.CKA_MODIFIABLE, value: true }]))).toBe(CKR.ATTRIBUTE_VALUE_INVALID);
    expect(rvOf(generate([]))).toBe(CKR.OK);
    // the ceremony does not get that far: a backupable key is refused at preflight on this module (test below)
  });

  it('refuses a label that exists once logged in (the preflight could not see it), and makes nothing', async () => {
    const first = await runOnStandin(world, await tempDir('standin-taken-1'), { algorithm: 'EC-P256', label: 'standin-taken' });
    expect(first.status, JSON.stringify(first.reason)).toBe('completed');
    const second = await runOnStandin(world, await tempDir('standin-taken-2'), { algorithm: 'RSA-2048', label: 'standin-taken' });
    expect(second).toMatchObject({ status: 'failed', failedStep: 'generate', reason: { code: 'LabelExists' } });
    expect(objectBlocks(await listObjects(world.context), 'standin-taken')).toHaveLength(2);
  });

  it('says that Yubico’s module found no YubiHSM behind its connector when no token answers, not just “insert it”', async () => {
    const result = await runOnStandin(world, await tempDir('standin-no-token'), {
      algorithm: 'EC-P256',
      label: 'standin-no-token',
      tokenLabel: 'No Such YubiHSM',
    });
    expect(result).toMatchObject({ status: 'failed', failedStep: 'token-status' });
    expect(result.reason!.message).toMatch(
      /^No token with label “No Such YubiHSM” is present: Yubico’s YubiHSM module found no YubiHSM\. .*connector.*YUBIHSM_PKCS11_CONF/,
    );
  });

  it('refuses at preflight a backupable key, naming the module’s wrap limit and Custodian’s YubiHSM ceremonies, and makes nothing', async () => {
    const before = await listObjects(world.context);
    const result = await runOnStandin(world, await tempDir('standin-backupable'), { algorithm: 'EC-P256', label: 'standin-backupable', policy: 'backupable' });
    expect(result).toMatchObject({ status: 'failed', failedStep: 'preflight', reason: { code: 'PolicyUnsupported' } });
    expect(result.reason!.message).toMatch(/^A backupable key cannot be made here\. Yubico’s YubiHSM module cannot carry/);
    expect(result.reason!.message).toMatch(/only under a YubiHSM’s own wrap keys.*yubihsm-setup.*yubihsm-restore/);
    expect(await listObjects(world.context)).toBe(before);
  });

  it('refuses at preflight a label and an id the module cannot hold, with its own limits, and makes nothing', async () => {
    const before = await listObjects(world.context);
    const label = 'a-label-that-is-longer-than-forty-bytes-on-purpose';
    const long = await runOnStandin(world, await tempDir('standin-long'), { algorithm: 'EC-P256', label });
    expect(long).toMatchObject({ status: 'failed', failedStep: 'preflight', reason: { code: 'LabelInvalid' } });
    expect(long.reason!.message).toContain('at most 40 bytes');
    const id = await runOnStandin(world, await tempDir('standin-id'), { algorithm: 'EC-P256', label: 'standin-id', id: '0102030405060708' });
    expect(id).toMatchObject({ status: 'failed', failedStep: 'preflight', reason: { code: 'IdInvalid' } });
    expect(id.reason!.message).toMatch(/holds key ids of 2 bytes \(4 hex digits\); an id of 8 bytes would be kept in a separate meta object/);
    expect(await listObjects(world.context)).toBe(before);
  });
});

describe.each([
  ['after-generate-keypair', ['publicKey', 'privateKey']],
  ['after-generate-keypair-public-only', ['publicKey']],
] as const)('a fault right after C_GenerateKeyPair (%s)', (fault, destroyed) => {
  let world: StandinWorld;
  beforeAll(async () => {
    world = await startStandinWorld(fault);
  });
  afterAll(async () => {
    await world?.context.close();
  });

  it('leaves nothing on the token, journals what was destroyed, and the retry makes one whole key', async () => {
    const dir = await tempDir(`standin-${fault}`);
    const params = { algorithm: 'EC-P384', label: `fault-${destroyed.length}`, subject: 'CN=Fault', csr: true };
    const failed = await runOnStandin(world, dir, params);
    expect(failed).toMatchObject({ status: 'failed', failedStep: 'generate', reason: { code: 'DeviceError' } });
    expect(failed.reason!.message).toMatch(/destroyed, so a retry starts clean/);
    const listing = await listObjects(world.context);
    expect(objectBlocks(listing, params.label)).toEqual([]);
    expect(listing).not.toMatch(/Meta object/);
    const note = notes(await eventsOf(dir)).find((n) => n.details?.cleanup);
    expect(note?.details).toMatchObject({ cleanup: 'destroyed', label: params.label });
    expect([...(note!.details!.destroyed as string[])].sort()).toEqual([...destroyed].sort());

    const generate = await retryWithPin(world, dir, 'generate');
    expect(generate.status, JSON.stringify(generate.failure)).toBe('completed');
    expect(generate.result).toMatchObject({ recovered: false, policyHolds: true });
    const finished = await runOnStandin(world, dir, params);
    expect(finished.status, JSON.stringify(finished.reason)).toBe('completed');
    const blocks = objectBlocks(await listObjects(world.context), params.label);
    expect(blocks.filter((b) => b.startsWith('Private Key Object'))).toHaveLength(1);
    expect(blocks.filter((b) => b.startsWith('Public Key Object'))).toHaveLength(1);
  });
});

describe.each([
  ['kill-after-generate-keypair', 'finished', true],
  ['kill-after-generate-keypair-public-only', 'cleaned up', false],
] as const)('the device host is killed right after C_GenerateKeyPair (%s)', (fault, outcome, recovered) => {
  let world: StandinWorld;
  beforeAll(async () => {
    world = await startStandinWorld(fault);
  });
  afterAll(async () => {
    await world?.context.close();
  });

  it(`the retry logs in again, finds what exists, ${outcome === 'finished' ? 'finishes with the whole key' : 'destroys the lone public key and generates afresh'}, and says which`, async () => {
    const dir = await tempDir(`standin-${fault}`);
    const params = { algorithm: 'EC-P256', label: `killed-${recovered ? 'whole' : 'half'}` };
    const failed = await runOnStandin(world, dir, params);
    expect(failed).toMatchObject({ status: 'failed', failedStep: 'generate' });
    const left = objectBlocks(await listObjects(world.context), params.label);
    expect(left).toHaveLength(recovered ? 2 : 1);

    const generate = await retryWithPin(world, dir, 'generate');
    expect(generate.status, JSON.stringify(generate.failure)).toBe('completed');
    expect(generate.result).toMatchObject({ recovered, policyHolds: true });
    const said = notes(await eventsOf(dir)).find((n) => n.details?.outcome);
    expect(said?.details).toMatchObject({ outcome, label: params.label });
    if (!recovered) expect(said!.details!.destroyed).toEqual(['publicKey']);
    const finished = await runOnStandin(world, dir, params);
    expect(finished.status, JSON.stringify(finished.reason)).toBe('completed');
    const blocks = objectBlocks(await listObjects(world.context), params.label);
    expect(blocks.filter((b) => b.startsWith('Private Key Object'))).toHaveLength(1);
    expect(blocks.filter((b) => b.startsWith('Public Key Object'))).toHaveLength(1);
  });
});

describe('a key that breaks the promise is destroyed whole through a module that keeps a pair as one object', () => {
  const worldOf = standinWorldForSuite();

  it('names both halves as gone, the public one with the private one, and the token lists neither afterwards', async () => {
    const world = worldOf();
    const { pkcs11 } = world.context;
    const { sessionKey } = await pkcs11.openSession(world.module, { label: world.context.rehearsal!.tokenLabel }, true);
    try {
      await pkcs11.login(sessionKey, 'USER', new TextEncoder().encode(world.context.rehearsal!.pins.user));
      await pkcs11.generateKey(sessionKey, { algorithm: 'EC-P256', policy: 'signing', label: 'standin-destroy', id: '0b01' });
      expect(objectBlocks(await listObjects(world.context), 'standin-destroy')).toHaveLength(2);
      const result = await destroyKeyObjects(pkcs11, sessionKey, 'standin-destroy', '0b01');
      expect(result).toEqual({ destroyed: ['privateKey', 'publicKey'], withOtherHalf: ['publicKey'], left: 0 });
      expect(destroyedSentence('standin-destroy', result)).toBe(
        'Destroyed the private key and the public key of “standin-destroy” (one device object: the module removed both halves with one destruction).',
      );
    } finally {
      await pkcs11.closeSession(sessionKey).catch(() => undefined);
    }
    expect(objectBlocks(await listObjects(world.context), 'standin-destroy')).toEqual([]);
  });
});
