import type { CallOptions, DeviceHostClient } from './host-client';
import type {
  AttributeChangeResult,
  AttributeChanges,
  DeviceLostEvent,
  ExportedPublicKey,
  GeneratedKey,
  KekRole,
  MechanismDescription,
  ModuleBehaviour,
  ModuleInfo,
  ObjectClassName,
  ObjectRef,
  ObjectSummary,
  PinCounterState,
  PinCounters,
  PolicyCheck,
  TokenDescription,
  TokenSelector,
  UnwrappedKey,
  UserKind,
  WrappedKey,
} from '../../native/pkcs11';

/**
 * Main's typed view of the device host's PKCS#11 handlers: one method per 'pkcs11.<op>'. Only types come from
 * native/pkcs11 (erased at build), so main never loads pkcs11js.
 */
export type {
  AttributeChangeResult,
  AttributeChanges,
  DeviceLostEvent,
  ExportedPublicKey,
  GeneratedKey,
  MechanismDescription,
  ModuleBehaviour,
  ModuleInfo,
  ObjectRef,
  ObjectSummary,
  PinCounters,
  PolicyCheck,
  TokenDescription,
  TokenSelector,
  UnwrappedKey,
  WrappedKey,
};

/** Long enough for RSA-4096 generation on a slow HSM; per-call options can override it. */
const KEYGEN_TIMEOUT_MS = 300_000;

export class Pkcs11Client {
  constructor(private readonly host: DeviceHostClient) {}

  private call<T>(op: string, params: unknown, options?: CallOptions): Promise<T> {
    return this.host.call<T>(`pkcs11.${op}`, params, options);
  }

  /** 'pkcs11.deviceLost' events from the host, typed. Returns an unsubscribe function. */
  onDeviceLost(listener: (event: DeviceLostEvent) => void): () => void {
    const handler = (name: string, payload: unknown) => {
      if (name === 'pkcs11.deviceLost') listener(payload as DeviceLostEvent);
    };
    this.host.on('event', handler);
    return () => this.host.off('event', handler);
  }

