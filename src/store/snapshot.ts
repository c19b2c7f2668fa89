import fs from 'node:fs';
import Database from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import type { Db } from './database.js';

/**
 * Tables kept for the tools, not the hospital (the migrator's, `store migrate`'s progress): never
 * dumped, restored or moved as data.
 */
const BOOKKEEPING = new Set(['medvault_migrations', 'medvault_migrations_lock', 'medvault_store_move']);
/** Pages copied per step of SQLite's online backup (4 KiB pages: 64 MiB a step). */
const SQLITE_PAGES_PER_STEP = 16_384;
/** Rows read or inserted per statement in a PostgreSQL dump or restore. */
const PG_BATCH = 500;

/**
 * SQLite's online backup API: copies the live database file page by page into `dest` while
 * other connections (a running server) keep writing; the copy is the database as of one moment.
 * Large steps keep a busy writer from restarting it over and over.
 */
export async function sqliteOnlineBackup(
  dbFile: string,
  dest: string,
  onProgress?: (donePages: number, totalPages: number) => void,
): Promise<void> {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    await db.backup(dest, {
      progress: ({ totalPages, remainingPages }) => {
        onProgress?.(totalPages - remainingPages, totalPages);
        return SQLITE_PAGES_PER_STEP;
      },
    });
  } finally {
    db.close();
  }
  fs.chmodSync(dest, 0o600);
}

/** A JSON-safe cell: bytes as `{ "$b": base64 }`. */
type Cell = string | number | boolean | null | { $b: string };
export type DumpRow = Record<string, Cell>;

const toCell = (v: unknown): Cell => {
  if (Buffer.isBuffer(v)) return { $b: v.toString('base64') };
  if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return Number(v);
  throw new TypeError(`cannot dump a ${typeof v} cell`);
};
const fromCell = (c: Cell): unknown =>
  c !== null && typeof c === 'object' ? Buffer.from(c.$b, 'base64') : c;

type AnyDb = Kysely<Record<string, Record<string, unknown>>>;

/** The schema's tables (PostgreSQL), parents before children (foreign keys), bookkeeping left out. */
export async function tablesInOrder(db: Db): Promise<string[]> {
  const tables = (
    await sql<{ t: string }>`select table_name as t from information_schema.tables
      where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(db)
  ).rows
    .map((r) => r.t)
    .filter((t) => !BOOKKEEPING.has(t));
  const edges = (
    await sql<{ child: string; parent: string }>`select c.relname as child, p.relname as parent
      from pg_constraint k join pg_class c on c.oid = k.conrelid join pg_class p on p.oid = k.confrelid
      where k.contype = 'f' and k.connamespace = current_schema()::regnamespace`.execute(db)
  ).rows;
  const ordered: string[] = [];
  const visit = (t: string, trail: Set<string>): void => {
    if (ordered.includes(t) || trail.has(t)) return;
    trail.add(t);
    for (const e of edges) if (e.child === t && e.parent !== t) visit(e.parent, trail);
    ordered.push(t);
  };
  for (const t of tables) visit(t, new Set());
  return ordered;
}

export interface PostgresDump {
  /** Migration names applied to the dumped schema, in order. */
  readonly migrations: string[];
  readonly rows: number;
}

/**
 * Dumps every table of the current schema in ONE repeatable-read, read-only transaction (one
 * snapshot: writers carry on, the dump sees none of their later commits), parents first, as
 * `emit(table, rows)` batches. Rows are read through a cursor, in the order PostgreSQL stores them.
 */
export async function dumpPostgres(
  db: Db,
  emit: (table: string, rows: DumpRow[]) => Promise<void>,
  onProgress?: (rows: number, totalRows: number) => void,
): Promise<PostgresDump> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (tx) => {
      const tables = await tablesInOrder(tx);
      const migrations = (
        await sql<{ name: string }>`select name from medvault_migrations order by name`.execute(tx)
      ).rows.map((r) => r.name);
      let total = 0;
      for (const t of tables)
        total += Number(
          (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(t)}`.execute(tx)).rows[0]?.n,
        );
      let done = 0;
      for (const t of tables) {
        // An empty batch first: a restore then empties the table even when it had no rows.
        await emit(t, []);
        // A cursor of the snapshot, read forward: one pass over the table, whatever its size.
        // (Keyset paging on ctid sorted the rest of the table for every page: 40 s for a
        // 2,000-patient hospital whose plain dump takes 2.)
        await sql`declare medvault_dump no scroll cursor for select * from ${sql.table(t)}`.execute(tx);
        for (;;) {
          const page = (
            await sql<
              Record<string, unknown>
            >`fetch forward ${sql.raw(String(PG_BATCH))} from medvault_dump`.execute(tx)
          ).rows;
          if (page.length === 0) break;
          await emit(
            t,
            page.map((r) => {
              const row: DumpRow = {};
              for (const [k, v] of Object.entries(r)) row[k] = toCell(v);
              return row;
            }),
          );
          done += page.length;
          onProgress?.(done, total);
        }
        await sql`close medvault_dump`.execute(tx);
      }
      return { migrations, rows: done };
    });
}

/** Names of the applied migrations (to compare a dump with the schema it is restored into). */
export async function appliedMigrations(db: Db): Promise<string[]> {
  return (
    await sql<{ name: string }>`select name from medvault_migrations order by name`.execute(db)
  ).rows.map((r) => r.name);
}

/** Whether the current schema holds any MedVault table (restore fills only an empty one). */
export async function postgresSchemaEmpty(db: Db): Promise<boolean> {
  const r = await sql<{ n: number }>`select count(*)::int as n from information_schema.tables
    where table_schema = current_schema()`.execute(db);
  return Number(r.rows[0]?.n) === 0;
}

/**
 * Restores dumped batches into a freshly migrated schema, in one transaction: each table is
 * emptied of what migrations may have put there, filled (identity values kept), and its identity
 * sequence moved past the largest restored id.
 */
export async function restorePostgres(
  db: Db,
  batches: AsyncIterable<{ table: string; rows: DumpRow[] }>,
  onRows?: (rows: number) => void,
): Promise<number> {
  return db.transaction().execute(async (tx) => {
    const any = tx as unknown as AnyDb;
    const cleared = new Set<string>();
    let count = 0;
    for await (const { table, rows } of batches) {
      if (BOOKKEEPING.has(table)) throw new TypeError(`a dump may not restore ${table}`);
      if (!cleared.has(table)) {
        await any.deleteFrom(table).execute();
        cleared.add(table);
      }
      for (let i = 0; i < rows.length; i += PG_BATCH) {
        const slice = rows.slice(i, i + PG_BATCH);
        const cols = Object.keys(slice[0] ?? {});
        if (cols.length === 0) continue;
        const values = slice.map((r) => sql`(${sql.join(cols.map((c) => fromCell(r[c] ?? null)))})`);
        await sql`insert into ${sql.table(table)} (${sql.join(cols.map((c) => sql.ref(c)))})
          overriding system value values ${sql.join(values)}`.execute(tx);
        count += slice.length;
        onRows?.(count);
      }
    }
    const identities = (
      await sql<{
        t: string;
        c: string;
      }>`select table_name as t, column_name as c from information_schema.columns
        where table_schema = current_schema() and is_identity = 'YES'`.execute(tx)
    ).rows;
    for (const { t, c } of identities)
      await sql`select setval(pg_get_serial_sequence(${t}, ${c}), coalesce(max(${sql.ref(c)}), 0) + 1, false)
        from ${sql.table(t)}`.execute(tx);
    return count;
  });
}
