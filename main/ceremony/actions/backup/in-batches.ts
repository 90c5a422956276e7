/**
 * Runs a device call over many keys in a few batches, reporting after each how many are done, so the screen can say
 * "2 of 5 keys wrapped". One key per batch for the usual handful; at most MAX_BATCHES calls for a large token, since
 * each call reads the token's index of labels once.
 */
const MAX_BATCHES = 20;

export async function inBatches<T, R>(items: readonly T[], run: (batch: T[]) => Promise<R[]>, report: (done: number, total: number) => void): Promise<R[]> {
  const size = Math.max(1, Math.ceil(items.length / MAX_BATCHES));
  const results: R[] = [];
  report(0, items.length);
  for (let start = 0; start < items.length; start += size) {
    results.push(...(await run(items.slice(start, start + size))));
    report(Math.min(start + size, items.length), items.length);
  }
  return results;
}
