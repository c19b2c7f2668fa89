import type { DbOrTx } from './database.js';

export interface LedgerKeyHandoverRow {
  readonly generation: number;
  readonly treeSize: number;
  readonly statement: string;
  readonly createdAt: number;
}

/** Every handover statement, in generation order. */
export async function listLedgerKeyHandovers(db: DbOrTx): Promise<LedgerKeyHandoverRow[]> {
  const rows = await db.selectFrom('ledger_key_handovers').selectAll().orderBy('generation').execute();
  return rows.map((r) => ({
    generation: Number(r.generation),
    treeSize: Number(r.tree_size),
    statement: r.statement,
    createdAt: Number(r.created_at),
  }));
}

/** The newest key generation (1 when the first key was never handed over). */
export async function currentLedgerKeyGeneration(db: DbOrTx): Promise<number> {
  const row = await db
    .selectFrom('ledger_key_handovers')
    .select((eb) => eb.fn.max('generation').as('g'))
    .executeTakeFirst();
  return Number(row?.g ?? 1);
}

/** Stores a statement; a second one for the same generation fails (the primary key). */
export async function insertLedgerKeyHandover(db: DbOrTx, row: LedgerKeyHandoverRow): Promise<void> {
  await db
    .insertInto('ledger_key_handovers')
    .values({
      generation: row.generation,
      tree_size: row.treeSize,
      statement: row.statement,
      created_at: row.createdAt,
    })
    .execute();
}
