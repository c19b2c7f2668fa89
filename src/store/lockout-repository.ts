import { PostgresAdapter } from 'kysely';
import type { DbOrTx } from './database.js';

export interface LockoutRow {
  readonly failures: number;
  readonly lockedUntil: number | null;
}

/** A held counter, with when it last changed (epoch ms). */
export interface HeldLockoutRow extends LockoutRow {
  readonly updatedAt: number;
}

const isPostgres = (db: DbOrTx): boolean => db.getExecutor().adapter instanceof PostgresAdapter;

/**
 * Reads an account's counter, creating it at zero, and holds its row until the transaction
 * ends (PostgreSQL: FOR UPDATE; SQLite: the IMMEDIATE transaction already holds the write lock),
 * so concurrent attempts on one account are counted one after another.
 */
export async function lockLockout(db: DbOrTx, account: string, now: number): Promise<HeldLockoutRow> {
  await db
    .insertInto('lockouts')
    .values({ account, failures: 0, locked_until: null, updated_at: now })
    .onConflict((oc) => oc.column('account').doNothing())
    .execute();
  let q = db
    .selectFrom('lockouts')
    .select(['failures', 'locked_until', 'updated_at'])
    .where('account', '=', account);
  if (isPostgres(db)) q = q.forUpdate();
  const row = await q.executeTakeFirstOrThrow();
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
