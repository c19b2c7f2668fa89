import { sql } from 'kysely';
import type { DbOrTx } from './database.js';
import { tablesInOrder } from './snapshot.js';

/** How a primary-key column compares (both dialects order it the same way, byte by byte). */
export type KeyKind = 'text' | 'integer' | 'bytes';

export interface KeyColumn {
  readonly name: string;
  readonly kind: KeyKind;
}

/** One table to copy: its name, its primary key (the copy's order) and its identity column. */
export interface CopyTable {
  readonly name: string;
  readonly key: readonly KeyColumn[];
  /** A GENERATED … AS IDENTITY column: written as is, its sequence moved past the copied ids. */
  readonly identity: string | undefined;
}

const KIND_OF_TYPE: Readonly<Record<string, KeyKind>> = {
  text: 'text',
  bytea: 'bytes',
  integer: 'integer',
  bigint: 'integer',
  smallint: 'integer',
};

/**
 * The copy plan of a migrated PostgreSQL schema, read from its catalog, so it is the migrations'
 * own: every table (bookkeeping left out) in foreign-key order (parents first, so a copy in this
 * order never breaks a constraint), each with its primary key in index order.
 * @throws TypeError for a table without a primary key or with a key of another type: such a
 *   table cannot be copied in key order and needs a decision here first.
 */
export async function copyPlan(db: DbOrTx): Promise<CopyTable[]> {
  const keys = (
    await sql<{ t: string; c: string; type: string }>`
      select cl.relname as t, a.attname as c, format_type(a.atttypid, a.atttypmod) as type
      from pg_constraint con
      join pg_class cl on cl.oid = con.conrelid
      cross join lateral unnest(con.conkey) with ordinality as k(attnum, ord)
      join pg_attribute a on a.attrelid = cl.oid and a.attnum = k.attnum
      where con.contype = 'p' and con.connamespace = current_schema()::regnamespace
      order by cl.relname, k.ord`.execute(db)
  ).rows;
  const identities = (
    await sql<{ t: string; c: string }>`select table_name as t, column_name as c
      from information_schema.columns
      where table_schema = current_schema() and is_identity = 'YES'`.execute(db)
  ).rows;
  return (await tablesInOrder(db)).map((name) => {
    const key = keys
      .filter((k) => k.t === name)
      .map((k) => {
        const kind = KIND_OF_TYPE[k.type];
        if (kind === undefined)
          throw new TypeError(`${name}.${k.c}: a ${k.type} key cannot be copied in order`);
        return { name: k.c, kind };
      });
    if (key.length === 0) throw new TypeError(`${name} has no primary key: it cannot be copied in order`);
    return { name, key, identity: identities.find((i) => i.t === name)?.c };
  });
}
