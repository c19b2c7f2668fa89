import type { DbOrTx } from './database.js';

/** The envelope context a wrapped DEK belongs to (its owner). */
export interface DataKeyOwner {
  readonly table: string;
  readonly rowId: string;
  readonly patientId: string | null;
  readonly field: string;
}

export interface DataKeyRow extends DataKeyOwner {
  readonly id: number;
  readonly kekVersion: number;
  readonly wrapped: Buffer;
}

export async function insertDataKey(
  db: DbOrTx,
  owner: DataKeyOwner,
  kekVersion: number,
  wrapped: Buffer,
  now: number,
): Promise<void> {
  await db
    .insertInto('data_keys')
    .values({
      owner_table: owner.table,
      owner_id: owner.rowId,
      patient_id: owner.patientId,
      field: owner.field,
      kek_version: kekVersion,
      wrapped,
      created_at: now,
    })
    .execute();
}

/** The wrapped DEK stored for an owner (looked up by table, row and field), if any. */
export async function findDataKey(
  db: DbOrTx,
  owner: Pick<DataKeyOwner, 'table' | 'rowId' | 'field'>,
): Promise<{ kekVersion: number; wrapped: Buffer } | undefined> {
  const row = await db
    .selectFrom('data_keys')
    .select(['kek_version', 'wrapped'])
    .where('owner_table', '=', owner.table)
    .where('owner_id', '=', owner.rowId)
    .where('field', '=', owner.field)
    .executeTakeFirst();
  return row === undefined ? undefined : { kekVersion: row.kek_version, wrapped: row.wrapped };
}

/** How many DEKs each KEK version wraps. */
export async function countDataKeysByVersion(db: DbOrTx): Promise<Map<number, number>> {
  const rows = await db
    .selectFrom('data_keys')
    .select(['kek_version', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('kek_version')
    .execute();
  return new Map(rows.map((r) => [r.kek_version, Number(r.n)]));
}

/** DEKs not wrapped by `version`, with id greater than `afterId`, in id order. */
export async function dataKeysNotOnVersion(
  db: DbOrTx,
  version: number,
  afterId: number,
  limit: number,
): Promise<DataKeyRow[]> {
  const rows = await db
    .selectFrom('data_keys')
    .select(['id', 'owner_table', 'owner_id', 'patient_id', 'field', 'kek_version', 'wrapped'])
    .where('kek_version', '<>', version)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    table: r.owner_table,
    rowId: r.owner_id,
    patientId: r.patient_id,
    field: r.field,
    kekVersion: r.kek_version,
    wrapped: r.wrapped,
  }));
}

/**
 * Replaces a wrapped DEK, but only if it is still wrapped by `fromVersion` (so a concurrent
 * rotation or a re-run never overwrites a newer wrap). Returns whether the row changed.
 */
export async function replaceWrappedDataKey(
  db: DbOrTx,
  id: number,
  fromVersion: number,
  toVersion: number,
  wrapped: Buffer,
): Promise<boolean> {
  const result = await db
    .updateTable('data_keys')
    .set({ kek_version: toVersion, wrapped })
    .where('id', '=', id)
    .where('kek_version', '=', fromVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
