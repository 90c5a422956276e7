import { z } from 'zod';
import type { HandlerContext, HandlerTable } from '../host';
import { CKA } from './constants';
import { readAttributes } from './attributes';
import { applyAttributeChanges } from './attribute-changes';
import { sign, signBatch, verify, random } from './crypto-ops';
import { LayerErrorCode, Pkcs11LayerError } from './errors';
import { Pkcs11Host } from './host';
import { checkKeyPolicy, generateKey } from './key-generation';
import { describeObject, describeRef, destroyObject, findObjects, findOne, type ObjectRef } from './objects';
import { changePin, initToken, initUserPin, login, logout, readPinCounters } from './pin';
import { exportPublicKey } from './public-key';
import { importKek, importSecretKey, unwrapKeys, wrapKeys, type WrappedKey } from './wrap';
import type { CryptokiFactory } from './cryptoki';

/**
 * The device-host entry point: one handler per operation, named 'pkcs11.<op>'. Params are validated here; results
 * are plain objects and Uint8Arrays. Keys are named by label/id/class, sessions by opaque key, tokens by label or
 * serial — no PKCS#11 handle ever leaves the host.
 */

const bytes = z.instanceof(Uint8Array);
const hex = z.string().regex(/^([0-9a-fA-F]{2})*$/, 'must be hexadecimal');
const tokenSelector = z.union([
  z.object({ label: z.string().min(1) }).strict(),
  z.object({ serial: z.string().min(1) }).strict(),
  z.object({ uninitialized: z.literal(true) }).strict(),
]);
const objectClass = z.enum(['privateKey', 'publicKey', 'secretKey', 'certificate', 'data']);
const objectRef = z.object({ label: z.string().optional(), id: hex.optional(), class: objectClass.optional() }).strict();
const sessionKey = z.string().uuid();
const modulePath = z.string().min(1);
/** a PIN crosses the RPC as bytes (structured clone) and becomes a string only at the pkcs11js call, in pin.ts */
const pinBytes = z.instanceof(Uint8Array);
const newPinBytes = pinBytes.refine((b) => b.length > 0, 'an empty PIN');

/** The PIN copies a call received are the host's own: zeroed once the call is over, however it ended. */
async function zeroAfter<T>(pins: Uint8Array[], call: () => T | Promise<T>): Promise<T> {
  try {
    return await call();
  } finally {
    for (const pin of pins) pin.fill(0);
  }
}

const schemas = {
  loadModule: z.object({ path: modulePath }),
  unloadModule: z.object({ path: modulePath }),
  listTokens: z.object({ module: modulePath }),
  mechanisms: z.object({ module: modulePath, token: tokenSelector }),
  initToken: z.object({ module: modulePath, token: tokenSelector, soPin: newPinBytes, label: z.string().min(1).max(32) }),
  openSession: z.object({ module: modulePath, token: tokenSelector, readWrite: z.boolean().default(true) }),
  session: z.object({ sessionKey }),
  login: z.object({ sessionKey, user: z.enum(['USER', 'SO']), pin: pinBytes, confirmFinalTry: z.boolean().optional() }),
  initPin: z.object({ sessionKey, pin: newPinBytes }),
  setPin: z.object({ sessionKey, oldPin: pinBytes, newPin: newPinBytes }),
  findObjects: z.object({ sessionKey, label: z.string().optional(), id: hex.optional(), class: objectClass.optional() }),
  key: z.object({ sessionKey, key: objectRef }),
  setKeyAttributes: z.object({
    sessionKey,
    key: objectRef,
    changes: z.strictObject({
      label: z.string().min(1).max(128).optional(),
      sign: z.literal(false).optional(),
      verify: z.literal(false).optional(),
      encrypt: z.literal(false).optional(),
      decrypt: z.literal(false).optional(),
      wrap: z.literal(false).optional(),
      unwrap: z.literal(false).optional(),
      derive: z.literal(false).optional(),
    }),
  }),
  generateKey: z.object({ sessionKey, algorithm: z.string(), policy: z.string(), label: z.string().min(1), id: hex.optional() }),
  checkKeyPolicy: z.object({
    sessionKey,
    key: objectRef,
    policy: z.string(),
    fromUnwrap: z.boolean().default(false),
    destroyOnMismatch: z.boolean().default(false),
  }),
  sign: z.object({ sessionKey, key: objectRef, algorithm: z.string(), data: bytes }),
  signBatch: z.object({ sessionKey, key: objectRef, algorithm: z.string(), messages: z.array(bytes) }),
  verify: z.object({ sessionKey, key: objectRef, algorithm: z.string(), data: bytes, signature: bytes }),
  random: z.object({ sessionKey, length: z.number().int() }),
  importKek: z.object({ sessionKey, label: z.string().min(1), value: bytes, role: z.enum(['trustedWrap', 'unwrapOnly']), id: hex.optional() }),
  importSecretKey: z.object({
    sessionKey,
    label: z.string().min(1),
    value: bytes,
    id: hex.optional(),
    usage: z.array(z.enum(['encrypt', 'decrypt', 'wrap', 'unwrap', 'sign', 'verify'])),
  }),
  wrapKeys: z.object({ sessionKey, kek: objectRef, keys: z.array(objectRef).min(1) }),
  unwrapKeys: z.object({
    sessionKey,
    kek: objectRef,
    items: z
      .array(
        z.object({
          label: z.string().min(1),
          id: hex,
          class: z.enum(['privateKey', 'secretKey']),
          keyType: z.number().int(),
          policy: z.enum(['signing', 'backupable']).nullable(),
          attributes: z.record(z.string(), z.boolean()),
          valueLen: z.number().int().optional(),
          publicKeySpki: bytes.optional(),
          fingerprint: z.string().optional(),
          wrapped: bytes,
        }),
      )
      .min(1),
  }),
};

