/** The device's session table: 16 slots, 30 s inactivity expiry, card-side secure channels. */
import { MAX_SESSIONS } from '../protocol/defs';
import { SecureChannel } from '../protocol/scp03';

export const SESSION_TIMEOUT_MS = 30_000;

export interface CardSession {
  id: number;
  authKeyId: number;
  channel: SecureChannel;
  authenticated: boolean;
  lastActivity: number;
  context: Uint8Array;
  /** What the host must send in AUTHENTICATE_SESSION. */
  expectedHostCryptogram: Uint8Array;
  /** The auth key's rights when the session opened. */
  capabilities: bigint;
  delegated: bigint;
  domains: number;
}

export class SessionTable {
  private readonly slots = new Map<number, CardSession>();

  constructor(private readonly now: () => number) {}

  /** Drops sessions idle for more than 30 s. */
  expire(): void {
    const t = this.now();
    for (const [id, s] of this.slots) {
      if (t - s.lastActivity > SESSION_TIMEOUT_MS) this.drop(id);
    }
  }

  freeId(): number | undefined {
    for (let id = 0; id < MAX_SESSIONS; id++) if (!this.slots.has(id)) return id;
    return undefined;
  }

  add(session: CardSession): void {
    this.slots.set(session.id, session);
  }

  get(id: number): CardSession | undefined {
    return this.slots.get(id);
  }

  touch(session: CardSession): void {
    session.lastActivity = this.now();
  }

  drop(id: number): void {
    this.slots.get(id)?.channel.destroy();
    this.slots.delete(id);
  }

  clear(): void {
    for (const id of [...this.slots.keys()]) this.drop(id);
  }

  get count(): number {
    return this.slots.size;
  }
}
