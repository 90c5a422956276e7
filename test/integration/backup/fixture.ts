import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pkcs11js from 'pkcs11js';
import type { AppContext } from '../../../main/ipc/app-context';
import type { HostLauncher } from '../../../main/devices/host-client';
import { openAppContext, servicesOf, tempHome } from '../../fixtures/harness';
import { addRehearsalToken, ensureRehearsalToken } from '../../../main/devices/rehearsal';
import type { ExportedPublicKey } from '../../../main/devices/pkcs11-client';
import { opensslVerifies } from '../pkcs11/tools';
import { shareFromCardPdf } from './card-text';

/** The three keys the acceptance names, made on token A with the "backupable" policy. */
export const BACKUP_KEYS = [
  { label: 'backup-rsa', algorithm: 'RSA-2048' },
  { label: 'backup-ec', algorithm: 'EC-P256' },
  { label: 'backup-aes', algorithm: 'AES-256' },
] as const;

export interface BackupWorld {
  home: string;
  context: AppContext;
  module: string;
  tokenA: string;
  pins: { so: string; user: string };
  publicKeys: Record<string, ExportedPublicKey>;
  services: Record<string, unknown>;
}

export const TARGET_PINS = { so: '8765432112', user: '24681357' };

/**
 * Makes extra tokens in the rehearsal token store of `home` before anything loads SoftHSM2: it scans its token
 * folder at C_Initialize only, so a token made later by another process stays invisible to the device host.
 */
export async function prepareTokenStore(home: string, extraTokens: readonly string[]): Promise<void> {
  const rehearsal = await ensureRehearsalToken(home);
  // made by Custodian (serial recorded), so they are rehearsal tokens like the first one
  for (const label of extraTokens) await addRehearsalToken(rehearsal, label, TARGET_PINS);
}

/** A fresh app data folder (or `existingHome`, reopened) with its rehearsal token store and a real device host. */
export async function startWorld(
  prefix: string,
  extraTokens: readonly string[] = [],
  existingHome?: string,
  launcher?: (env: NodeJS.ProcessEnv) => HostLauncher,
): Promise<BackupWorld> {
  const home = existingHome ?? tempHome(prefix);
  if (!existingHome) await prepareTokenStore(home, extraTokens);
  const context = await openAppContext(home, { launcher });
  const rehearsal = context.rehearsal!;
  const services = servicesOf(context);
  return { home, context, module: rehearsal.modulePath, tokenA: rehearsal.tokenLabel, pins: rehearsal.pins, publicKeys: {}, services };
}

/** Runs fn in a user session of the token (the test's own, outside any ceremony). */
export async function asUser<T>(world: BackupWorld, label: string, pin: string, fn: (sessionKey: string) => Promise<T>): Promise<T> {
  const { sessionKey } = await world.context.pkcs11.openSession(world.module, { label }, true);
  try {
    await world.context.pkcs11.login(sessionKey, 'USER', new TextEncoder().encode(pin));
    return await fn(sessionKey);
  } finally {
    await world.context.pkcs11.closeSession(sessionKey).catch(() => undefined);
  }
}

export async function makeBackupableKeys(world: BackupWorld, keys: ReadonlyArray<{ label: string; algorithm: string }> = BACKUP_KEYS): Promise<void> {
  await asUser(world, world.tokenA, world.pins.user, async (sessionKey) => {
    for (const key of keys) {
      const made = await world.context.pkcs11.generateKey(sessionKey, { algorithm: key.algorithm, policy: 'backupable', label: key.label });
      if (made.publicKey) world.publicKeys[key.label] = made.publicKey;
    }
  });
}

/** Labels of every object a user sees on the token. */
export async function objectLabels(world: BackupWorld, label: string, pin: string): Promise<string[]> {
  return asUser(world, label, pin, async (sessionKey) => (await world.context.pkcs11.findObjects(sessionKey, {})).map((o) => `${o.class}:${o.label}`).sort());
}

/** The share texts of a rehearsal backup, read back from its share-card PDFs, by index. */
export async function sharesFromCards(ceremonyDir: string): Promise<Record<number, string>> {
  const outputs = join(ceremonyDir, 'outputs');
  const shares: Record<number, string> = {};
  for (const file of await readdir(outputs)) {
    const match = /^share-card-.+-(\d+)\.pdf$/.exec(file);
    if (match) shares[Number(match[1])] = shareFromCardPdf(join(outputs, file));
  }
  return shares;
}

