import type { Kysely } from 'kysely';
import type { MigrationContext } from './context.js';

/**
 * The medicines catalog, prescriptions (payload envelope-encrypted) and their dispenses. The
 * catalog rows are seeded at start-up from src/app/prescriptions/medicine-catalog.ts (idempotent),
 * so a later catalog addition needs no migration.
 */
export async function up(db: Kysely<unknown>, { binary }: MigrationContext): Promise<void> {
  await db.schema
    .createTable('medicines')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('generic_name', 'text', (c) => c.notNull())
    .addColumn('strength', 'text', (c) => c.notNull())
    .addColumn('form', 'text', (c) => c.notNull())
    .addColumn('route', 'text', (c) => c.notNull())
    .addColumn('schedule', 'text')
    .addColumn('search_name', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('medicines_search').on('medicines').column('search_name').execute();

  await db.schema
    .createTable('prescriptions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('patient_id', 'text', (c) => c.notNull().references('patients.id'))
    .addColumn('prescriber_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('algorithm', 'text', (c) => c.notNull())
    .addColumn('payload_ct', binary, (c) => c.notNull())
    .addColumn('payload_sha256', 'text', (c) => c.notNull().unique())
    .addColumn('signature', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('fills_remaining', 'integer', (c) => c.notNull())
    .addColumn('issued_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('prescriptions_patient').on('prescriptions').column('patient_id').execute();
  await db.schema
    .createIndex('prescriptions_queue')
    .on('prescriptions')
    .columns(['status', 'expires_at'])
    .execute();

  await db.schema
    .createTable('prescription_dispenses')
    .addColumn('prescription_id', 'text', (c) => c.notNull().references('prescriptions.id'))
    .addColumn('fill_number', 'integer', (c) => c.notNull())
    .addColumn('pharmacist_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('dispensed_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('prescription_dispenses_pk', ['prescription_id', 'fill_number'])
    .execute();
}
