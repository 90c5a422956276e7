// Once per test run, before any test file: the built code the tests start (the device host every integration test
// forks, the CLI bundle bin/custodian.js runs, the renderer the browser host serves), rebuilt only when a source
// file is newer; and one headless Chromium (a playwright server on 127.0.0.1) that the app contexts of
// test/fixtures/harness print in, instead of a Chromium started per test file (CUSTODIAN_TEST_CHROMIUM_ENDPOINT, a
// test-only variable the test workers inherit; the product's own printer paths are tested by the transcript tests).
// Test files themselves stay TypeScript, transpiled by vitest.
import { chromium, type BrowserServer } from 'playwright-core';
import { ensureBuilt } from '../scripts/build.js';
import { CHROMIUM_ARGS, chromiumPath } from '../main/hosts/browser';

let server: BrowserServer | undefined;

export default async function setup(): Promise<() => Promise<void>> {
  await ensureBuilt(['node', 'renderer'], { log: (line) => process.stdout.write(`[global setup] ${line}\n`) });
  server = await chromium.launchServer({ executablePath: chromiumPath(), args: CHROMIUM_ARGS, headless: true, host: '127.0.0.1' });
  process.env.CUSTODIAN_TEST_CHROMIUM_ENDPOINT = server.wsEndpoint();
  return async () => {
    await server?.close();
  };
}
