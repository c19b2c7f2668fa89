import type { DbOrTx } from './database.js';

/** How many accounts (staff and patients) exist: the demo seeders only ever fill an empty database. */
export async function countUsers(db: DbOrTx): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
