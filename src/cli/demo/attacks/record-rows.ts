import type { DemoWorld } from '../world.js';

type Db = DemoWorld['app']['store']['db'];

/** What an attacker edits of one record: its ciphertexts and its wrapped data key. */
export interface StoredRecord {
  readonly id: string;
  readonly title_ct: Buffer;
  readonly body_ct: Buffer;
  readonly wrapped: Buffer;
}

export async function readStored(db: Db, id: string): Promise<StoredRecord> {
  const row = await db
    .selectFrom('records')
    .select(['id', 'title_ct', 'body_ct'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  const key = await db
    .selectFrom('data_keys')
    .select(['wrapped'])
    .where('owner_table', '=', 'records')
    .where('owner_id', '=', id)
    .where('field', '=', 'record')
    .executeTakeFirstOrThrow();
  return {
    ...row,
    title_ct: Buffer.from(row.title_ct),
    body_ct: Buffer.from(row.body_ct),
    wrapped: Buffer.from(key.wrapped),
  };
}

/** Writes ciphertexts and wrapped key into the row `id` (raw SQL, as a database attacker). */
export async function writeStored(db: Db, id: string, from: Omit<StoredRecord, 'id'>): Promise<void> {
  await db
    .updateTable('records')
    .set({ title_ct: from.title_ct, body_ct: from.body_ct })
    .where('id', '=', id)
    .execute();
  await db
    .updateTable('data_keys')
    .set({ wrapped: from.wrapped })
    .where('owner_table', '=', 'records')
    .where('owner_id', '=', id)
    .where('field', '=', 'record')
    .execute();
}
