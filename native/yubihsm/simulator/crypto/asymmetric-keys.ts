/**
 * The simulator's asymmetric keys. A key is kept as the bytes the wrap format carries (EC: d; Ed25519: seed;
 * RSA: p‖q), so export and import are exact; node:crypto key objects are rebuilt from them when needed.
 */
import {
  KeyObject,
  constants,
  createECDH,
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  privateEncrypt,
  randomBytes,
  sign,
} from 'node:crypto';
import { ALGORITHM } from '../../protocol/defs';
import { concatBytes } from '../../protocol/bytes';
import { modInverse, signDigest } from './ecdsa-prehashed';

const EC_CURVE_NAMES: Partial<Record<ALGORITHM, { node: string; jwk: string; bytes: number }>> = {
  [ALGORITHM.EC_P256]: { node: 'prime256v1', jwk: 'P-256', bytes: 32 },
  [ALGORITHM.EC_P384]: { node: 'secp384r1', jwk: 'P-384', bytes: 48 },
  [ALGORITHM.EC_P521]: { node: 'secp521r1', jwk: 'P-521', bytes: 66 },
  [ALGORITHM.EC_K256]: { node: 'secp256k1', jwk: 'secp256k1', bytes: 32 },
};
const RSA_BITS: Partial<Record<ALGORITHM, number>> = {
  [ALGORITHM.RSA_2048]: 2048,
  [ALGORITHM.RSA_3072]: 3072,
  [ALGORITHM.RSA_4096]: 4096,
};

export function isSupportedAsymmetric(algorithm: number): boolean {
  return algorithm in EC_CURVE_NAMES || algorithm in RSA_BITS || algorithm === ALGORITHM.EC_ED25519;
}
export const isEcAlgorithm = (a: number) => a in EC_CURVE_NAMES;
export const isRsaAlgorithm = (a: number) => a in RSA_BITS;

const b64u = (b: Uint8Array) => Buffer.from(b).toString('base64url');
const fromB64u = (s: string) => new Uint8Array(Buffer.from(s, 'base64url'));
const leftPad = (b: Uint8Array, size: number) => (b.length >= size ? b : concatBytes(new Uint8Array(size - b.length), b));
const toBig = (b: Uint8Array) => BigInt('0x' + (Buffer.from(b).toString('hex') || '0'));
function fromBig(v: bigint, size?: number): Uint8Array {
  let hex = v.toString(16);
  if (hex.length % 2) hex = '0' + hex;
  const raw = new Uint8Array(Buffer.from(hex, 'hex'));
  return size ? leftPad(raw, size) : raw;
}

/** Returns the secret bytes of a fresh key. */
export function generateAsymmetricSecret(algorithm: ALGORITHM): Uint8Array {
  const ec = EC_CURVE_NAMES[algorithm];
  if (ec) {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: ec.node });
    return leftPad(fromB64u(privateKey.export({ format: 'jwk' }).d as string), ec.bytes);
  }
  const bits = RSA_BITS[algorithm];
  if (bits) {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: bits, publicExponent: 65537 });
    const jwk = privateKey.export({ format: 'jwk' });
    return concatBytes(leftPad(fromB64u(jwk.p as string), bits / 16), leftPad(fromB64u(jwk.q as string), bits / 16));
  }
  if (algorithm === ALGORITHM.EC_ED25519) return new Uint8Array(randomBytes(32));
  throw new RangeError('Unsupported asymmetric algorithm.');
}

/** True when `secret` has the right shape for `algorithm` (PUT_ASYMMETRIC_KEY / IMPORT_WRAPPED). */
export function secretFits(algorithm: ALGORITHM, secret: Uint8Array): boolean {
  const ec = EC_CURVE_NAMES[algorithm];
  if (ec) return secret.length === ec.bytes;
  const bits = RSA_BITS[algorithm];
  if (bits) return secret.length === bits / 8;
  return algorithm === ALGORITHM.EC_ED25519 && secret.length === 32;
}

function rsaPrivateKey(secret: Uint8Array): KeyObject {
  const half = secret.length / 2;
  const p = toBig(secret.subarray(0, half));
  const q = toBig(secret.subarray(half));
  const e = 65537n;
  const n = p * q;
  const d = modInverse(e, (p - 1n) * (q - 1n));
  const jwk = {
    kty: 'RSA',
    n: b64u(fromBig(n)),
    e: b64u(fromBig(e)),
    d: b64u(fromBig(d)),
    p: b64u(fromBig(p)),
    q: b64u(fromBig(q)),
    dp: b64u(fromBig(d % (p - 1n))),
    dq: b64u(fromBig(d % (q - 1n))),
    qi: b64u(fromBig(modInverse(q, p))),
  };
  return createPrivateKey({ key: jwk, format: 'jwk' });
}

function ed25519PrivateKey(seed: Uint8Array): KeyObject {
  const pkcs8Prefix = Buffer.from('302e020100300506032b657004220420', 'hex');
  return createPrivateKey({ key: Buffer.concat([pkcs8Prefix, seed]), format: 'der', type: 'pkcs8' });
}

/** GET_PUBLIC_KEY body: EC X‖Y, RSA modulus, Ed25519 32 bytes. */
export function publicKeyBytes(algorithm: ALGORITHM, secret: Uint8Array): Uint8Array {
  const ec = EC_CURVE_NAMES[algorithm];
  if (ec) {
    const ecdh = createECDH(ec.node);
    ecdh.setPrivateKey(secret);
    return new Uint8Array(ecdh.getPublicKey()).subarray(1);
  }
  if (RSA_BITS[algorithm]) return leftPad(fromB64u(rsaPrivateKey(secret).export({ format: 'jwk' }).n as string), secret.length);
  if (algorithm === ALGORITHM.EC_ED25519) return fromB64u(ed25519PrivateKey(secret).export({ format: 'jwk' }).x as string);
  throw new RangeError('Unsupported asymmetric algorithm.');
}

