import { PostgresAdapter, sql } from 'kysely';
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

/** Row ids looked up per query by {@link findDataKeys}: well under SQLite's parameter limit. */
const LOOKUP_CHUNK = 500;

/**
 * The wrapped DEKs of many rows of one table and field, in one query per {@link LOOKUP_CHUNK}
 * rows: a map from row id to wrapped key (rows without a key are absent).
 */
export async function findDataKeys(
  db: DbOrTx,
  owner: Pick<DataKeyOwner, 'table' | 'field'>,
  rowIds: readonly string[],
): Promise<Map<string, Buffer>> {
  const found = new Map<string, Buffer>();
  for (let i = 0; i < rowIds.length; i += LOOKUP_CHUNK) {
    const rows = await db
      .selectFrom('data_keys')
      .select(['owner_id', 'wrapped'])
      .where('owner_table', '=', owner.table)
      .where('field', '=', owner.field)
      .where('owner_id', 'in', rowIds.slice(i, i + LOOKUP_CHUNK))
      .execute();
    for (const row of rows) found.set(row.owner_id, row.wrapped);
  }
  return found;
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
 * Replaces many wrapped DEKs in one statement, each only if it is not already on `toVersion`
 * (so a concurrent rotation or a re-run never overwrites a newer wrap). Returns how many rows
 * changed. One statement per batch keeps rotation bound by the cryptography, not by round trips.
 */
export async function replaceWrappedDataKeys(
  db: DbOrTx,
  toVersion: number,
  rows: ReadonlyArray<{ readonly id: number; readonly wrapped: Buffer }>,
): Promise<number> {
  if (rows.length === 0) return 0;
  // Explicit casts type the VALUES list on PostgreSQL; SQLite accepts and ignores them.
  const values = sql.join(
    rows.map((r) => sql`(cast(${r.id} as bigint), cast(${r.wrapped} as ${binaryType(db)}))`),
  );
  const result = await sql`
    with v(id, wrapped) as (values ${values})
    update data_keys set wrapped = v.wrapped, kek_version = ${toVersion}
    from v where data_keys.id = v.id and data_keys.kek_version <> ${toVersion}`.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}

function binaryType(db: DbOrTx) {
  return db.getExecutor().adapter instanceof PostgresAdapter ? sql.raw('bytea') : sql.raw('blob');
}
