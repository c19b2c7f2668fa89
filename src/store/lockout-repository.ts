import type { DbOrTx } from './database.js';

export interface LockoutRow {
  readonly failures: number;
  readonly lockedUntil: number | null;
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
    .insertInto('lockouts')
    .values({ account, failures: row.failures, locked_until: row.lockedUntil, updated_at: now })
    .onConflict((oc) =>
      oc
        .column('account')
        .doUpdateSet({ failures: row.failures, locked_until: row.lockedUntil, updated_at: now }),
    )
    .execute();
}

export async function clearLockout(db: DbOrTx, account: string): Promise<void> {
  await db.deleteFrom('lockouts').where('account', '=', account).execute();
}
