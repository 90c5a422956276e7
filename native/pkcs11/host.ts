import type { CryptokiFactory } from './cryptoki';
import { realCryptokiFactory } from './cryptoki';
import { LayerErrorCode, Pkcs11LayerError } from './errors';
import { withModuleEnvironment } from './module-env';
import { loadModule, unloadModule, type LoadedModule, type ModuleInfo } from './module-loader';
import { TokenSession, type DeviceLostEvent } from './sessions';
import { listMechanisms, listTokens, selectToken, type MechanismDescription, type TokenDescription, type TokenSelector } from './tokens';
import { realpathSync } from 'node:fs';
import { describeBehaviour, probeBehaviour, type ModuleBehaviour } from './module-behaviour';

/**
 * The PKCS#11 state of one device host: the loaded modules (several at once, one per real library path — two
 * instances of the same library would share its global state and one C_Finalize would break the other) and the open
 * token sessions by opaque key.
 */
export class Pkcs11Host {
  private readonly modules = new Map<string, LoadedModule>();
  private readonly sessions = new Map<string, TokenSession>();
  private emitter: ((event: string, payload: unknown) => void) | undefined;
  /** What each token's module was seen to do before login, by module path and token serial (probed once). */
  private readonly learned = new Map<string, NonNullable<ReturnType<typeof probeBehaviour>>>();

  constructor(private readonly factory: CryptokiFactory = realCryptokiFactory) {}

  /** Where device-lost events go; the handlers point it at the current RPC context's emit. */
  setEmitter(emit: (event: string, payload: unknown) => void): void {
    this.emitter = emit;
  }

  private keyOf(path: string): string {
    try {
      return realpathSync(path);
    } catch {
      return path;
    }
  }

  loadModule(path: string): ModuleInfo {
    const key = this.keyOf(path);
    const existing = this.modules.get(key);
    if (existing) return existing.info;
    const loaded = withModuleEnvironment(path, () => loadModule(path, this.factory));
    this.modules.set(key, loaded);
    return loaded.info;
  }

  module(path: string): LoadedModule {
    this.loadModule(path);
    return this.modules.get(this.keyOf(path))!;
  }

  listModules(): ModuleInfo[] {
    return [...this.modules.values()].map((m) => m.info);
  }

  unloadModule(path: string): { finalized: boolean; error?: string } {
    const key = this.keyOf(path);
    const loaded = this.modules.get(key);
    if (!loaded) throw new Pkcs11LayerError(LayerErrorCode.ModuleNotLoaded, `The module ${path} is not loaded.`);
    for (const [sessionKey, session] of this.sessions) {
      if (session.module === loaded) {
        session.close();
        this.sessions.delete(sessionKey);
      }
    }
    this.modules.delete(key);
    return unloadModule(loaded);
  }

  listTokens(path: string): TokenDescription[] {
    return listTokens(this.module(path).cryptoki).map(({ token }) => token);
  }

  mechanisms(path: string, selector: TokenSelector): MechanismDescription[] {
    const { cryptoki } = this.module(path);
    return listMechanisms(cryptoki, selectToken(cryptoki, selector).slot);
  }

  /** What the module does before login on this token (probed once while nobody is logged in) and its known limits. */
  behaviour(path: string, selector: TokenSelector): ModuleBehaviour {
    const loaded = this.module(path);
    const { slot, token } = selectToken(loaded.cryptoki, selector);
    const key = `${this.keyOf(path)}|${token.serial}`;
    let probed = this.learned.get(key);
    if (!probed) {
      probed = probeBehaviour(loaded.cryptoki, slot);
      if (probed) this.learned.set(key, probed);
    }
    return describeBehaviour(loaded.info, probed);
  }

  openSession(path: string, selector: TokenSelector, readWrite: boolean): { sessionKey: string; token: TokenDescription } {
    const loaded = this.module(path);
    const { slot, token } = selectToken(loaded.cryptoki, selector);
    const session = new TokenSession(loaded, slot, token, readWrite, (event) => this.deviceLost(event));
    this.sessions.set(session.key, session);
    return { sessionKey: session.key, token };
  }

  private deviceLost(event: DeviceLostEvent): void {
    this.emitter?.('pkcs11.deviceLost', event);
  }

  session(sessionKey: string): TokenSession {
    const session = this.sessions.get(sessionKey);
    if (!session)
      throw new Pkcs11LayerError(
        LayerErrorCode.SessionUnknown,
        'This token session is not open (it was closed, or the device host restarted). Open a new one.',
      );
    return session;
  }

  closeSession(sessionKey: string): void {
    this.session(sessionKey).close();
    this.sessions.delete(sessionKey);
  }

  /** Close every session and C_Finalize every module; safe to call twice. */
  shutdown(): Array<{ path: string; finalized: boolean; error?: string }> {
    for (const session of this.sessions.values()) session.close();
    this.sessions.clear();
    const results = [...this.modules.values()].map((m) => ({ path: m.info.path, ...unloadModule(m) }));
    this.modules.clear();
    return results;
  }
}
