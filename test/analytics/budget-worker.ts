import { scopeOf } from '../support/scopes.js';
/**
 * A stand-in "server process" for the budget concurrency test: opens its own store on the given
 * data, waits at a start barrier, fires `count` concurrent queries of epsilon 1 for one admin and
 * prints how many were answered and how many refused for the budget, as JSON.
 *
 * A separate process, not a second store in the test's process: better-sqlite3 waits for
 * SQLite's write lock synchronously, so two SQLite connections in one thread would block the
 * very event loop the lock holder needs to commit.
 */
import { composeAnalytics } from '../../src/app/analytics/index.js';
import { composeAudit } from '../../src/app/audit/index.js';
import { DataKeys } from '../../src/app/data-keys.js';
import { AppError } from '../../src/app/errors.js';
import { Keyring } from '../../src/app/keyring.js';
import { openStore } from '../../src/store/database.js';

const args = JSON.parse(process.argv[2] as string) as {
  dataDir: string;
  databaseUrl?: string;
  masterKey: string;
  adminId: string;
  count: number;
};
const store = openStore({ dataDir: args.dataDir, databaseUrl: args.databaseUrl });
try {
  const keyring = await Keyring.open(store.db, Buffer.from(args.masterKey, 'base64'), 'worker');
  // This process's own analytics context, with the budget the test world's has.
  const analytics = composeAnalytics({
    db: store.db,
    dataKeys: new DataKeys(keyring),
    audit: (
      await composeAudit({
        db: store.db,
        keyring,
        clock: Date.now,
        checkpoints: {
          everyEntries: 100,
          everySeconds: 60,
          file: `${args.dataDir}-checkpoints`,
          witnesses: [],
        },
      })
    ).ledger,
    budget: { epsilonMilli: 5000, days: 30 },
  });
  const { statistics } = analytics.services;
  const admin = { userId: args.adminId, role: 'admin' } as const;
  // Load the key before the barrier, so both processes race on the budget, not on start-up.
  await statistics.budget(scopeOf(admin));
  process.stderr.write('ready\n');
  await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
  process.stdin.pause();
  const results = await Promise.allSettled(
    Array.from({ length: args.count }, () =>
      statistics.query(scopeOf(admin), {
        metric: 'heartRate',
        aggregate: 'count',
        cohort: { kind: 'all' },
        epsilon: 1,
      }),
    ),
  );
  const refused = results.filter(
    (r) =>
      r.status === 'rejected' && r.reason instanceof AppError && r.reason.code === 'privacy_budget_exhausted',
  ).length;
  const ok = results.filter((r) => r.status === 'fulfilled').length;
  process.stdout.write(JSON.stringify({ ok, refused }));
  await analytics.close();
} finally {
  await store.close();
}
