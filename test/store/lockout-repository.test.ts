import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTransaction } from '../../src/store/database.js';
import { clearLockout, lockLockout, saveLockout } from '../../src/store/lockout-repository.js';
import { createTestStore, DIALECTS, type TestStore } from '../support/stores.js';

/**
 * The lockout counter is created on demand and deleted by a success. An attempt that waits for
 * the row while a success on another connection (or server) deletes it must still get a counter:
 * the insert-then-`SELECT … FOR UPDATE` it replaced found no row there and answered 500.
 */
describe.each(DIALECTS)('lockout counter under a concurrent clear (%s)', (dialect) => {
  let t: TestStore;
  beforeAll(async () => {
    t = await createTestStore(dialect);
  });
  afterAll(async () => t?.dispose());

  it('an attempt waiting on a counter that a success deletes gets a fresh counter at zero', async () => {
    const account = `acct-${dialect}`;
    await withTransaction(t.store.db, async (tx) => {
      await lockLockout(tx, account, 1);
      await saveLockout(tx, account, { failures: 3, lockedUntil: null }, 1);
    });
    let waiting: Promise<unknown> | undefined;
    await withTransaction(t.store.db, async (tx) => {
      // The success holds the row; the attempt queues behind it; then the success deletes the
      // row and commits.
      await lockLockout(tx, account, 2);
      waiting = withTransaction(t.store.db, (other) => lockLockout(other, account, 3));
      await new Promise((r) => setTimeout(r, 300));
      await clearLockout(tx, account);
    });
    expect(await waiting).toEqual({ failures: 0, lockedUntil: null, updatedAt: 3 });
  });

  it('an existing counter is read, not reset, and stays held by its reader', async () => {
    const account = `held-${dialect}`;
    await withTransaction(t.store.db, async (tx) => {
      await lockLockout(tx, account, 10);
      await saveLockout(tx, account, { failures: 4, lockedUntil: 99 }, 11);
    });
    const row = await withTransaction(t.store.db, (tx) => lockLockout(tx, account, 12));
    expect(row).toEqual({ failures: 4, lockedUntil: 99, updatedAt: 11 });
  });
});
