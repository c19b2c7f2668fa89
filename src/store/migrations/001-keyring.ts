import type { Kysely } from 'kysely';
import type { MigrationContext } from './context.js';

/** The keyring (sealed under the master key) and the wrapped data keys. */
export async function up(db: Kysely<unknown>, { binary, id }: MigrationContext): Promise<void> {
  await db.schema
    .createTable('keyring_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('sealed', binary, (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('data_keys')
    .addColumn('id', id.type, id.build)
    .addColumn('owner_table', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text', (c) => c.notNull())
    .addColumn('patient_id', 'text')
    .addColumn('field', 'text', (c) => c.notNull())
    .addColumn('kek_version', 'integer', (c) => c.notNull())
    .addColumn('wrapped', binary, (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('data_keys_owner', ['owner_table', 'owner_id', 'field'])
    .execute();
  await db.schema
    .createIndex('data_keys_kek_version')
    .on('data_keys')
    .columns(['kek_version', 'id'])
    .execute();
}