/** Closes the sessions a failed ceremony left open and drops its secrets (what the app does when it is aborted). */
export async function cleanUpCeremony(world: BackupWorld, ceremonyId: string): Promise<void> {
  for (const [slot, session] of world.context.pkcs11Sessions.ofCeremony(ceremonyId)) {
    world.context.pkcs11Sessions.delete(slot);
    await world.context.pkcs11.logout(session.sessionKey).catch(() => undefined);
    await world.context.pkcs11.closeSession(session.sessionKey).catch(() => undefined);
  }
  world.context.vault.dropCeremony(ceremonyId);
}

export function journalEvents(
  ceremonyDir: string,
): Promise<Array<{ type: string; data: Record<string, unknown> & { stepId?: string; result?: Record<string, unknown> } }>> {
  return readFile(join(ceremonyDir, 'journal.jsonl'), 'utf8').then((t) =>
    t
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l)),
  );
}

export async function stepResult(ceremonyDir: string, stepId: string): Promise<Record<string, unknown>> {
  const event = (await journalEvents(ceremonyDir)).find((e) => e.type === 'step.completed' && e.data.stepId === stepId);
  if (!event) throw new Error(`step ${stepId} did not complete`);
  return event.data.result as Record<string, unknown>;
}

/**
 * The acceptance check, with tools independent of Custodian's code paths: each restored private key on the target
 * signs through Custodian and openssl verifies with the ORIGINAL public key exported from token A; the restored AES
 * key decrypts what the original AES key on token A encrypted (raw pkcs11js in this process, not the device host).
 * (OpenSC 0.23's pkcs11-tool --decrypt refuses AES-CBC-PAD on SoftHSM2 even for the original key, so it is not used.)
 */
export async function proveRestoredKeys(world: BackupWorld, target: { label: string; pin: string }): Promise<void> {
  const message = randomBytes(64);
  const signatures = await asUser(world, target.label, target.pin, async (sessionKey) => ({
    rsa: await world.context.pkcs11.sign(sessionKey, { label: 'backup-rsa' }, 'RSA-PKCS1-SHA256', message),
    ec: await world.context.pkcs11.sign(sessionKey, { label: 'backup-ec' }, 'ECDSA-SHA256', message),
  }));
  const rsaOk = await opensslVerifies({ pem: world.publicKeys['backup-rsa'].spkiPem, data: message, signature: signatures.rsa, algorithm: 'RSA-PKCS1-SHA256' });
  const ecOk = await opensslVerifies({ pem: world.publicKeys['backup-ec'].spkiPem, data: message, signature: signatures.ec, algorithm: 'ECDSA-SHA256' });
  if (!rsaOk || !ecOk) throw new Error(`openssl did not verify the restored keys' signatures (RSA ${rsaOk}, EC ${ecOk})`);

  const plaintext = randomBytes(100);
  const ciphertext = aesWithPkcs11js(world, world.tokenA, world.pins.user, 'encrypt', plaintext);
  const back = aesWithPkcs11js(world, target.label, target.pin, 'decrypt', ciphertext);
  if (!back.equals(plaintext)) throw new Error('The restored AES key did not decrypt what the original encrypted');
}

const IV = Buffer.alloc(16, 0x5a);

/** One AES-CBC-PAD operation with backup-aes on a token, through pkcs11js loaded in the test process. */
function aesWithPkcs11js(world: BackupWorld, tokenLabel: string, pin: string, op: 'encrypt' | 'decrypt', data: Buffer): Buffer {
  const before = process.env.SOFTHSM2_CONF;
  process.env.SOFTHSM2_CONF = world.context.rehearsal!.softhsmConf;
  const p11 = new pkcs11js.PKCS11();
  p11.load(world.module);
  p11.C_Initialize({ flags: 2 /* CKF_OS_LOCKING_OK */ });
  try {
    const slot = p11.C_GetSlotList(true).find((s) => p11.C_GetTokenInfo(s).label.trim() === tokenLabel);
    if (!slot) throw new Error(`no token ${tokenLabel}`);
    const session = p11.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
    p11.C_Login(session, pkcs11js.CKU_USER, pin);
    p11.C_FindObjectsInit(session, [
      { type: pkcs11js.CKA_LABEL, value: 'backup-aes' },
      { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_SECRET_KEY },
    ]);
    const key = p11.C_FindObjects(session, 1)[0];
    p11.C_FindObjectsFinal(session);
    const mechanism = { mechanism: pkcs11js.CKM_AES_CBC_PAD, parameter: IV };
    const out = Buffer.alloc(data.length + 32);
    if (op === 'encrypt') {
      p11.C_EncryptInit(session, mechanism, key);
      return Buffer.from(p11.C_Encrypt(session, data, out));
    }
    p11.C_DecryptInit(session, mechanism, key);
    return Buffer.from(p11.C_Decrypt(session, data, out));
  } finally {
    p11.C_Finalize();
    process.env.SOFTHSM2_CONF = before;
  }
}
