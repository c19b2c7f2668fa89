import type { DbOrTx } from './database.js';
import type { KeyCustodyTable } from './schema.js';

export type KeyCustodyRow = KeyCustodyTable;

const MASTER = 'master';

/** The master key's custody record, or undefined when the key is a file or an environment variable. */
export async function findKeyCustody(db: DbOrTx): Promise<KeyCustodyRow | undefined> {
  const row = await db.selectFrom('key_custody').selectAll().where('id', '=', MASTER).executeTakeFirst();
  return row === undefined ? undefined : { ...row, created_at: Number(row.created_at) };
}

/** Records (or replaces, on a re-split) how the master key is held. */
export async function saveKeyCustody(db: DbOrTx, row: Omit<KeyCustodyRow, 'id'>): Promise<void> {
  await db.deleteFrom('key_custody').where('id', '=', MASTER).execute();
  await db
    .insertInto('key_custody')
    .values({ id: MASTER, ...row })
    .execute();
}

/** Forgets how the master key was split (it was replaced by another root). */
export async function deleteKeyCustody(db: DbOrTx): Promise<void> {
  await db.deleteFrom('key_custody').where('id', '=', MASTER).execute();
}
