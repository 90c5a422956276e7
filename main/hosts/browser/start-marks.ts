/**
 * With CUSTODIAN_START_MARKS=1, each stage of the start on stderr, in ms since this process began (the start-up bench
 * reads them; with the process's own origin, printed once, it places them on its own clock).
 */
let originPrinted = false;
/** `at`: when it happened, in ms since the epoch (by default now) */
export function startMark(stage: string, at = performance.timeOrigin + performance.now()): void {
  if (process.env.CUSTODIAN_START_MARKS !== '1') return;
  if (!originPrinted) process.stderr.write(`custodian-start-origin ${performance.timeOrigin}\n`);
  originPrinted = true;
  process.stderr.write(`custodian-start-mark ${stage} ${Math.round(at - performance.timeOrigin)}\n`);
}
