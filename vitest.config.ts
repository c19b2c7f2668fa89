import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Crypto, database and browser tests are CPU-bound: two workers fit a 2-core machine.
    pool: 'forks',
    maxWorkers: 2,
  },
});
