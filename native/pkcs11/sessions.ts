import { randomUUID } from 'node:crypto';
import { CKF_SESSION } from './constants';
import type { Cryptoki, Handle } from './cryptoki';
import { LayerErrorCode, Pkcs11LayerError, ckrOf, isDeviceLost, toLayerError } from './errors';
import type { LoadedModule } from './module-loader';
import type { TokenDescription } from './tokens';

/**
 * Sessions. Callers never see a PKCS#11 session handle: they hold an opaque session key, and behind it the host keeps
 * a small pool of PKCS#11 sessions on one token. A pool, because a session runs one operation at a time and the
 * asynchronous calls (sign, generate, wrap) may overlap; small, because tokens limit open sessions.
 *
 * In PKCS#11 the login state belongs to the token (for this process), not to one session: every session of the pool,
 * and every other pool on the same token, is logged in or out together.
 */

export type UserKind = 'USER' | 'SO';

export interface DeviceLostEvent {
  readonly sessionKey: string;
  readonly modulePath: string;
  readonly token: { readonly label: string; readonly serial: string };
  readonly ckr: string;
  readonly operation: string;
  readonly message: string;
}

export type DeviceLostListener = (event: DeviceLostEvent) => void;

const DEFAULT_POOL_SIZE = 4;

export class TokenSession {
  readonly key = randomUUID();
  loggedIn: UserKind | undefined;
  private readonly idle: Handle[] = [];
  private readonly open: Handle[] = [];
  private readonly waiting: Array<(h: Handle) => void> = [];
  private lost: DeviceLostEvent | undefined;
  private closed = false;

  constructor(
    readonly module: LoadedModule,
    readonly slot: Handle,
    readonly token: TokenDescription,
    readonly readWrite: boolean,
    private readonly onDeviceLost: DeviceLostListener,
    private readonly poolSize = DEFAULT_POOL_SIZE,
  ) {
    // Open the first session now, so a missing token or a full session table is reported at open time.
    this.idle.push(this.openOne());
  }

  get cryptoki(): Cryptoki {
    return this.module.cryptoki;
  }

  private openOne(): Handle {
    const flags = CKF_SESSION.CKF_SERIAL_SESSION | (this.readWrite ? CKF_SESSION.CKF_RW_SESSION : 0);
    try {
      const handle = this.cryptoki.C_OpenSession(this.slot, flags);
      this.open.push(handle);
      return handle;
    } catch (e) {
      throw toLayerError(e, `opening a session with token '${this.token.label}'`);
    }
  }

  private async acquire(): Promise<Handle> {
    const ready = this.idle.pop();
    if (ready) return ready;
    if (this.open.length < this.poolSize) {
      try {
        return this.openOne();
      } catch (e) {
        // The token may cap sessions below our pool size; then wait for one to come back.
        if (ckrOf(e) !== 'CKR_SESSION_COUNT' || this.open.length === 0) throw e;
      }
    }
    return new Promise<Handle>((resolve) => this.waiting.push(resolve));
  }

  private release(handle: Handle): void {
    const next = this.waiting.shift();
    if (next) next(handle);
    else this.idle.push(handle);
  }

  private assertUsable(): void {
    if (this.closed) throw new Pkcs11LayerError(LayerErrorCode.SessionUnknown, 'This token session was closed; open a new one.');
    if (this.lost) {
      throw new Pkcs11LayerError('DeviceLost', `Token '${this.token.label}' was lost earlier (${this.lost.ckr}); reconnect it and open a new session.`, {
        ckr: this.lost.ckr,
      });
    }
  }

  /**
   * Run `fn` on one PKCS#11 session of the pool. `operation` names the step in words for error messages. A device-lost
   * return value marks the whole pool dead and tells the listener once.
   */
  async use<T>(operation: string, fn: (session: Handle, cryptoki: Cryptoki) => T | Promise<T>): Promise<T> {
    this.assertUsable();
    const handle = await this.acquire();
    try {
      return await this.module.run((cryptoki) => fn(handle, cryptoki));
    } catch (e) {
      if (isDeviceLost(e)) this.markLost(e, operation);
      throw toLayerError(e, operation);
    } finally {
      this.release(handle);
    }
  }

  private markLost(e: unknown, operation: string): void {
    if (this.lost) return;
    const error = toLayerError(e, operation);
    this.lost = {
      sessionKey: this.key,
      modulePath: this.module.info.path,
      token: { label: this.token.label, serial: this.token.serial },
      ckr: ckrOf(e) ?? 'unknown',
      operation,
      message: error.message,
    };
    this.onDeviceLost(this.lost);
  }

  /** Close every PKCS#11 session of the pool. Errors are swallowed: the token may be gone, and closing must go on. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const handle of this.open) {
      try {
        this.cryptoki.C_CloseSession(handle);
      } catch {
        // Already invalid (token removed or logged out elsewhere): nothing left to close.
      }
    }
    this.open.length = 0;
    this.idle.length = 0;
  }

  private offered: number[] | undefined;

  /** The mechanism numbers this token offers (asked once: they do not change while it is connected). */
  mechanisms(): number[] {
    if (!this.offered) {
      try {
        this.offered = this.cryptoki.C_GetMechanismList(this.slot);
      } catch (e) {
        throw toLayerError(e, `listing the mechanisms of token '${this.token.label}'`);
      }
    }
    return this.offered;
  }

  get isLost(): boolean {
    return this.lost !== undefined;
  }
}