export function ecdsaSign(algorithm: ALGORITHM, secret: Uint8Array, digest: Uint8Array): Uint8Array {
  const ec = EC_CURVE_NAMES[algorithm];
  if (!ec) throw new RangeError('Not an EC key.');
  return signDigest(ec.node, secret, digest);
}

export function eddsaSign(secret: Uint8Array, message: Uint8Array): Uint8Array {
  return new Uint8Array(sign(null, message, ed25519PrivateKey(secret)));
}

const DIGEST_INFO: Record<number, { prefix: string; hash: string }> = {
  20: { prefix: '3021300906052b0e03021a05000414', hash: 'sha1' },
  32: { prefix: '3031300d060960864801650304020105000420', hash: 'sha256' },
  48: { prefix: '3041300d060960864801650304020205000430', hash: 'sha384' },
  64: { prefix: '3051300d060960864801650304020305000440', hash: 'sha512' },
};

export function hashForDigestLength(length: number): string | undefined {
  return DIGEST_INFO[length]?.hash;
}

/**
 * SIGN_PKCS1 as the device does it (lib/yubihsm.h yh_util_sign_pkcs1v1_5: "in is either a raw hashed message
 * (sha1, sha256, sha384 or sha512) or that with correct digestinfo pre-pended"): 20, 32, 48 or 64 bytes are a
 * digest, and the device writes the DigestInfo for that hash in front; anything else is signed as given (EMSA
 * PKCS#1 v1.5 type-1 padding around the bytes), which is how yubihsm_pkcs11 sends CKM_RSA_PKCS data
 * (pkcs11/util_pkcs11.c perform_signature, hashed = false). Undefined when the data does not fit the modulus.
 */
export function pkcs1Sign(secret: Uint8Array, data: Uint8Array): Uint8Array | undefined {
  const info = DIGEST_INFO[data.length];
  const encoded = info ? Buffer.concat([Buffer.from(info.prefix, 'hex'), data]) : Buffer.from(data);
  if (encoded.length === 0 || encoded.length > secret.length - 11) return undefined;
  return new Uint8Array(privateEncrypt({ key: rsaPrivateKey(secret), padding: constants.RSA_PKCS1_PADDING }, encoded));
}

/** A node:crypto private key object for a stored asymmetric key (to sign certificates with, or to read its SPKI). */
export function privateKeyObject(algorithm: ALGORITHM, secret: Uint8Array): KeyObject {
  const ec = EC_CURVE_NAMES[algorithm];
  if (ec) {
    const pub = publicKeyBytes(algorithm, secret);
    const jwk = { kty: 'EC', crv: ec.jwk, d: b64u(secret), x: b64u(pub.subarray(0, ec.bytes)), y: b64u(pub.subarray(ec.bytes)) };
    return createPrivateKey({ key: jwk, format: 'jwk' });
  }
  if (RSA_BITS[algorithm]) return rsaPrivateKey(secret);
  if (algorithm === ALGORITHM.EC_ED25519) return ed25519PrivateKey(secret);
  throw new RangeError('Unsupported asymmetric algorithm.');
}

/** DER SubjectPublicKeyInfo of a stored asymmetric key. */
export function spkiOfKey(algorithm: ALGORITHM, secret: Uint8Array): Uint8Array {
  return new Uint8Array(createPublicKey(privateKeyObject(algorithm, secret)).export({ type: 'spki', format: 'der' }));
}

function mgf1(hash: string, seed: Uint8Array, length: number): Uint8Array {
  const out: Buffer[] = [];
  let total = 0;
  for (let counter = 0; total < length; counter++) {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(counter);
    const block = createHash(hash).update(seed).update(c).digest();
    out.push(block);
    total += block.length;
  }
  return new Uint8Array(Buffer.concat(out).subarray(0, length));
}

/** RSASSA-PSS over a digest (EMSA-PSS-ENCODE by hand, then a raw RSA operation). */
export function pssSign(secret: Uint8Array, digest: Uint8Array, mgf1Hash: string, saltLength: number): Uint8Array {
  const hash = hashForDigestLength(digest.length);
  if (!hash) throw new RangeError('Unknown digest length.');
  const modBits = secret.length * 8;
  const emLen = Math.ceil((modBits - 1) / 8);
  const hLen = digest.length;
  if (emLen < hLen + saltLength + 2) throw new RangeError('Salt too long.');
  const salt = randomBytes(saltLength);
  const h = createHash(hash).update(Buffer.alloc(8)).update(digest).update(salt).digest();
  const db = new Uint8Array(emLen - hLen - 1);
  db[emLen - saltLength - hLen - 2] = 0x01;
  db.set(salt, emLen - saltLength - hLen - 1);
  const mask = mgf1(mgf1Hash, h, db.length);
  for (let i = 0; i < db.length; i++) db[i] ^= mask[i];
  db[0] &= 0xff >> (8 * emLen - (modBits - 1));
  const em = concatBytes(db, h, Uint8Array.of(0xbc));
  const padded = leftPad(em, secret.length);
  return new Uint8Array(privateEncrypt({ key: rsaPrivateKey(secret), padding: constants.RSA_NO_PADDING }, padded));
}
