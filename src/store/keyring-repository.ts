import type { DbOrTx } from './database.js';
import type { KeyringKeysTable } from './schema.js';

export type KeyringRow = KeyringKeysTable;

/** Every sealed keyring key, oldest version first. */
export function listKeyringKeys(db: DbOrTx): Promise<KeyringRow[]> {
  return db.selectFrom('keyring_keys').selectAll().orderBy('purpose').orderBy('version').execute();
}

/** Inserts a sealed key; a second insert of the same id fails (keys are never overwritten). */
export async function insertKeyringKey(db: DbOrTx, row: KeyringRow): Promise<void> {
  await db.insertInto('keyring_keys').values(row).execute();
}

/** The highest version of a purpose, or 0 when there is none. */
export async function latestKeyringVersion(db: DbOrTx, purpose: string): Promise<number> {
  const row = await db
    .selectFrom('keyring_keys')
    .select((eb) => eb.fn.max('version').as('v'))
    .where('purpose', '=', purpose)
    .executeTakeFirst();
  return Number(row?.v ?? 0);
}

/** Replaces a key's sealed bytes (re-sealing under a new root; the key itself is unchanged). */
export async function resealKeyringKey(db: DbOrTx, id: string, sealed: Buffer): Promise<void> {
  await db.updateTable('keyring_keys').set({ sealed }).where('id', '=', id).execute();
}

/** Deletes the versions of `purpose` below `version` (KEKs no data key is wrapped by any more). */
export async function deleteKeyringVersionsBelow(
  db: DbOrTx,
  purpose: string,
  version: number,
): Promise<number> {
  const result = await db
    .deleteFrom('keyring_keys')
    .where('purpose', '=', purpose)
    .where('version', '<', version)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
