/**
 * Positional rows straight from the driver, for the few scans where building one object per row
 * (and Kysely's per-query work) is most of the cost: the full-log verifier reads a million
 * ledger rows. better-sqlite3's `raw()` statements and pg's `rowMode: 'array'` hand back arrays
 * in select order; values are the driver's own (pg's int8 parser of the pool still applies).
 *
 * openStore registers each store's reader against its Kysely instance. A handle without one (a
 * transaction, `withPlugin`) falls back to Kysely, so results are the same either way.
 */
import { CompiledQuery, PostgresAdapter, type Kysely } from 'kysely';
import type { Database, Statement } from 'better-sqlite3';
import type pg from 'pg';
import type { Schema } from './schema.js';

/** A store's Kysely handle (database.ts's Db; named here to keep the import one-way). */
type Db = Kysely<Schema>;

/** Runs one SELECT with `?` placeholders; answers its rows as arrays in select order. */
export type RawQuery = (text: string, params: readonly unknown[]) => Promise<unknown[][]>;

const readers = new WeakMap<object, RawQuery>();

/** Registers a store's driver-level reader (openStore). */
export function registerRawQuery(db: Db, query: RawQuery): void {
  readers.set(db, query);
}

/** `?` → `$1`, `$2`, … (the queries given here hold no `?` inside literals). */
const dollars = (text: string): string => {
  let n = 0;
  return text.replace(/\?/g, () => `$${++n}`);
};

/** Runs `text` on `db`: through its registered driver reader, else through Kysely. */
export async function rawQuery(db: Db, text: string, params: readonly unknown[]): Promise<unknown[][]> {
  const direct = readers.get(db);
  if (direct !== undefined) return direct(text, params);
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const result = await db.executeQuery<Record<string, unknown>>(
    CompiledQuery.raw(postgres ? dollars(text) : text, [...params]),
  );
  return result.rows.map((row) => Object.values(row));
}

/**
 * SQLite: prepared `raw()` statements, cached by text, run while holding Kysely's connection (its
 * mutex), so a scan never reads between the statements of a transaction this process has open.
 */
export function sqliteRawQuery(db: Db, raw: Database): RawQuery {
  const statements = new Map<string, Statement<unknown[], unknown[]>>();
  return (text, params) =>
    db.connection().execute(async () => {
      let stmt = statements.get(text);
      if (stmt === undefined) {
        stmt = raw.prepare<unknown[], unknown[]>(text).raw(true);
        statements.set(text, stmt);
      }
      return stmt.all(...params);
    });
}

/** PostgreSQL: the pool's `rowMode: 'array'` (a pooled connection, outside any transaction). */
export function postgresRawQuery(pool: pg.Pool): RawQuery {
  return async (text, params) =>
    (await pool.query<unknown[]>({ text: dollars(text), values: [...params], rowMode: 'array' })).rows;
}
