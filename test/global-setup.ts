// Once per test run, before any test file: the built code the tests start (the device host every integration test
// forks, the CLI bundle bin/custodian.js runs, the renderer the browser host serves), rebuilt only when a source
// file is newer. Test files themselves stay TypeScript, transpiled by vitest.
import { ensureBuilt } from '../scripts/build.js';

export default async function setup(): Promise<void> {
  await ensureBuilt(['node', 'renderer'], { log: (line) => process.stdout.write(`[global setup] ${line}\n`) });
}
