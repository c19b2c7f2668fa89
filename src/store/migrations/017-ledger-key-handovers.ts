import type { Kysely } from 'kysely';
import type { MigrationContext } from './context.js';

/**
 * Handovers of the ledger's checkpoint signing key: one row per key after the first, holding
 * the signed statement (src/crypto/key-handover.ts) by which the previous key vouched for it.
 * The generation is the primary key, so two servers handing over at once cannot both win.
 */
export async function up(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  await db.schema
    .createTable('ledger_key_handovers')
    .addColumn('generation', 'integer', (c) => c.primaryKey())
    .addColumn('tree_size', 'bigint', (c) => c.notNull())
    .addColumn('statement', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
}
