import type { DbOrTx } from './database.js';

/** A stored signed checkpoint of the audit ledger. */
export interface LedgerCheckpointRow {
  readonly id: number;
  readonly treeSize: number;
  /** Root hash at treeSize, hex. */
  readonly root: string;
  /** The signed note, verbatim. */
  readonly note: string;
  readonly createdAt: number;
}

export async function insertLedgerCheckpoint(
  db: DbOrTx,
  checkpoint: Omit<LedgerCheckpointRow, 'id'>,
): Promise<void> {
  await db
    .insertInto('ledger_checkpoints')
    .values({
      tree_size: checkpoint.treeSize,
      root: checkpoint.root,
      note: checkpoint.note,
      created_at: checkpoint.createdAt,
    })
    .execute();
}

/** The checkpoint of the largest tree (the newest of those), if any. */
export async function latestLedgerCheckpoint(db: DbOrTx): Promise<LedgerCheckpointRow | undefined> {
  const row = await db
    .selectFrom('ledger_checkpoints')
    .selectAll()
    .orderBy('tree_size', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row === undefined ? undefined : toRow(row);
}

/**
 * Up to `limit` checkpoints after the cursor (tree size, then id, ascending): the verifier walks
 * them beside the entries in O(limit) memory.
 */
export async function ledgerCheckpointsAfter(
  db: DbOrTx,
  after: { readonly treeSize: number; readonly id: number } | null,
  limit: number,
): Promise<LedgerCheckpointRow[]> {
  let q = db.selectFrom('ledger_checkpoints').selectAll();
  if (after !== null) {
    q = q.where((eb) =>
      eb.or([
        eb('tree_size', '>', after.treeSize),
        eb.and([eb('tree_size', '=', after.treeSize), eb('id', '>', after.id)]),
      ]),
    );
  }
  const rows = await q.orderBy('tree_size').orderBy('id').limit(limit).execute();
  return rows.map(toRow);
}

function toRow(r: {
  id: number;
  tree_size: number;
  root: string;
  note: string;
  created_at: number;
}): LedgerCheckpointRow {
  return {
    id: Number(r.id),
    treeSize: Number(r.tree_size),
    root: r.root,
    note: r.note,
    createdAt: Number(r.created_at),
  };
}
