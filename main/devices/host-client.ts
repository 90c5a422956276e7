import { EventEmitter } from 'node:events';
import type { FromHost, ToHost, WireError } from '../../native/host';
import { CustodianError } from '../errors';

/** A running device-host process as main sees it; made by a `HostLauncher` (Node child process or utilityProcess). */
export interface HostProcess {
  readonly pid: number | undefined;
  send(message: ToHost): void;
  onMessage(listener: (message: FromHost) => void): void;
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  kill(): void;
}
export type HostLauncher = () => HostProcess;

export type HostStatus = 'starting' | 'ready' | 'restarting' | 'stopped';
export interface HostState {
  status: HostStatus;
  pid: number | null;
  restarts: number;
  lastProblem: string | null;
}

export class HostError extends CustodianError {
  constructor(
    code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(code, message);
    this.name = 'HostError';
  }
  static from(wire: WireError): HostError {
    return new HostError(wire.code, wire.message, wire.details);
  }
}

export interface CallOptions {
  /** Milliseconds before the call fails with HostTimeout; the host is then checked for liveness. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout | undefined;
  generation: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const LIVENESS_TIMEOUT_MS = 3_000;

/**
 * Main's side of the device host: request ids, per-call timeouts, cancellation, and supervision. When the host
 * exits or stops answering, every call in flight fails with HostLost, a fresh host is started, and 'state' events
 * tell the UI what is happening. Events the host emits are re-emitted as 'event' (name, payload).
 */
export class DeviceHostClient extends EventEmitter {
  private process: HostProcess | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private generation = 0;
  private readyWaiters: Array<{ resolve(): void; reject(e: Error): void }> = [];
  private stopping = false;
  private restartTimer: NodeJS.Timeout | undefined;
  /** Why we killed the host ourselves, so the exit is reported as that and not as a bare signal. */
  private killReason: string | null = null;
  private readonly state: HostState = { status: 'stopped', pid: null, restarts: 0, lastProblem: null };

  constructor(private readonly launch: HostLauncher) {
    super();
  }

  getState(): HostState {
    return { ...this.state };
  }

  async start(): Promise<void> {
    this.stopping = false;
    if (!this.process) this.spawn('starting');
    await this.whenReady();
  }

  whenReady(): Promise<void> {
    if (this.state.status === 'ready') return Promise.resolve();
    if (this.state.status === 'stopped') return Promise.reject(new HostError('HostStopped', 'The device host is not running.'));
    return new Promise((resolve, reject) => this.readyWaiters.push({ resolve, reject }));
  }

  async call<T = unknown>(method: string, params?: unknown, options: CallOptions = {}): Promise<T> {
    await this.whenReady();
    const proc = this.process;
    if (!proc) throw new HostError('HostLost', 'The device host is not running.');
    if (options.signal?.aborted) throw new HostError('Cancelled', 'The call was cancelled.');
    const id = this.nextId++;
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    return new Promise<T>((resolve, reject) => {
      const pending: Pending = { resolve: resolve as (v: unknown) => void, reject, timer: undefined, generation: this.generation };
      pending.timer = setTimeout(() => {
        this.pending.delete(id);
        trySend(proc, { t: 'cancel', id });
        reject(new HostError('HostTimeout', `The device did not answer within ${Math.round(timeoutMs / 1000)} s (${method}).`));
        void this.checkLiveness();
      }, timeoutMs);
      this.pending.set(id, pending);
      options.signal?.addEventListener(
        'abort',
        () => {
          if (!this.pending.delete(id)) return;
          clearTimeout(pending.timer);
          trySend(proc, { t: 'cancel', id });
          reject(new HostError('Cancelled', 'The call was cancelled.'));
        },
        { once: true },
      );
      try {
        proc.send({ t: 'call', id, method, params });
      } catch {
        this.pending.delete(id);
        clearTimeout(pending.timer);
        reject(new HostError('HostLost', 'The device host stopped before the call could be sent; it is restarting.'));
      }
    });
  }

  /** Kill the host on purpose (tests, or a user asking to reset the devices); supervision restarts it. */
  kill(): void {
    this.process?.kill();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const proc = this.process;
    this.process = null;
    this.failAll(new HostError('HostStopped', 'The device host was stopped.'));
    this.setState({ status: 'stopped', pid: null });
    if (proc) {
      const exited = new Promise<void>((resolve) => proc.onExit(() => resolve()));
      proc.kill();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 2_000)))]);
      clearTimeout(timer); // a pending timer would keep a finished CLI process alive for the rest of the 2 s
    }
  }

  private spawn(status: 'starting' | 'restarting'): void {
    this.generation++;
    const generation = this.generation;
    const proc = this.launch();
    this.process = proc;
    this.setState({ status, pid: proc.pid ?? null });
    proc.onMessage((message) => {
      if (generation !== this.generation) return;
      this.onMessage(message);
    });
    proc.onExit((code, signal) => {
      if (generation !== this.generation) return;
      this.onExit(code, signal);
    });
  }

  private onMessage(message: FromHost): void {
    switch (message.t) {
      case 'ready':
        this.setState({ status: 'ready', pid: message.pid });
        for (const waiter of this.readyWaiters.splice(0)) waiter.resolve();
        return;
      case 'event':
        this.emit('event', message.event, message.payload);
        return;
      case 'result': {
        const pending = this.pending.get(message.id);
        if (!pending) return; // cancelled or timed out already
        this.pending.delete(message.id);
        clearTimeout(pending.timer);
        if (message.ok) pending.resolve(message.value);
        else pending.reject(HostError.from(message.error));
      }
    }
  }

  private onExit(code: number | null, signal: string | null): void {
    this.process = null;
    const problem = this.killReason ?? (signal ? `The device host was killed (${signal}).` : `The device host exited (code ${code}).`);
    this.killReason = null;
    this.failAll(new HostError('HostLost', `${problem} The operation did not complete; the device host is restarting.`));
    if (this.stopping) return;
    this.state.restarts++;
    this.setState({ status: 'restarting', pid: null, lastProblem: problem });
    // Back off a little when the host keeps dying, so a broken vendor library cannot spin the CPU.
    const delay = Math.min(200 * 2 ** Math.min(this.state.restarts - 1, 5), 5_000);
    this.restartTimer = setTimeout(() => {
      if (!this.stopping) this.spawn('restarting');
    }, delay);
  }

  private async checkLiveness(): Promise<void> {
    const proc = this.process;
    if (!proc || this.state.status !== 'ready') return;
    try {
      await this.call('host.ping', undefined, { timeoutMs: LIVENESS_TIMEOUT_MS });
    } catch (error) {
      if (error instanceof HostError && error.code === 'HostTimeout' && this.process === proc) {
        this.killReason = 'The device host stopped answering (a device call hung) and was restarted.';
        proc.kill();
      }
    }
  }

  private failAll(error: HostError): void {
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(error);
      this.pending.delete(id);
    }
    if (this.stopping) for (const waiter of this.readyWaiters.splice(0)) waiter.reject(error);
  }

  private setState(patch: Partial<HostState>): void {
    Object.assign(this.state, patch);
    this.emit('state', this.getState());
  }
}

function trySend(proc: HostProcess, message: Parameters<HostProcess['send']>[0]): void {
  try {
    proc.send(message);
  } catch {
    // the host is gone; its exit is handled by supervision
  }
}
