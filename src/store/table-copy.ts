import { createHash, type Hash } from 'node:crypto';
import { sql, type RawBuilder } from 'kysely';
import type { DbOrTx, DialectName } from './database.js';
import type { CopyTable, KeyColumn } from './copy-plan.js';

/**
 * Table-generic reads and writes for copying a database into another (`medvault store migrate`):
 * rows in primary-key order with keyset pagination, multi-row inserts that keep every value (ids
 * included), counts and content digests. Both dialects order keys the same way: SQLite compares
 * text and blobs byte by byte, and PostgreSQL is told to (`COLLATE "C"` on text; bytea compares
 * bytes), so a key means the same position on both sides.
 */
export type Row = Record<string, unknown>;
export type Key = readonly unknown[];

function keyExpr(dialect: DialectName, column: KeyColumn): RawBuilder<unknown> {
  return dialect === 'postgres' && column.kind === 'text'
    ? sql`${sql.ref(column.name)} collate "C"`
    : sql`${sql.ref(column.name)}`;
}

function orderBy(dialect: DialectName, table: CopyTable): RawBuilder<unknown> {
  return sql.join(table.key.map((c) => sql`${keyExpr(dialect, c)} asc`));
}

function after(dialect: DialectName, table: CopyTable, key: Key | undefined): RawBuilder<unknown> {
  if (key === undefined) return sql``;
  // Row-value comparison: lexicographic over the key, the same order as ORDER BY.
  return sql`where (${sql.join(table.key.map((c) => keyExpr(dialect, c)))}) > (${sql.join([...key])})`;
}

/** Up to `limit` rows with a key above `from` (from the first when undefined), in key order. */
export async function readRowsAfter(
  db: DbOrTx,
  dialect: DialectName,
  table: CopyTable,
  from: Key | undefined,
  limit: number,
): Promise<Row[]> {
  const { rows } = await sql<Row>`select * from ${sql.table(table.name)} ${after(dialect, table, from)}
    order by ${orderBy(dialect, table)} limit ${limit}`.execute(db);
  return rows;
}

/** The key of a row. */
export const rowKey = (table: CopyTable, row: Row): Key => table.key.map((c) => row[c.name]);

export async function countRows(db: DbOrTx, table: string): Promise<number> {
  const { rows } = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(table)}`.execute(
    db,
  );
  return Number(rows[0]?.n ?? 0);
}

/** Bound parameters per INSERT: below PostgreSQL's 65,535. */
const PARAMETERS_PER_STATEMENT = 30_000;

/**
 * PostgreSQL: inserts rows exactly as given, ids included (an identity column with OVERRIDING
 * SYSTEM VALUE; call {@link advanceIdentity} once the table is whole).
 */
export async function insertRows(db: DbOrTx, table: CopyTable, rows: readonly Row[]): Promise<void> {
  const first = rows[0];
  if (first === undefined) return;
  const columns = Object.keys(first);
  const perStatement = Math.max(1, Math.floor(PARAMETERS_PER_STATEMENT / columns.length));
  const overriding = table.identity === undefined ? sql`` : sql`overriding system value`;
  for (let at = 0; at < rows.length; at += perStatement) {
    const values = rows
      .slice(at, at + perStatement)
      .map((r) => sql`(${sql.join(columns.map((c) => r[c] ?? null))})`);
    await sql`insert into ${sql.table(table.name)} (${sql.join(columns.map((c) => sql.ref(c)))}) ${overriding}
      values ${sql.join(values)}`.execute(db);
  }
}

/** Removes every row (what a migration put into a table, before the source's rows replace it). */
export async function deleteAllRows(db: DbOrTx, table: string): Promise<void> {
  await sql`delete from ${sql.table(table)}`.execute(db);
}

/** PostgreSQL: moves an identity column's sequence past the largest id copied. */
export async function advanceIdentity(db: DbOrTx, table: CopyTable): Promise<void> {
  if (table.identity === undefined) return;
  const column = table.identity;
  await sql`select setval(pg_get_serial_sequence(${table.name}, ${column}),
    (select coalesce(max(${sql.ref(column)}), 0) + 1 from ${sql.table(table.name)}), false)`.execute(db);
}

/** The bytes a row's values take (text as UTF-8), for throughput figures. */
export function rowBytes(row: Row): number {
  let n = 0;
  for (const v of Object.values(row)) {
    if (Buffer.isBuffer(v)) n += v.length;
    else if (typeof v === 'string') n += Buffer.byteLength(v);
    else if (v !== null && v !== undefined) n += 8;
  }
  return n;
}

/**
 * SHA-256 over every row of `table` in key order, each column (by name, sorted) encoded with its
 * type and length, so two databases give the same digest exactly when they hold the same values.
 */
export async function tableDigest(
  db: DbOrTx,
  dialect: DialectName,
  table: CopyTable,
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
