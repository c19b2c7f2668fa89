import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from './context.js';

/**
 * Issue 17 (several servers on one PostgreSQL database):
 * - `attachment_chunks`: on PostgreSQL the encrypted attachment stream (MVES) is stored here in
 *   pieces, so every server reads what any server wrote (SQLite keeps its files; the table exists
 *   there too, empty). No foreign key to `attachments`: chunks are written before the row, as the
 *   file was (see attachment-chunks.ts).
 * - `idempotency_keys`: the first answer to a create sent with an `Idempotency-Key`, per caller
 *   (the answer sealed: it holds what the create returned, clinical text or a recovery code).
 */
export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  await db.schema
    .createTable('attachment_chunks')
    .addColumn('attachment_id', 'text', (c) => c.notNull())
    .addColumn('idx', 'integer', (c) => c.notNull())
    .addColumn('data', ctx.binary, (c) => c.notNull())
    .addPrimaryKeyConstraint('attachment_chunks_pk', ['attachment_id', 'idx'])
    .execute();
  if (ctx.dialect === 'postgres') {
    // Ciphertext does not compress: store it out of line without trying.
    await sql`alter table attachment_chunks alter column data set storage external`.execute(db);
  }
  await db.schema
    .createTable('idempotency_keys')
    .addColumn('caller_id', 'text', (c) => c.notNull())
    .addColumn('idem_key', 'text', (c) => c.notNull())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('status', 'integer')
    .addColumn('content_type', 'text')
    .addColumn('body_ct', ctx.binary)
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['caller_id', 'idem_key'])
    .execute();
  await db.schema
    .createIndex('idempotency_keys_created')
    .on('idempotency_keys')
    .column('created_at')
    .execute();
}
