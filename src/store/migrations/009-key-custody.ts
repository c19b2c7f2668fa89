import type { Kysely } from 'kysely';
import type { MigrationContext } from './context.js';

/**
 * How the master key is held when it is not a file or an environment variable: one row per
 * database (id 'master'). For a key split between officers (Shamir) it holds the threshold, the
 * share set's id, a commitment to the key and one to each share — never the key or a share.
 */
export async function up(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  await db.schema
    .createTable('key_custody')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('scheme', 'text', (c) => c.notNull())
    .addColumn('threshold', 'integer', (c) => c.notNull())
    .addColumn('shares', 'integer', (c) => c.notNull())
    .addColumn('set_id', 'text', (c) => c.notNull())
    .addColumn('key_commitment', 'text', (c) => c.notNull())
    .addColumn('share_commitments', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
}
