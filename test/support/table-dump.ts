import { sql } from 'kysely';
import type { Store } from '../../src/store/database.js';

/** Every base table of the store (SQLite file, or the current PostgreSQL schema). */
async function tableNames(store: Store): Promise<string[]> {
  const r =
    store.dialect === 'sqlite'
      ? await sql<{ name: string }>`select name from sqlite_master
          where type = 'table' and name not like 'sqlite_%' order by name`.execute(store.db)
      : await sql<{ name: string }>`select table_name as name from information_schema.tables
          where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(
          store.db,
        );
  return r.rows.map((x) => x.name);
}

const cellText = (value: unknown): string => {
  if (value === null || value === undefined) return '';
  if (value instanceof Uint8Array) return Buffer.from(value).toString('latin1');
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean')
    return String(value);
  return JSON.stringify(value) ?? '';
};

/** The tables and columns of the store whose cells contain `needle` (blobs read byte for byte). */
export async function cellsContaining(store: Store, needle: string): Promise<string[]> {
  const bytes = Buffer.from(needle, 'utf8').toString('latin1');
  const hits: string[] = [];
  for (const table of await tableNames(store)) {
    const r = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(store.db);
    for (const row of r.rows)
      for (const [column, value] of Object.entries(row)) {
        const text = cellText(value);
        const asText = value instanceof Uint8Array ? text : Buffer.from(text, 'utf8').toString('latin1');
        if (asText.includes(bytes)) hits.push(`${table}.${column}`);
      }
  }
  return [...new Set(hits)];
}

/** How many tables the store has (so a dump that found nothing provably looked somewhere). */
export async function tableCount(store: Store): Promise<number> {
  return (await tableNames(store)).length;
}
