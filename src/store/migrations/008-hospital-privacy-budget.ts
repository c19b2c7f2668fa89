import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from './context.js';

/**
 * Issue 15, finding 2: the privacy budget belongs to the hospital, not to each admin account (an
 * admin could mint a new admin and get a fresh budget). Every spend made so far moves, with its
 * analyst, time and ledger entry, into the hospital's ledger of spend, so spends already made
 * this window count against the hospital's total. The per-admin lock rows go; one hospital lock
 * row replaces them. A server of an older version can no longer spend (its tables are gone): it
 * fails closed rather than keeping per-admin budgets alive during a rolling upgrade.
 */
export async function up(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  await db.schema
    .createTable('analytics_privacy_spends')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('analyst_id', 'text', (c) => c.notNull())
    .addColumn('epsilon_milli', 'integer', (c) => c.notNull())
    .addColumn('spent_at', 'bigint', (c) => c.notNull())
    .addColumn('ledger_seq', 'bigint', (c) => c.notNull())
    .execute();
  await sql`insert into analytics_privacy_spends (id, analyst_id, epsilon_milli, spent_at, ledger_seq)
    select id, actor_id, epsilon_milli, spent_at, ledger_seq from analytics_spends`.execute(db);
  // The hospital's window sum, and one analyst's.
  await db.schema
    .createIndex('analytics_privacy_spends_time')
    .on('analytics_privacy_spends')
    .column('spent_at')
    .execute();
  await db.schema
    .createIndex('analytics_privacy_spends_analyst_time')
    .on('analytics_privacy_spends')
    .columns(['analyst_id', 'spent_at'])
    .execute();
  await db.schema
    .createTable('analytics_privacy_lock')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await sql`insert into analytics_privacy_lock (name, created_at) values ('hospital', 0)`.execute(db);
  await db.schema.dropTable('analytics_spends').execute();
  await db.schema.dropTable('analytics_budget_locks').execute();
}
