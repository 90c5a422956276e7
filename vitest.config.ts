import { defineConfig } from 'vitest/config';

// Four projects, one runner: `npm test` sums them into one line.
// integration and e2e talk to real SoftHSM2 tokens, the real device-host process and Chromium,
// so they run in forks with generous timeouts and limited parallelism (2 cores here); e2e-network alone, in a group of its own.
/** The e2e file that makes network interfaces (test/e2e/air-gap.test.ts). */
const NETWORK_E2E = 'test/e2e/air-gap.test.ts';

export default defineConfig({
  test: {
    // The device host, the CLI bundle and the renderer are built once per run (and only when a source is newer).
    globalSetup: ['test/global-setup.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'test/unit/**/*.test.tsx'],
          environment: 'node',
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          pool: 'forks',
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          exclude: [NETWORK_E2E],
          environment: 'node',
          pool: 'forks',
          fileParallelism: false,
          testTimeout: 300_000,
          hookTimeout: 180_000,
        },
      },
      {
        // puts a veth pair up in the run's network namespace: in a group of its own (vitest runs its groups one after
        // another: unit and integration, this, then the sequential e2e files), so no real-ceremony test elsewhere meets
        // a network interface it did not make
        test: {
          name: 'e2e-network',
          include: [NETWORK_E2E],
          environment: 'node',
          pool: 'forks',
          testTimeout: 300_000,
          hookTimeout: 180_000,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
