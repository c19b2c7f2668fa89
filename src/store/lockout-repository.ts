import type { DbOrTx } from './database.js';

export interface LockoutRow {
  readonly failures: number;
  readonly lockedUntil: number | null;
}

/** A held counter, with when it last changed (epoch ms). */
export interface HeldLockoutRow extends LockoutRow {
  readonly updatedAt: number;
}

/**
 * Reads an account's counter, creating it at zero, and holds its row until the transaction
 * ends, so concurrent attempts on one account are counted one after another. One statement: an
 * upsert that touches the row takes its lock on PostgreSQL (on SQLite the IMMEDIATE transaction
 * already holds the write lock). Not an insert followed by `SELECT … FOR UPDATE`: a success on
 * another connection (or server) can delete the row between the two, and the select then finds
 * nothing (the 500 the cluster benchmark caught); the upsert inserts again instead.
 */
export async function lockLockout(db: DbOrTx, account: string, now: number): Promise<HeldLockoutRow> {
  const row = await db
    .insertInto('lockouts')
    .values({ account, failures: 0, locked_until: null, updated_at: now })
    .onConflict((oc) => oc.column('account').doUpdateSet({ account: (eb) => eb.ref('excluded.account') }))
    .returning(['failures', 'locked_until', 'updated_at'])
    .executeTakeFirstOrThrow();
  return { failures: row.failures, lockedUntil: row.locked_until, updatedAt: row.updated_at };
}

export async function findLockout(db: DbOrTx, account: string): Promise<LockoutRow | undefined> {
  const row = await db
    .selectFrom('lockouts')
    .select(['failures', 'locked_until'])
    .where('account', '=', account)
    .executeTakeFirst();
  return row === undefined ? undefined : { failures: row.failures, lockedUntil: row.locked_until };
}

export async function saveLockout(db: DbOrTx, account: string, row: LockoutRow, now: number): Promise<void> {
  await db
    .updateTable('lockouts')
    .set({ failures: row.failures, locked_until: row.lockedUntil, updated_at: now })
    .where('account', '=', account)
    .execute();
}

export async function clearLockout(db: DbOrTx, account: string): Promise<void> {
  await db.deleteFrom('lockouts').where('account', '=', account).execute();
}
