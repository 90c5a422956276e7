import { main } from './index';
import type { CliIo } from './io';

/**
 * The CLI as a process: standard output that may close early (`custodian run … | head -1`), and SIGINT/SIGTERM.
 * A closed pipe is not an error: the command carries on (a ceremony still finishes and prints its transcript) and
 * what it would have printed is dropped. On a signal the command's clean-ups run (the journal is let go, the device
 * host stopped), the sentence it registered is printed — for `run`, how to resume — and the process exits 128+n.
 */
import { pendingCleanups } from './interrupt';

const SIGNAL_NUMBERS = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 } as const;
const CLEANUP_LIMIT_MS = 5000;

function pipeSafeWriter(stream: NodeJS.WriteStream): (line: string) => void {
  let closed = false;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') closed = true;
    else throw error;
  });
  return (line) => {
    if (closed || stream.destroyed) return;
    stream.write(`${line}\n`);
  };
}

export { whileInterruptible } from './interrupt';

export async function runCliProcess(argv: string[]): Promise<void> {
  const io: CliIo = { out: pipeSafeWriter(process.stdout), err: pipeSafeWriter(process.stderr) };
  let stopping = false;
  for (const signal of Object.keys(SIGNAL_NUMBERS) as (keyof typeof SIGNAL_NUMBERS)[]) {
    process.on(signal, () => {
      const code = 128 + SIGNAL_NUMBERS[signal];
      if (stopping) process.exit(code); // a second Ctrl+C: stop now
      stopping = true;
      const pending = pendingCleanups();
      for (const c of pending) if (c.message) io.err(c.message);
      const limit = new Promise((resolve) => setTimeout(resolve, CLEANUP_LIMIT_MS).unref());
      void Promise.race([Promise.allSettled(pending.map(async (c) => c.run())), limit]).then(() => process.exit(code));
      if (pending.length === 0) process.exit(code);
    });
  }
  process.exitCode = await main(argv, io);
}
