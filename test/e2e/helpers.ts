import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ROOT } from '../fixtures/harness';

export { ROOT };
export const RESULTS = join(ROOT, 'test-results');

export function tempHome(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `custodian-${prefix}-`));
}

export function screenshotPath(name: string): string {
  mkdirSync(RESULTS, { recursive: true });
  return join(RESULTS, `${name}.png`);
}
