/**
 * PKCS#11 throughput: raw pkcs11js in this process vs the full stack (main -> device host child process -> pkcs11js),
 * both on the same SoftHSM2 token. Prints one JSON object.
 *   npx tsx test/bench/pkcs11.bench.ts
 */
import { createHash, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { startDeviceHost } from '../fixtures/harness';
import { Pkcs11Client } from '../../main/devices/pkcs11-client';
import { makeSoftHsm } from '../fixtures/softhsm';
import type * as Pkcs11js from 'pkcs11js';

const SIGN_COUNT = 1000;
const ROUNDS = 7;
const WRAP_COUNT = 500;
const LATENCY_SAMPLES = 300;
const PIN = '123456';
const SO_PIN = '87654321';

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
const round = (n: number, digits = 3) => Number(n.toFixed(digits));

async function main() {
  const hsm = await makeSoftHsm({ setProcessEnv: true });
  await hsm.initToken('bench', SO_PIN, PIN);

  // ---- raw pkcs11js in this process
  const pkcs11 = createRequire(import.meta.url)('pkcs11js') as typeof Pkcs11js;
  const raw = new pkcs11.PKCS11();
  raw.load(hsm.module);
  raw.C_Initialize({ flags: pkcs11.CKF_OS_LOCKING_OK });
  const slot = raw.C_GetSlotList(true).find((s) => raw.C_GetTokenInfo(s).label.trim() === 'bench')!;
  const rs = raw.C_OpenSession(slot, pkcs11.CKF_SERIAL_SESSION | pkcs11.CKF_RW_SESSION);
  raw.C_Login(rs, pkcs11.CKU_USER, PIN);
  const ecParams = Buffer.from('06082a8648ce3d030107', 'hex');
  const pair = raw.C_GenerateKeyPair(
    rs,
    { mechanism: pkcs11.CKM_EC_KEY_PAIR_GEN },
    [
      { type: pkcs11.CKA_EC_PARAMS, value: ecParams },
      { type: pkcs11.CKA_VERIFY, value: true },
      { type: pkcs11.CKA_TOKEN, value: false },
    ],
    // A token object, like the full stack's signing key: SoftHSM2 checks a token object's file on every use, so a
    // session-object key here would compare two different things.
    [
      { type: pkcs11.CKA_SIGN, value: true },
      { type: pkcs11.CKA_SENSITIVE, value: true },
      { type: pkcs11.CKA_TOKEN, value: true },
      { type: pkcs11.CKA_PRIVATE, value: true },
    ],
  );
  const messages = Array.from({ length: SIGN_COUNT }, () => new Uint8Array(randomBytes(64)));
  const out = Buffer.alloc(256);
  // SoftHSM2 has CKM_ECDSA but not CKM_ECDSA_SHA256: hash here, as the layer does.
  const rawSign = (m: Uint8Array) => {
    raw.C_SignInit(rs, { mechanism: pkcs11.CKM_ECDSA }, pair.privateKey);
    return raw.C_Sign(rs, createHash('sha256').update(m).digest(), out);
  };
  // Warm-up (JIT, SoftHSM caches) for both sides before timing.
  for (const m of messages.slice(0, 200)) rawSign(m);
  // Median of several batches on each side: one batch of 1,000 takes tens of milliseconds, so one sample is noise.
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const rawRounds: number[] = [];
  let t = 0;
  for (let r = 0; r < ROUNDS; r++) {
    t = performance.now();
    for (const m of messages) rawSign(m);
    rawRounds.push(performance.now() - t);
  }
  const rawSignMs = median(rawRounds);

  const rawLatency: number[] = [];
  for (let i = 0; i < LATENCY_SAMPLES; i++) {
    const t0 = performance.now();
    rawSign(messages[i]);
    rawLatency.push(performance.now() - t0);
  }

  // ---- full stack through the device host
  const host = await startDeviceHost(hsm.env);
  const p11 = new Pkcs11Client(host);
  await p11.loadModule(hsm.module);
  const s = (await p11.openSession(hsm.module, { label: 'bench' })).sessionKey;
  const kekBytes = randomBytes(32);
  await p11.login(s, 'SO', new TextEncoder().encode(SO_PIN));
  await p11.importKek(s, { label: 'bench-kek', value: new Uint8Array(kekBytes), role: 'trustedWrap' });
  await p11.logout(s);
  await p11.login(s, 'USER', new TextEncoder().encode(PIN));
  await p11.importKek(s, { label: 'bench-restore-kek', value: new Uint8Array(kekBytes), role: 'unwrapOnly' });
  kekBytes.fill(0);
  await p11.generateKey(s, { algorithm: 'EC-P256', policy: 'signing', label: 'bench-ec' });
  const ref = { label: 'bench-ec' };

  await p11.signBatch(s, ref, 'ECDSA-SHA256', messages.slice(0, 200));
  const stackRounds: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    t = performance.now();
    const sigs = await p11.signBatch(s, ref, 'ECDSA-SHA256', messages);
    stackRounds.push(performance.now() - t);
    if (sigs.length !== SIGN_COUNT) throw new Error('batch size mismatch');
  }
  const stackSignMs = median(stackRounds);

  const stackLatency: number[] = [];
  for (let i = 0; i < LATENCY_SAMPLES; i++) {
    const t0 = performance.now();
    await p11.sign(s, ref, 'ECDSA-SHA256', messages[i]);
    stackLatency.push(performance.now() - t0);
  }

  // Signing phases first, on a nearly empty token: SoftHSM2's search cost grows with the objects stored.
  const aesTemplate = (label: string) => [
    // Token objects, like the layer's backupable keys: SoftHSM2 writes each one to a file, which dominates the cost.
    { type: pkcs11.CKA_LABEL, value: label },
    { type: pkcs11.CKA_VALUE_LEN, value: 32 },
    { type: pkcs11.CKA_TOKEN, value: true },
    { type: pkcs11.CKA_SENSITIVE, value: true },
    { type: pkcs11.CKA_EXTRACTABLE, value: true },
    { type: pkcs11.CKA_ENCRYPT, value: true },
  ];
  const rawKek = raw.C_GenerateKey(rs, { mechanism: pkcs11.CKM_AES_KEY_GEN }, [
    { type: pkcs11.CKA_VALUE_LEN, value: 32 },
    { type: pkcs11.CKA_TOKEN, value: false },
    { type: pkcs11.CKA_WRAP, value: true },
    { type: pkcs11.CKA_UNWRAP, value: true },
  ]);
  const rawKeys = Array.from({ length: WRAP_COUNT }, (_, i) => raw.C_GenerateKey(rs, { mechanism: pkcs11.CKM_AES_KEY_GEN }, aesTemplate(`raw-${i}`)));
  const wrapOut = Buffer.alloc(1024);
  t = performance.now();
  const rawBlobs = rawKeys.map((k) => Buffer.from(raw.C_WrapKey(rs, { mechanism: pkcs11.CKM_AES_KEY_WRAP_PAD }, rawKek, k, wrapOut)));
  const rawWrapMs = performance.now() - t;
  t = performance.now();
  rawBlobs.forEach((blob, i) =>
    raw.C_UnwrapKey(rs, { mechanism: pkcs11.CKM_AES_KEY_WRAP_PAD }, rawKek, blob, [
      { type: pkcs11.CKA_CLASS, value: pkcs11.CKO_SECRET_KEY },
      { type: pkcs11.CKA_KEY_TYPE, value: pkcs11.CKK_AES },
      ...aesTemplate(`raw-u-${i}`).filter((a) => a.type !== pkcs11.CKA_VALUE_LEN),
    ]),
  );
  const rawUnwrapMs = performance.now() - t;
  for (let i = 0; i < WRAP_COUNT; i++) await p11.generateKey(s, { algorithm: 'AES-256', policy: 'backupable', label: `k-${i}` });
  const refs = Array.from({ length: WRAP_COUNT }, (_, i) => ({ label: `k-${i}`, class: 'secretKey' as const }));
  t = performance.now();
  const wrapped = await p11.wrapKeys(s, { label: 'bench-kek' }, refs);
  const stackWrapMs = performance.now() - t;
  // Unwrapping into the same token needs free labels: the copies get new ones.
  const copies = wrapped.map((w) => ({ ...w, label: `u-${w.label}` }));
  t = performance.now();
  const restored = await p11.unwrapKeys(s, { label: 'bench-restore-kek' }, copies);
  const stackUnwrapMs = performance.now() - t;
  if (restored.length !== WRAP_COUNT) throw new Error('unwrap count mismatch');

  raw.C_Logout(rs);
  raw.C_CloseSession(rs);
  await p11.shutdown();
  await host.stop();
  raw.C_Finalize();
  await hsm.cleanup();

  const rawSignRate = SIGN_COUNT / (rawSignMs / 1000);
  const stackSignRate = SIGN_COUNT / (stackSignMs / 1000);
  const rawWrapRate = (2 * WRAP_COUNT) / ((rawWrapMs + rawUnwrapMs) / 1000);
  const stackWrapRate = (2 * WRAP_COUNT) / ((stackWrapMs + stackUnwrapMs) / 1000);
  console.log(
    JSON.stringify(
      {
        bench: 'pkcs11',
        module: hsm.module,
        ecdsaP256Sign: {
          messages: SIGN_COUNT,
          raw: { ms: round(rawSignMs), perSecond: Math.round(rawSignRate) },
          fullStack: { ms: round(stackSignMs), perSecond: Math.round(stackSignRate), rpcCalls: 1 },
          rounds: ROUNDS,
          note: 'median of the rounds; both sides sign with a token-object P-256 key',
          ratio: round(stackSignRate / rawSignRate),
        },
        aesWrapUnwrap: {
          keys: WRAP_COUNT,
          raw: { wrapMs: round(rawWrapMs), unwrapMs: round(rawUnwrapMs), opsPerSecond: Math.round(rawWrapRate) },
          fullStack: { wrapMs: round(stackWrapMs), unwrapMs: round(stackUnwrapMs), opsPerSecond: Math.round(stackWrapRate), rpcCalls: 2 },
          ratio: round(stackWrapRate / rawWrapRate),
        },
        perCallLatencyMs: {
          samples: LATENCY_SAMPLES,
          rawSign: { p50: round(percentile(rawLatency, 50)), p99: round(percentile(rawLatency, 99)) },
          fullStackSign: { p50: round(percentile(stackLatency, 50)), p99: round(percentile(stackLatency, 99)) },
          overhead: {
            p50: round(percentile(stackLatency, 50) - percentile(rawLatency, 50)),
            p99: round(percentile(stackLatency, 99) - percentile(rawLatency, 99)),
          },
        },
      },
      null,
      2,
    ),
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
