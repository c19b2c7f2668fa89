import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from './context.js';

/** 32 zero bytes in hex: the "previous hash" of the first entry, and the empty log's last hash. */
const ZERO_HASH_HEX = '0'.repeat(64);

/**
 * The audit ledger: entries (the chain and the Merkle leaves), complete subtree hashes for
 * O(log n) proofs, the head row appends lock, and signed checkpoints.
 */
export async function up(db: Kysely<unknown>, { dialect, id }: MigrationContext): Promise<void> {
  // seq is assigned by the ledger under the head lock, never by the database. On SQLite an
  // INTEGER PRIMARY KEY is the rowid itself, so the verifier's scan in seq order is the table order.
  const seqType = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('ledger_entries')
    .addColumn('seq', seqType, (c) => c.primaryKey())
    .addColumn('time', 'bigint', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor_role', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target_type', 'text')
    .addColumn('target_id', 'text')
    .addColumn('patient_id', 'text')
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('leaf_hash', 'text', (c) => c.notNull())
    .addColumn('mac', 'text', (c) => c.notNull())
    .execute();
  // The admin view pages newest first within a filter: each index ends in seq for that order.
  const indexes: ReadonlyArray<readonly [string, string[]]> = [
    ['ledger_entries_actor', ['actor_id', 'seq']],
    ['ledger_entries_action', ['action', 'seq']],
    ['ledger_entries_target', ['target_type', 'target_id', 'seq']],
    ['ledger_entries_patient', ['patient_id', 'seq']],
    ['ledger_entries_time', ['time', 'seq']],
  ];
  for (const [name, columns] of indexes) {
    await db.schema.createIndex(name).on('ledger_entries').columns(columns).execute();
  }

  // Without a rowid, SQLite keeps the nodes in a B-tree ordered by (level, idx): a proof's
  // handful of point lookups and the verifier's per-level range scans read it directly.
  let nodes = db.schema
    .createTable('ledger_nodes')
    .addColumn('level', 'integer', (c) => c.notNull())
    .addColumn('idx', 'bigint', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('ledger_nodes_pk', ['level', 'idx']);
  if (dialect === 'sqlite') nodes = nodes.modifyEnd(sql`without rowid`);
  await nodes.execute();

  await db.schema
    .createTable('ledger_head')
    .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('last_hash', 'text', (c) => c.notNull())
    .execute();
  await sql`insert into ledger_head (id, size, last_hash) values (1, 0, ${ZERO_HASH_HEX})`.execute(db);

  await db.schema
    .createTable('ledger_checkpoints')
    .addColumn('id', id.type, id.build)
    .addColumn('tree_size', 'bigint', (c) => c.notNull())
    .addColumn('root', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('ledger_checkpoints_size')
    .on('ledger_checkpoints')
    .columns(['tree_size', 'id'])
    .execute();
}
