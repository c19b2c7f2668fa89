import { defineConfig } from 'vitest/config';

/** Pure tests: no store, no server, no child process (crypto, the contract, configuration, web logic, layering). */
const UNIT = [
  'test/crypto/**/*.test.ts',
  'test/contract/**/*.test.ts',
  'test/config/**/*.test.ts',
  'test/web/**/*.test.ts',
  'test/architecture.test.ts',
];
/** Real Chromium against a live server. */
const BROWSER = ['test/browser/**/*.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Crypto, database and browser tests are CPU-bound: two workers fit a 2-core machine.
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'unit', include: UNIT } },
      {
        // Stores (SQLite always, PostgreSQL when MEDVAULT_TEST_DATABASE_URL is set), services, HTTP, CLI.
        extends: true,
        test: { name: 'integration', include: ['test/**/*.test.ts'], exclude: [...UNIT, ...BROWSER] },
      },
      {
        extends: true,
        // A page under a loaded CI can take seconds to react: polled expectations wait up to 10 s,
        // and a browser test that fails is run again (up to twice) before the run fails: under
        // CI's full parallel load three different page tests each failed once and passed alone
        // (see the stop note of 2026-12-03; to be made deterministic, not left like this).
        test: { name: 'browser', include: BROWSER, retry: 2, expect: { poll: { timeout: 10_000 } } },
      },
    ],
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      reporter: ['text-summary', 'json-summary'],
      reportsDirectory: 'coverage',
      // The whole suite as CI runs it (PostgreSQL and Chromium included). First measured (issue
      // 13, composition root alone): lines 84.29, statements 81.98, functions 84.49, branches
      // 73.02 %; with the access scope, the contract and the web on the client (fresh clone of
      // b53a1f8): 86.00, 83.91, 85.88, 76.82 %. Rounded down to the half point; raise them as
      // coverage rises, never lower them.
      thresholds: { lines: 85.5, statements: 83.5, functions: 85.5, branches: 76.5 },
    },
  },
});
