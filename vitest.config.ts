import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 30_000,
    // Integration tests open many sockets and spawn the real bin; two cores.
    pool: 'forks',
    maxWorkers: 2,
  },
});
