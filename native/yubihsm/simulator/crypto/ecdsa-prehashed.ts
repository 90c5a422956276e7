/**
 * ECDSA over a digest the caller already computed, as the YubiHSM's SIGN_ECDSA does. node:crypto always hashes
 * the input itself, so the simulator signs with plain bigint arithmetic (Jacobian coordinates). Speed is not a goal
 * here; signatures are checked against node:crypto's verifier in the tests.
 */
import { randomBytes } from 'node:crypto';

export interface Curve {
  p: bigint;
  a: bigint;
  n: bigint;
  gx: bigint;
  gy: bigint;
  bits: number;
}

const P256: Curve = {
  p: 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn,
  a: 0xffffffff00000001000000000000000000000000fffffffffffffffffffffffcn,
  n: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
  gx: 0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296n,
  gy: 0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5n,
  bits: 256,
};
const P384: Curve = {
  p: 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffffn,
  a: 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000fffffffcn,
  n: 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
  gx: 0xaa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab7n,
  gy: 0x3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5fn,
  bits: 384,
};
const P521: Curve = {
  p: (1n << 521n) - 1n,
  a: (1n << 521n) - 4n,
  n: 0x01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409n,
  gx: 0x00c6858e06b70404e9cd9e3ecb662395b4429c648139053fb521f828af606b4d3dbaa14b5e77efe75928fe1dc127a2ffa8de3348b3c1856a429bf97e7e31c2e5bd66n,
  gy: 0x011839296a789a3bc0045c8a5fb42c7d1bd998f54449579b446817afbd17273e662c97ee72995ef42640c550b9013fad0761353c7086a272c24088be94769fd16650n,
  bits: 521,
};
const K256: Curve = {
  p: 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2fn,
  a: 0n,
  n: 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n,
  gx: 0x79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798n,
  gy: 0x483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8n,
  bits: 256,
};

/** Keyed by node:crypto curve name. */
export const CURVES: Record<string, Curve> = { prime256v1: P256, secp384r1: P384, secp521r1: P521, secp256k1: K256 };

const mod = (x: bigint, m: bigint) => ((x % m) + m) % m;

function modInverse(x: bigint, m: bigint): bigint {
  let [a, b, u, v] = [mod(x, m), m, 1n, 0n];
  while (a !== 0n) {
    const q = b / a;
    [a, b] = [b - q * a, a];
    [u, v] = [v - q * u, u];
  }
  if (b !== 1n) throw new RangeError('No modular inverse.');
  return mod(v, m);
}
export { modInverse };

type Jacobian = [bigint, bigint, bigint];

function double(c: Curve, [x, y, z]: Jacobian): Jacobian {
  if (y === 0n || z === 0n) return [0n, 1n, 0n];
  const p = c.p;
  const yy = mod(y * y, p);
  const s = mod(4n * x * yy, p);
  const zz = mod(z * z, p);
  const m = mod(3n * x * x + c.a * zz * zz, p);
  const x3 = mod(m * m - 2n * s, p);
  const y3 = mod(m * (s - x3) - 8n * yy * yy, p);
  const z3 = mod(2n * y * z, p);
  return [x3, y3, z3];
}

function add(c: Curve, P: Jacobian, Q: Jacobian): Jacobian {
  if (P[2] === 0n) return Q;
  if (Q[2] === 0n) return P;
  const p = c.p;
  const z1z1 = mod(P[2] * P[2], p);
  const z2z2 = mod(Q[2] * Q[2], p);
  const u1 = mod(P[0] * z2z2, p);
  const u2 = mod(Q[0] * z1z1, p);
  const s1 = mod(P[1] * Q[2] * z2z2, p);
  const s2 = mod(Q[1] * P[2] * z1z1, p);
  if (u1 === u2) return s1 === s2 ? double(c, P) : [0n, 1n, 0n];
  const h = mod(u2 - u1, p);
  const r = mod(s2 - s1, p);
  const hh = mod(h * h, p);
  const hhh = mod(h * hh, p);
  const v = mod(u1 * hh, p);
  const x3 = mod(r * r - hhh - 2n * v, p);
  const y3 = mod(r * (v - x3) - s1 * hhh, p);
  const z3 = mod(P[2] * Q[2] * h, p);
  return [x3, y3, z3];
}

export function multiplyBase(c: Curve, k: bigint): { x: bigint; y: bigint } {
  let result: Jacobian = [0n, 1n, 0n];
  let addend: Jacobian = [c.gx, c.gy, 1n];
  while (k > 0n) {
    if (k & 1n) result = add(c, result, addend);
    addend = double(c, addend);
    k >>= 1n;
  }
  if (result[2] === 0n) return { x: 0n, y: 0n };
  const zi = modInverse(result[2], c.p);
  const zi2 = mod(zi * zi, c.p);
  return { x: mod(result[0] * zi2, c.p), y: mod(result[1] * zi2 * zi, c.p) };
}

function bytesToBigint(b: Uint8Array): bigint {
  return b.length === 0 ? 0n : BigInt('0x' + Buffer.from(b).toString('hex'));
}

function derInteger(v: bigint): Buffer {
  let hex = v.toString(16);
  if (hex.length % 2) hex = '0' + hex;
  let bytes = Buffer.from(hex, 'hex');
  if (bytes[0] & 0x80) bytes = Buffer.concat([Buffer.of(0), bytes]);
  return Buffer.concat([Buffer.of(0x02, bytes.length), bytes]);
}

function derSequence(body: Buffer): Buffer {
  const len = body.length < 0x80 ? Buffer.of(body.length) : Buffer.of(0x81, body.length);
  return Buffer.concat([Buffer.of(0x30), len, body]);
}

/** Signs `digest` with private scalar `d`; returns a DER signature like the device. */
export function signDigest(curveName: string, d: Uint8Array, digest: Uint8Array): Uint8Array {
  const c = CURVES[curveName];
  if (!c) throw new RangeError(`Curve ${curveName} is not supported for prehashed ECDSA.`);
  const priv = bytesToBigint(d);
  let z = bytesToBigint(digest);
  const excess = digest.length * 8 - c.bits;
  if (excess > 0) z >>= BigInt(excess);
  const nBytes = Math.ceil(c.bits / 8) + 8;
  for (;;) {
    const k = mod(bytesToBigint(randomBytes(nBytes)), c.n - 1n) + 1n;
    const r = mod(multiplyBase(c, k).x, c.n);
    if (r === 0n) continue;
    const s = mod(modInverse(k, c.n) * (z + r * priv), c.n);
    if (s === 0n) continue;
    return new Uint8Array(derSequence(Buffer.concat([derInteger(r), derInteger(s)])));
  }
}
