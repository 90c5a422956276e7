/**
 * Backup and restore benchmark (JSON): 1,000 AES-256 keys backed up and restored through the full stack (engine,
 * journal, device host RPC, SoftHSM2, bundle files, share cards, restore rehearsal) with the backup and restore
 * templates, next to a raw pkcs11js loop in this process doing the same wraps and unwraps (CKM_AES_KEY_WRAP_PAD under
 * a trusted KEK). Ratios compare the wrap and unwrap steps with the raw loops, and whole ceremonies with the loops.
 * Run: npx tsx test/bench/backup.bench.ts
 */
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import pkcs11js from 'pkcs11js';
import { runScript } from '../../main/ceremony';
import { backupAnswers, backupScript, restoreAnswers, restoreScript } from '../fixtures/templates/answers';
import { makeSoftHsm } from '../fixtures/softhsm';
import { asUser, sharesFromCards, startWorld, stepResult, TARGET_PINS } from '../integration/backup/fixture';

const KEYS = Number(process.env.BACKUP_BENCH_KEYS ?? 1000);
const round = (n: number) => Math.round(n * 10) / 10;

function stepMs(dir: string, stepId: string): number {
  const events = readFileSync(join(dir, 'journal.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  const started = events.find((e) => e.type === 'step.started' && e.data.stepId === stepId);
  const completed = events.find((e) => e.type === 'step.completed' && e.data.stepId === stepId);
  return Date.parse(completed.time) - Date.parse(started.time);
}

async function fullStack() {
  const world = await startWorld('backup-bench', ['Token B']);
  try {
    const labels = Array.from({ length: KEYS }, (_, i) => `bench-aes-${String(i).padStart(4, '0')}`);
    await asUser(world, world.tokenA, world.pins.user, async (sessionKey) => {
      for (const label of labels) await world.context.pkcs11.generateKey(sessionKey, { algorithm: 'AES-256', policy: 'backupable', label });
    });
    await mkdir(join(world.home, 'ceremonies'), { recursive: true });
    const parameters = { tokenLabel: world.tokenA, keys: labels.join(','), custodians: 3, threshold: 2 };
    const backupDir = join(world.home, 'ceremonies', 'backup');
    let t = performance.now();
    const backup = await runScript(backupScript(parameters), backupAnswers({ parameters, pins: world.pins }), {
      dir: backupDir,
      rehearsal: true,
      services: world.services,
    });
    const backupMs = performance.now() - t;
    if (backup.status !== 'completed') throw new Error(`backup: ${JSON.stringify(backup.reason)}`);

    const shares = await sharesFromCards(backupDir);
    const wrap = await stepResult(backupDir, 'wrap-keys');
    const restoreParameters = {
      targetTokenLabel: 'Token B',
      bundle: join(backupDir, 'outputs', String(wrap.bundleDir)),
      backupJournal: join(backupDir, 'journal.jsonl'),
      custodians: 3,
      threshold: 2,
    };
    const answers = restoreAnswers({
      parameters: restoreParameters,
      userPin: TARGET_PINS.user,
      shares: [1, 3].map((i) => ({ custodian: i, text: shares[i] })),
    });
    const restoreDir = join(world.home, 'ceremonies', 'restore');
    t = performance.now();
    const restore = await runScript(restoreScript(restoreParameters), answers, { dir: restoreDir, rehearsal: true, services: world.services });
    const restoreMs = performance.now() - t;
    if (restore.status !== 'completed') throw new Error(`restore: ${JSON.stringify(restore.reason)}`);
    return {
      backupCeremonyMs: round(backupMs),
      restoreCeremonyMs: round(restoreMs),
      checkKeysStepMs: stepMs(backupDir, 'check-keys'),
      wrapStepMs: stepMs(backupDir, 'wrap-keys'),
      shareCardsMs: [1, 2, 3].reduce((sum, i) => sum + stepMs(backupDir, `print-card-${i}`), 0),
      readBundleStepMs: stepMs(restoreDir, 'read-bundle'),
      unwrapStepMs: stepMs(restoreDir, 'unwrap-keys'),
    };
  } finally {
    await world.context.close();
  }
}

async function rawPkcs11js() {
  const hsm = await makeSoftHsm({ setProcessEnv: true });
  const pins = { so: '1234567890', user: '12345678' };
  await hsm.initToken('raw-a', pins.so, pins.user);
  await hsm.initToken('raw-b', pins.so, pins.user);
  const p11 = new pkcs11js.PKCS11();
  p11.load(hsm.module);
  p11.C_Initialize({ flags: 2 /* CKF_OS_LOCKING_OK */ });
  try {
    const slotOf = (label: string) => p11.C_GetSlotList(true).find((s) => p11.C_GetTokenInfo(s).label.trim() === label)!;
    const open = (label: string) => p11.C_OpenSession(slotOf(label), pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
    const kekValue = Buffer.alloc(32, 0x42);
    const kekBase = [
      { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_SECRET_KEY },
      { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_AES },
      { type: pkcs11js.CKA_VALUE, value: kekValue },
      { type: pkcs11js.CKA_SENSITIVE, value: true },
      { type: pkcs11js.CKA_EXTRACTABLE, value: false },
    ];
    // token A: keys as the "backupable" policy makes them, the SO's trusted KEK, then the user's wraps
    const so = open('raw-a');
    p11.C_Login(so, pkcs11js.CKU_SO, pins.so);
    p11.C_CreateObject(so, [
      ...kekBase,
      { type: pkcs11js.CKA_LABEL, value: 'kek' },
      { type: pkcs11js.CKA_TOKEN, value: true },
      { type: pkcs11js.CKA_PRIVATE, value: false },
      { type: pkcs11js.CKA_TRUSTED, value: true },
      { type: pkcs11js.CKA_WRAP, value: true },
    ]);
    p11.C_Logout(so);
    p11.C_CloseSession(so);
    const a = open('raw-a');
    p11.C_Login(a, pkcs11js.CKU_USER, pins.user);
    // the attributes every backed-up key k<i> has, on token A when made and on token B when unwrapped
    const storedKey = (i: number) => [
      { type: pkcs11js.CKA_LABEL, value: `k${i}` },
      { type: pkcs11js.CKA_TOKEN, value: true },
      { type: pkcs11js.CKA_PRIVATE, value: true },
      { type: pkcs11js.CKA_SENSITIVE, value: true },
      { type: pkcs11js.CKA_EXTRACTABLE, value: true },
      { type: pkcs11js.CKA_WRAP_WITH_TRUSTED, value: true },
      { type: pkcs11js.CKA_ENCRYPT, value: true },
      { type: pkcs11js.CKA_DECRYPT, value: true },
    ];
    const keys = Array.from({ length: KEYS }, (_, i) =>
      p11.C_GenerateKey(a, { mechanism: pkcs11js.CKM_AES_KEY_GEN }, [
        { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_SECRET_KEY },
        { type: pkcs11js.CKA_VALUE_LEN, value: 32 },
        ...storedKey(i),
      ]),
    );
    p11.C_FindObjectsInit(a, [{ type: pkcs11js.CKA_LABEL, value: 'kek' }]);
    const kek = p11.C_FindObjects(a, 1)[0];
    p11.C_FindObjectsFinal(a);
    const mechanism = { mechanism: pkcs11js.CKM_AES_KEY_WRAP_PAD };
    const out = Buffer.alloc(1024);
    let t = performance.now();
    const blobs = keys.map((key) => Buffer.from(p11.C_WrapKey(a, mechanism, kek, key, out)));
    const wrapMs = performance.now() - t;
    p11.C_Logout(a);
    p11.C_CloseSession(a);

    // token B: the user imports the KEK as an unwrap-only session key and unwraps every blob onto the token
    const b = open('raw-b');
    p11.C_Login(b, pkcs11js.CKU_USER, pins.user);
    const unwrapKek = p11.C_CreateObject(b, [...kekBase, { type: pkcs11js.CKA_TOKEN, value: false }, { type: pkcs11js.CKA_UNWRAP, value: true }]);
    t = performance.now();
    blobs.forEach((blob, i) =>
      p11.C_UnwrapKey(b, mechanism, unwrapKek, blob, [
        { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_SECRET_KEY },
        { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_AES },
        ...storedKey(i),
      ]),
    );
    const unwrapMs = performance.now() - t;
    p11.C_Logout(b);
    p11.C_CloseSession(b);
    return { wrapMs: round(wrapMs), unwrapMs: round(unwrapMs) };
  } finally {
    p11.C_Finalize();
    await hsm.cleanup();
  }
}

const raw = await rawPkcs11js();
const full = await fullStack();
console.log(
  JSON.stringify({
    keys: KEYS,
    keyType: 'AES-256',
    mechanism: 'CKM_AES_KEY_WRAP_PAD',
    fullStack: full,
    rawPkcs11js: raw,
    wrapStepOverRawRatio: round(full.wrapStepMs / raw.wrapMs),
    unwrapStepOverRawRatio: round(full.unwrapStepMs / raw.unwrapMs),
    backupCeremonyOverRawWrapRatio: round(full.backupCeremonyMs / raw.wrapMs),
    restoreCeremonyOverRawUnwrapRatio: round(full.restoreCeremonyMs / raw.unwrapMs),
    note: 'full stack = runScript of the templates (3 custodians, 2 to restore) through the device host; the unwrap step also checks labels, the manifest MAC and proves no private key (AES only)',
  }),
);
