import { sql } from 'kysely';
import type { DbOrTx } from './database.js';
import type { Key } from './table-copy.js';

/**
 * The progress of `medvault store migrate`, kept in the TARGET database (`medvault_store_move`,
 * PostgreSQL; a tool's bookkeeping, not a migration: backups and copies leave it out). One row per
 * item — a table's name, `attachments`, and {@link MOVE_ROW} for the move itself — with the last
 * key copied, rows and bytes so far and whether it is done. A table's row is written in the same
 * transaction as each batch of its rows, so what it says was copied was copied, exactly once.
 */
export const MOVE_STATE_TABLE = 'medvault_store_move';
/** The row of the move itself: `source` names the hospital, `done` that the move was proven. */
export const MOVE_ROW = '$move';

export interface MoveStateRow {
  readonly item: string;
  /** A fingerprint of the source hospital (the same on every row). */
  readonly source: string;
  readonly lastKey: Key | undefined;
  readonly rows: number;
  readonly bytes: number;
  readonly done: boolean;
}

type Cell = string | number | boolean | null | { $b: string };

const encodeKey = (key: Key): string =>
  JSON.stringify(key.map((v): Cell => (Buffer.isBuffer(v) ? { $b: v.toString('base64') } : (v as Cell))));
const decodeKey = (text: string): Key =>
  (JSON.parse(text) as Cell[]).map((c) =>
    c !== null && typeof c === 'object' ? Buffer.from(c.$b, 'base64') : c,
  );

/** Whether the current schema has the state table (an earlier run of a move into it). */
export async function moveStateExists(db: DbOrTx): Promise<boolean> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from information_schema.tables
    where table_schema = current_schema() and table_name = ${MOVE_STATE_TABLE}`.execute(db);
  return Number(rows[0]?.n) > 0;
}

export async function createMoveState(db: DbOrTx): Promise<void> {
  await sql`create table if not exists ${sql.table(MOVE_STATE_TABLE)} (
    item text primary key,
    source text not null,
    last_key text,
    rows bigint not null default 0,
    bytes bigint not null default 0,
    done boolean not null default false,
    updated_at bigint not null
  )`.execute(db);
}

export async function readMoveState(db: DbOrTx): Promise<Map<string, MoveStateRow>> {
  const { rows } = await sql<{
    item: string;
    source: string;
    last_key: string | null;
    rows: number;
    bytes: number;
    done: boolean;
  }>`select item, source, last_key, rows, bytes, done from ${sql.table(MOVE_STATE_TABLE)}`.execute(db);
  return new Map(
    rows.map((r) => [
      r.item,
      {
        item: r.item,
        source: r.source,
        lastKey: r.last_key === null ? undefined : decodeKey(r.last_key),
        rows: Number(r.rows),
        bytes: Number(r.bytes),
        done: r.done,
      },
    ]),
  );
}

export async function saveMoveState(db: DbOrTx, row: MoveStateRow, now = Date.now()): Promise<void> {
  const lastKey = row.lastKey === undefined ? null : encodeKey(row.lastKey);
  await sql`insert into ${sql.table(MOVE_STATE_TABLE)} (item, source, last_key, rows, bytes, done, updated_at)
    values (${row.item}, ${row.source}, ${lastKey}, ${row.rows}, ${row.bytes}, ${row.done}, ${now})
    on conflict (item) do update set source = excluded.source, last_key = excluded.last_key,
      rows = excluded.rows, bytes = excluded.bytes, done = excluded.done,
      updated_at = excluded.updated_at`.execute(db);
}