function parse<S extends z.ZodType>(schema: S, params: unknown, method: string): z.infer<S> {
  const result = schema.safeParse(params ?? {});
  if (!result.success) {
    // Paths and kinds only: zod's messages never echo values, so no PIN ends up in the error.
    const problems = result.error.issues.map((i) => `${i.path.join('.') || 'params'}: ${i.message}`).join('; ');
    throw new Pkcs11LayerError(LayerErrorCode.InvalidParams, `Bad request to ${method}: ${problems}`);
  }
  return result.data;
}

export interface Pkcs11HandlerOptions {
  /** Substitute pkcs11js (tests). */
  readonly cryptokiFactory?: CryptokiFactory;
  /** Finalise every module when the process exits (default true). */
  readonly finalizeOnExit?: boolean;
}

export function createPkcs11Handlers(options: Pkcs11HandlerOptions = {}): HandlerTable {
  const host = new Pkcs11Host(options.cryptokiFactory);
  if (options.finalizeOnExit !== false) process.once('exit', () => host.shutdown());

  type Op = (params: unknown, ctx: HandlerContext) => unknown;
  const op = <S extends z.ZodType>(name: string, schema: S, fn: (p: z.infer<S>, ctx: HandlerContext) => unknown): [string, Op] => [
    `pkcs11.${name}`,
    (params, ctx) => {
      if (ctx?.emit) host.setEmitter((event, payload) => ctx.emit(event, payload));
      return fn(parse(schema, params, `pkcs11.${name}`), ctx);
    },
  ];
  const inSession = <T>(key: string, doing: string, fn: Parameters<ReturnType<Pkcs11Host['session']>['use']>[1]) =>
    host.session(key).use(doing, fn) as Promise<T>;

  const table: Array<[string, Op]> = [
    op('loadModule', schemas.loadModule, (p) => host.loadModule(p.path)),
    op('unloadModule', schemas.unloadModule, (p) => host.unloadModule(p.path)),
    op('listModules', z.object({}), () => host.listModules()),
    op('listTokens', schemas.listTokens, (p) => host.listTokens(p.module)),
    op('mechanisms', schemas.mechanisms, (p) => host.mechanisms(p.module, p.token)),
    op('behaviour', schemas.mechanisms, (p) => host.behaviour(p.module, p.token)),
    op('initToken', schemas.initToken, (p) => zeroAfter([p.soPin], () => initToken(host.module(p.module), p.token, p.soPin, p.label))),
    op('openSession', schemas.openSession, (p) => host.openSession(p.module, p.token, p.readWrite)),
    op('closeSession', schemas.session, (p) => host.closeSession(p.sessionKey)),
    op('login', schemas.login, (p) => zeroAfter([p.pin], () => login(host.session(p.sessionKey), p.user, p.pin, { confirmFinalTry: p.confirmFinalTry }))),
    op('logout', schemas.session, (p) => logout(host.session(p.sessionKey))),
    op('pinStatus', schemas.session, (p) => {
      const s = host.session(p.sessionKey);
      return { user: readPinCounters(s.cryptoki, s.slot, 'USER'), so: readPinCounters(s.cryptoki, s.slot, 'SO') };
    }),
    op('initPin', schemas.initPin, (p) => zeroAfter([p.pin], () => initUserPin(host.session(p.sessionKey), p.pin))),
    op('setPin', schemas.setPin, (p) => zeroAfter([p.oldPin, p.newPin], () => changePin(host.session(p.sessionKey), p.oldPin, p.newPin))),
    op('findObjects', schemas.findObjects, (p) => {
      const ref: ObjectRef = { label: p.label, id: p.id, class: p.class };
      return inSession(p.sessionKey, `looking for ${describeRef(ref)}`, (h, c) => findObjects(c, h, ref).map((o) => describeObject(c, h, o)));
    }),
    op('readAttributes', schemas.key, (p) => inSession(p.sessionKey, `reading ${describeRef(p.key)}`, (h, c) => describeObject(c, h, findOne(c, h, p.key)))),
    op('destroyObject', schemas.key, (p) =>
      inSession(p.sessionKey, `destroying ${describeRef(p.key)}`, (h, c) => {
        destroyObject(c, h, findOne(c, h, p.key), describeRef(p.key));
        return { destroyed: true };
      }),
    ),
    op('setKeyAttributes', schemas.setKeyAttributes, (p) =>
      inSession(p.sessionKey, `changing ${describeRef(p.key)}`, (h, c) => applyAttributeChanges(c, h, findOne(c, h, p.key), p.changes)),
    ),
    op('generateKey', schemas.generateKey, (p) => {
      const s = host.session(p.sessionKey);
      return generateKey(s, p, s.mechanisms());
    }),
    op('checkKeyPolicy', schemas.checkKeyPolicy, (p) =>
      inSession(p.sessionKey, `checking ${describeRef(p.key)}`, (h, c) => {
        const ref: ObjectRef = { ...p.key, class: p.key.class ?? 'privateKey' };
        const key = findOne(c, h, ref);
        const label = String(readAttributes(c, h, key, [CKA.CKA_LABEL]).CKA_LABEL ?? '');
        return checkKeyPolicy(c, h, key, p.policy, { fromUnwrap: p.fromUnwrap, destroyOnMismatch: p.destroyOnMismatch, label });
      }),
    ),
    op('exportPublicKey', schemas.key, (p) =>
      inSession(p.sessionKey, `exporting the public key of ${describeRef(p.key)}`, (h, c) => {
        const publicKeys = findObjects(c, h, { ...p.key, class: 'publicKey' }, 2);
        if (publicKeys.length === 1) return exportPublicKey(c, h, publicKeys[0]);
        // No public object (an RSA key restored alone): the private key carries modulus and exponent.
        return exportPublicKey(c, h, findOne(c, h, { ...p.key, class: 'privateKey' }));
      }),
    ),
    op('sign', schemas.sign, (p) => sign(host.session(p.sessionKey), p.key, p.algorithm, p.data)),
    op('signBatch', schemas.signBatch, (p, ctx) => signBatch(host.session(p.sessionKey), p.key, p.algorithm, p.messages, ctx?.signal)),
    op('verify', schemas.verify, (p) => verify(host.session(p.sessionKey), p.key, p.algorithm, p.data, p.signature)),
    op('random', schemas.random, (p) => random(host.session(p.sessionKey), p.length)),
    op('importKek', schemas.importKek, (p) => importKek(host.session(p.sessionKey), p)),
    op('importSecretKey', schemas.importSecretKey, (p) => importSecretKey(host.session(p.sessionKey), p)),
    op('wrapKeys', schemas.wrapKeys, (p, ctx) => wrapKeys(host.session(p.sessionKey), p.kek, p.keys, ctx?.signal)),
    op('unwrapKeys', schemas.unwrapKeys, (p, ctx) => unwrapKeys(host.session(p.sessionKey), p.kek, p.items as WrappedKey[], ctx?.signal)),
    op('shutdown', z.object({}), () => host.shutdown()),
  ];
  return Object.fromEntries(table);
}
