import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';

/** An event of the DevTools protocol, with the session (page) it came from, if any. */
export interface CdpEvent {
  method: string;
  params: Record<string, unknown>;
  sessionId?: string;
}

/** One message Chromium sends on the DevTools pipe: a reply (id, result or error) or an event (method, params). */
interface CdpMessage {
  id?: number;
  result?: Record<string, unknown>;
  error?: { message: string };
  method?: string;
  params?: Record<string, unknown>;
  sessionId?: string;
}

/**
 * A minimal DevTools-protocol client over Chromium's `--remote-debugging-pipe`: Chromium reads commands on its fd 3
 * and writes answers and events on its fd 4, each a JSON message ended by a NUL byte. No debugging port, nothing
 * listening: only this process holds the pipe's other ends. Loads nothing beyond Node itself (playwright-core, 7 MB
 * to compile, stays out of the start).
 */
export class CdpPipe {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: Record<string, unknown>) => void; reject: (e: Error) => void; method: string }>();
  private readonly listeners = new Set<(event: CdpEvent) => void>();
  private buffered: Buffer[] = [];
  closed = false;

  constructor(
    private readonly input: Writable,
    output: Readable,
  ) {
    output.on('data', (chunk: Buffer) => this.receive(chunk));
    output.on('close', () => this.fail(new Error('Chromium closed its DevTools pipe.')));
    output.on('error', () => undefined);
    input.on('error', () => undefined);
  }

  send(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<Record<string, unknown>> {
    if (this.closed) return Promise.reject(new Error(`Chromium is gone (${method}).`));
    const id = this.nextId++;
    this.input.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
    return new Promise((resolve, reject) => this.pending.set(id, { resolve, reject, method }));
  }

  on(listener: (event: CdpEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private receive(chunk: Buffer): void {
    let start = 0;
    for (let end = chunk.indexOf(0); end !== -1; end = chunk.indexOf(0, start)) {
      this.buffered.push(chunk.subarray(start, end));
      const text = Buffer.concat(this.buffered).toString('utf8');
      this.buffered = [];
      start = end + 1;
      this.dispatch(JSON.parse(text) as CdpMessage);
    }
    if (start < chunk.length) this.buffered.push(chunk.subarray(start));
  }

  private dispatch(message: CdpMessage): void {
    if (message.id !== undefined) {
      const waiting = this.pending.get(message.id);
      if (!waiting) return;
      this.pending.delete(message.id);
      if (message.error) waiting.reject(new Error(`${waiting.method}: ${message.error.message}`));
      else waiting.resolve(message.result ?? {});
      return;
    }
    if (!message.method) return;
    const event: CdpEvent = { method: message.method, params: message.params ?? {}, sessionId: message.sessionId };
    for (const listener of this.listeners) listener(event);
  }

  private fail(error: Error): void {
    if (this.closed) return;
    this.closed = true;
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
    for (const listener of this.listeners) listener({ method: 'Pipe.closed', params: {} });
  }
}

/** A Chromium this process started, driven over its pipe. */
export interface PipeChromium {
  process: ChildProcess;
  cdp: CdpPipe;
  /** Browser.close, then SIGKILL if it has not gone within the limit */
  close(limitMs?: number): Promise<void>;
}

/**
 * Starts Chromium with `--remote-debugging-pipe` (and `args`, its first page's URL last) and resolves once it answers (Browser.getVersion). It exits with
 * this process's pipe: nothing else can reach its DevTools.
 */
export async function launchPipeChromium(executablePath: string, args: string[]): Promise<PipeChromium> {
  const child = spawn(executablePath, ['--remote-debugging-pipe', ...args], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    if (stderr.length < 4000) stderr += d.toString('utf8');
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const spawnFailed = new Promise<never>((_, reject) =>
    child.once('error', (e) => reject(new Error(`Chromium did not launch (${executablePath}): ${e.message}`))),
  );
  const cdp = new CdpPipe(child.stdio[3] as Writable, child.stdio[4] as Readable);
  const close = async (limitMs = 5000) => {
    if (child.exitCode === null && child.signalCode === null) {
      cdp.send('Browser.close').catch(() => undefined);
      const timer = setTimeout(() => child.kill('SIGKILL'), limitMs);
      await exited;
      clearTimeout(timer);
    }
  };
  try {
    await Promise.race([
      cdp.send('Browser.getVersion'),
      spawnFailed,
      exited.then(() => {
        throw new Error(`Chromium did not launch (${executablePath}): it exited. ${stderr.trim().split('\n').slice(-3).join(' ')}`);
      }),
    ]);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return { process: child, cdp, close };
}
