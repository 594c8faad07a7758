import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 30_000,
    // Integration tests open many sockets and spawn the real bin; two cores.
    pool: 'forks',
    maxWorkers: 2,
    // Cadence, latency and lateness are judged on a shared two-core machine
    // where another test file runs beside each one: a scheduling hiccup can
    // push one message past a bound once. A real defect fails the retry too.
    retry: 1,
  },
});