  loadModule(path: string, o?: CallOptions) {
    return this.call<ModuleInfo>('loadModule', { path }, o);
  }
  unloadModule(path: string, o?: CallOptions) {
    return this.call<{ finalized: boolean; error?: string }>('unloadModule', { path }, o);
  }
  listModules(o?: CallOptions) {
    return this.call<ModuleInfo[]>('listModules', {}, o);
  }
  listTokens(module: string, o?: CallOptions) {
    return this.call<TokenDescription[]>('listTokens', { module }, o);
  }
  mechanisms(module: string, token: TokenSelector, o?: CallOptions) {
    return this.call<MechanismDescription[]>('mechanisms', { module, token }, o);
  }
  /** What the module does before login on this token, and the id and label sizes it holds. */
  behaviour(module: string, token: TokenSelector, o?: CallOptions) {
    return this.call<ModuleBehaviour>('behaviour', { module, token }, o);
  }
  initToken(module: string, token: TokenSelector, soPin: string, label: string, o?: CallOptions) {
    return this.call<{ label: string; serial: string }>('initToken', { module, token, soPin, label }, o);
  }
  openSession(module: string, token: TokenSelector, readWrite = true, o?: CallOptions) {
    return this.call<{ sessionKey: string; token: TokenDescription }>('openSession', { module, token, readWrite }, o);
  }
  closeSession(sessionKey: string, o?: CallOptions) {
    return this.call<void>('closeSession', { sessionKey }, o);
  }
  login(sessionKey: string, user: UserKind, pin: string, confirmFinalTry?: boolean, o?: CallOptions) {
    return this.call<PinCounters>('login', { sessionKey, user, pin, confirmFinalTry }, o);
  }
  logout(sessionKey: string, o?: CallOptions) {
    return this.call<void>('logout', { sessionKey }, o);
  }
  pinStatus(sessionKey: string, o?: CallOptions) {
    return this.call<{ user: PinCounterState; so: PinCounterState }>('pinStatus', { sessionKey }, o);
  }
  initPin(sessionKey: string, pin: string, o?: CallOptions) {
    return this.call<void>('initPin', { sessionKey, pin }, o);
  }
  setPin(sessionKey: string, oldPin: string, newPin: string, o?: CallOptions) {
    return this.call<PinCounters>('setPin', { sessionKey, oldPin, newPin }, o);
  }
  findObjects(sessionKey: string, query: { label?: string; id?: string; class?: ObjectClassName }, o?: CallOptions) {
    return this.call<ObjectSummary[]>('findObjects', { sessionKey, ...query }, o);
  }
  readAttributes(sessionKey: string, key: ObjectRef, o?: CallOptions) {
    return this.call<ObjectSummary>('readAttributes', { sessionKey, key }, o);
  }
  destroyObject(sessionKey: string, key: ObjectRef, o?: CallOptions) {
    return this.call<{ destroyed: boolean }>('destroyObject', { sessionKey, key }, o);
  }
  /** Changes a key's label and turns usages off, one attribute at a time; says which the token refused. */
  setKeyAttributes(sessionKey: string, key: ObjectRef, changes: AttributeChanges, o?: CallOptions) {
    return this.call<AttributeChangeResult[]>('setKeyAttributes', { sessionKey, key, changes }, o);
  }
  generateKey(sessionKey: string, request: { algorithm: string; policy: string; label: string; id?: string }, o?: CallOptions) {
    return this.call<GeneratedKey>('generateKey', { sessionKey, ...request }, { timeoutMs: KEYGEN_TIMEOUT_MS, ...o });
  }
  checkKeyPolicy(sessionKey: string, key: ObjectRef, policy: string, opts: { fromUnwrap?: boolean; destroyOnMismatch?: boolean } = {}, o?: CallOptions) {
    return this.call<PolicyCheck>('checkKeyPolicy', { sessionKey, key, policy, ...opts }, o);
  }
  exportPublicKey(sessionKey: string, key: ObjectRef, o?: CallOptions) {
    return this.call<ExportedPublicKey>('exportPublicKey', { sessionKey, key }, o);
  }
  sign(sessionKey: string, key: ObjectRef, algorithm: string, data: Uint8Array, o?: CallOptions) {
    return this.call<Uint8Array>('sign', { sessionKey, key, algorithm, data }, o);
  }
  signBatch(sessionKey: string, key: ObjectRef, algorithm: string, messages: Uint8Array[], o?: CallOptions) {
    return this.call<Uint8Array[]>('signBatch', { sessionKey, key, algorithm, messages }, o);
  }
  verify(sessionKey: string, key: ObjectRef, algorithm: string, data: Uint8Array, signature: Uint8Array, o?: CallOptions) {
    return this.call<boolean>('verify', { sessionKey, key, algorithm, data, signature }, o);
  }
  random(sessionKey: string, length: number, o?: CallOptions) {
    return this.call<Uint8Array>('random', { sessionKey, length }, o);
  }
  importKek(sessionKey: string, request: { label: string; value: Uint8Array; role: KekRole; id?: string }, o?: CallOptions) {
    return this.call<{ label: string }>('importKek', { sessionKey, ...request }, o);
  }
  importSecretKey(
    sessionKey: string,
    request: { label: string; value: Uint8Array; id?: string; usage: Array<'encrypt' | 'decrypt' | 'wrap' | 'unwrap' | 'sign' | 'verify'> },
    o?: CallOptions,
  ) {
    return this.call<{ label: string }>('importSecretKey', { sessionKey, ...request }, o);
  }
  wrapKeys(sessionKey: string, kek: ObjectRef, keys: ObjectRef[], o?: CallOptions) {
    return this.call<WrappedKey[]>('wrapKeys', { sessionKey, kek, keys }, o);
  }
  unwrapKeys(sessionKey: string, kek: ObjectRef, items: WrappedKey[], o?: CallOptions) {
    return this.call<UnwrappedKey[]>('unwrapKeys', { sessionKey, kek, items }, o);
  }
  shutdown(o?: CallOptions) {
    return this.call<Array<{ path: string; finalized: boolean; error?: string }>>('shutdown', {}, o);
  }

  /** A signer for main/x509: signs inside the HSM through the device host. */
  signer(sessionKey: string, key: ObjectRef, algorithm: string): (data: Uint8Array) => Promise<Uint8Array> {
    return (data) => this.sign(sessionKey, key, algorithm, data);
  }
}
