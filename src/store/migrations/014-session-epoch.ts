import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from './context.js';

/**
 * The session revocation epoch: one row, one counter, raised in the same transaction as every
 * logout, session revocation and account status change. Servers cache session lookups and read
 * only this row per request: an unchanged epoch means no session anywhere has ended since the
 * cached check, so a revocation on one server is seen by every other on its next request
 * (src/app/identity/session-cache.ts).
 */
export async function up(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  await db.schema
    .createTable('session_epoch')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('epoch', 'bigint', (c) => c.notNull())
    .execute();
  await sql`insert into session_epoch (id, epoch) values (1, 0)`.execute(db);
}
