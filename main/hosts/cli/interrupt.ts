/** What a signal must undo while a command runs (the device host, the journal), and the line to print then. */
type Cleanup = { message?: string; run: () => Promise<void> | void };
const cleanups = new Set<Cleanup>();

/** Registers what a signal must undo while `fn` runs (e.g. the device host), and the line to print then. */
export async function whileInterruptible<T>(cleanup: Cleanup, fn: () => Promise<T>): Promise<T> {
  cleanups.add(cleanup);
  try {
    return await fn();
  } finally {
    cleanups.delete(cleanup);
  }
}

/** The clean-ups registered now, for the signal handler in process.ts. */
export function pendingCleanups(): Cleanup[] {
  return [...cleanups];
}
