import { createHash, type Hash } from 'node:crypto';
import { sql, type RawBuilder } from 'kysely';
import type { DbOrTx, DialectName } from './database.js';
import { STORE_TABLES, tableSpec, type KeyColumn, type TableName } from './store-tables.js';

/**
 * Table-generic reads and writes for moving a database to another (`medvault store migrate`):
 * rows in primary-key order with keyset pagination, multi-row inserts that keep every value
 * (ids included), counts and content digests. Both dialects order keys the same way: SQLite
 * compares text and blobs byte by byte, and PostgreSQL is told to (`COLLATE "C"` on text; bytea
 * compares bytes), so "the largest key copied so far" means the same row on both sides.
 */
export type Row = Record<string, unknown>;
export type Key = readonly unknown[];

const keyOf = (table: TableName): readonly KeyColumn[] => STORE_TABLES[table].key;

function keyExpr(dialect: DialectName, column: KeyColumn): RawBuilder<unknown> {
  return dialect === 'postgres' && column.kind === 'text'
    ? sql`${sql.ref(column.name)} collate "C"`
    : sql`${sql.ref(column.name)}`;
}

function orderBy(dialect: DialectName, table: TableName, direction: 'asc' | 'desc'): RawBuilder<unknown> {
  const dir = direction === 'asc' ? sql`asc` : sql`desc`;
  return sql.join(keyOf(table).map((c) => sql`${keyExpr(dialect, c)} ${dir}`));
}

function after(dialect: DialectName, table: TableName, key: Key | undefined): RawBuilder<unknown> {
  if (key === undefined) return sql``;
  const columns = keyOf(table);
  if (columns.length === 1) return sql`where ${keyExpr(dialect, columns[0]!)} > ${key[0]}`;
  // Row-value comparison: lexicographic over the key, the same order as ORDER BY above.
  return sql`where (${sql.join(columns.map((c) => keyExpr(dialect, c)))}) > (${sql.join([...key])})`;
}

/** Up to `limit` rows with a key above `from` (all of them from the first when undefined), in key order. */
export async function readRowsAfter(
  db: DbOrTx,
  dialect: DialectName,
  table: TableName,
  from: Key | undefined,
  limit: number,
): Promise<Row[]> {
  const { rows } = await sql<Row>`select * from ${sql.table(table)} ${after(dialect, table, from)}
    order by ${orderBy(dialect, table, 'asc')} limit ${limit}`.execute(db);
  return rows;
}

/** The key of a row. */
export const rowKey = (table: TableName, row: Row): Key => keyOf(table).map((c) => row[c.name]);

/** The largest key in `table`, or undefined when it is empty. */
export async function lastKey(db: DbOrTx, dialect: DialectName, table: TableName): Promise<Key | undefined> {
  const columns = keyOf(table);
  const { rows } = await sql<Row>`select ${sql.join(columns.map((c) => sql.ref(c.name)))}
    from ${sql.table(table)} order by ${orderBy(dialect, table, 'desc')} limit 1`.execute(db);
  const row = rows[0];
  return row === undefined ? undefined : rowKey(table, row);
}

export async function countRows(db: DbOrTx, table: TableName): Promise<number> {
  const { rows } = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(table)}`.execute(
    db,
  );
  return Number(rows[0]?.n ?? 0);
}

/** Rows per INSERT statement: far below both dialects' bound-parameter limits at our column counts. */
const ROWS_PER_STATEMENT = 500;

/**
 * Inserts rows exactly as given (ids included). On PostgreSQL an identity column is written with
 * OVERRIDING SYSTEM VALUE; call {@link advanceIdentity} once the table is copied.
 */
export async function insertRows(
  db: DbOrTx,
  dialect: DialectName,
  table: TableName,
  rows: readonly Row[],
): Promise<void> {
  const first = rows[0];
  if (first === undefined) return;
  const columns = Object.keys(first);
  const spec = tableSpec(table);
  const overriding =
    dialect === 'postgres' && spec.identity !== undefined ? sql`overriding system value` : sql``;
  for (let at = 0; at < rows.length; at += ROWS_PER_STATEMENT) {
    const chunk = rows.slice(at, at + ROWS_PER_STATEMENT);
    const values = chunk.map((r) => sql`(${sql.join(columns.map((c) => r[c] ?? null))})`);
    await sql`insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))}) ${overriding}
      values ${sql.join(values)}`.execute(db);
  }
}

/** Removes every row (the rows a migration wrote into a seeded table, before copying the source's). */
export async function deleteAllRows(db: DbOrTx, table: TableName): Promise<void> {
  await sql`delete from ${sql.table(table)}`.execute(db);
}

/** PostgreSQL: moves an identity column's sequence past the largest id copied. */
export async function advanceIdentity(db: DbOrTx, dialect: DialectName, table: TableName): Promise<void> {
  const spec = tableSpec(table);
  if (dialect !== 'postgres' || spec.identity === undefined) return;
  const column = spec.identity;
  await sql`select setval(pg_get_serial_sequence(${table}, ${column}),
    (select coalesce(max(${sql.ref(column)}), 0) + 1 from ${sql.table(table)}), false)`.execute(db);
}

/**
 * SHA-256 over every row of `table` in key order, each column (by name, sorted) encoded with its
 * type and length, so two databases give the same digest exactly when they hold the same values.
 */
export async function tableDigest(
  db: DbOrTx,
  dialect: DialectName,
  table: TableName,
  batchSize = 2000,
): Promise<{ rows: number; sha256: string }> {
  const hash = createHash('sha256');
  let from: Key | undefined;
  let rows = 0;
  for (;;) {
    const batch = await readRowsAfter(db, dialect, table, from, batchSize);
    for (const row of batch) hashRow(hash, row);
    rows += batch.length;
    const last = batch.at(-1);
    if (last === undefined || batch.length < batchSize) break;
    from = rowKey(table, last);
  }
  return { rows, sha256: hash.digest('hex') };
}

function hashRow(hash: Hash, row: Row): void {
  for (const name of Object.keys(row).sort()) {
    const value = row[name];
    hash.update(`${name.length}:${name}=`);
    if (value === null || value === undefined) hash.update('n;');
    else if (typeof value === 'number' || typeof value === 'bigint') hash.update(`i${String(value)};`);
    else if (typeof value === 'string') hash.update(`s${Buffer.byteLength(value)}:${value};`);
    else if (Buffer.isBuffer(value)) hash.update(`b${value.length}:`).update(value).update(';');
    else throw new TypeError(`column ${name} holds a value of an unexpected type`);
  }
  hash.update('\n');
}
