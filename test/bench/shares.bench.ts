// Throughput of the share pipeline for the common case: a 32-byte KEK split 3-of-5.
// Run: npx tsx test/bench/shares.bench.ts — prints one JSON object.
import { randomBytes } from 'node:crypto';
import { ShareCollector, makeShareSet, type ShareSet } from '../../main/shares';

const N = 5;
const M = 3;
const SECRET_BYTES = 32;
const MIN_DURATION_MS = 1500;

async function timeLoop(body: () => Promise<void>): Promise<{ iterations: number; perSecond: number }> {
  for (let i = 0; i < 20; i++) await body(); // warm-up
  let iterations = 0;
  const start = performance.now();
  while (performance.now() - start < MIN_DURATION_MS) {
    await body();
    iterations++;
  }
  const seconds = (performance.now() - start) / 1000;
  return { iterations, perSecond: Math.round(iterations / seconds) };
}

const kek = randomBytes(SECRET_BYTES);

const splitAndEncode = await timeLoop(async () => {
  await makeShareSet(kek, { entropyBits: 128, n: N, m: M });
});

const set: ShareSet = await makeShareSet(kek, { entropyBits: 128, n: N, m: M });
const quorum = set.shares.slice(0, M).map((share) => share.grouped);
const decodeAndCombine = await timeLoop(async () => {
  const collector = new ShareCollector({ setId: set.setId, m: M, n: N, checkValue: set.checkValue, commitments: set.shares });
  for (const text of quorum) if (!collector.add(text).accepted) throw new Error('bench share refused');
  const secret = await collector.combine();
  if (!kek.equals(secret)) throw new Error('bench rebuilt the wrong secret');
  secret.fill(0);
});

const typoed = set.shares[0].text.slice(0, 40) + (set.shares[0].text[40] === 'q' ? 'p' : 'q') + set.shares[0].text.slice(41);
const typoStart = performance.now();
const collector = new ShareCollector({ setId: set.setId, m: M, n: N, checkValue: set.checkValue });
collector.add(typoed);
const typoLocateMs = performance.now() - typoStart;
collector.destroy();

console.log(
  JSON.stringify({
    bench: 'shares',
    secretBytes: SECRET_BYTES,
    n: N,
    m: M,
    shareTextLength: set.shares[0].text.length,
    splitAndEncodePerSecond: splitAndEncode.perSecond,
    decodeAndCombinePerSecond: decodeAndCombine.perSecond,
    typoLocateMs: Math.round(typoLocateMs * 10) / 10,
    iterations: { splitAndEncode: splitAndEncode.iterations, decodeAndCombine: decodeAndCombine.iterations },
  }),
);
