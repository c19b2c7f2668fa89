import type { Kysely } from 'kysely';
import type { MigrationContext } from './context.js';

/** Encrypted records, their attachments and the keyword search index. */
export async function up(db: Kysely<unknown>, { binary }: MigrationContext): Promise<void> {
  await db.schema
    .createTable('records')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('patient_id', 'text', (c) => c.notNull().references('patients.id'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('author_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('title_ct', binary, (c) => c.notNull())
    .addColumn('body_ct', binary, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('records_patient_created')
    .on('records')
    .columns(['patient_id', 'created_at', 'id'])
    .execute();
  await db.schema
    .createIndex('records_author_created')
    .on('records')
    .columns(['author_id', 'created_at', 'id'])
    .execute();
  await db.schema
    .createTable('attachments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('record_id', 'text', (c) => c.notNull().references('records.id'))
    .addColumn('patient_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('meta_ct', binary, (c) => c.notNull())
    .addColumn('stored_bytes', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('attachments_record').on('attachments').column('record_id').execute();
  await db.schema
    .createTable('search_index')
    .addColumn('token', binary, (c) => c.notNull())
    .addColumn('patient_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('record_id', 'text', (c) => c.notNull().references('records.id'))
    .addPrimaryKeyConstraint('search_index_pk', ['token', 'patient_id', 'created_at', 'record_id'])
    .execute();
  await db.schema.createIndex('search_index_record').on('search_index').column('record_id').execute();
}
