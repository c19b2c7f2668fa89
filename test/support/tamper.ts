import type { DbOrTx } from '../../src/store/database.js';

/**
 * What an insider with write access to the database does in the tamper tests: gives record
 * `victimId` the wrapped DEK of record `donorId`, so the victim's ciphertext no longer opens.
 */
export async function giveRecordKeyOf(db: DbOrTx, victimId: string, donorId: string): Promise<void> {
  const donor = await db
    .selectFrom('data_keys')
    .select('wrapped')
    .where('owner_table', '=', 'records')
    .where('owner_id', '=', donorId)
    .executeTakeFirstOrThrow();
  await db
    .updateTable('data_keys')
    .set({ wrapped: donor.wrapped })
    .where('owner_table', '=', 'records')
    .where('owner_id', '=', victimId)
    .execute();
}
