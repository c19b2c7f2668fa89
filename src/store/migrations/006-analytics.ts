import type { Kysely } from 'kysely';
import type { MigrationContext } from './context.js';

/**
 * Privacy-preserving statistics: the sealed Paillier key, encrypted vitals, privacy budgets.
 * Self-contained (no foreign keys to the records or identity tables), so it applies whatever
 * other migrations exist.
 */
export async function up(db: Kysely<unknown>, { binary }: MigrationContext): Promise<void> {
  await db.schema
    .createTable('analytics_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('bits', 'integer', (c) => c.notNull())
    .addColumn('sealed', binary, (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  // One packed Paillier ciphertext per vitals record (src/app/analytics/vital-packing.ts)…
  await db.schema
    .createTable('analytics_vital_records')
    .addColumn('record_id', 'text', (c) => c.primaryKey())
    .addColumn('patient_id', 'text', (c) => c.notNull())
    .addColumn('measured_at', 'bigint', (c) => c.notNull())
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('metrics', 'text', (c) => c.notNull())
    .addColumn('ciphertext', binary, (c) => c.notNull())
    .addColumn('age_tag', binary, (c) => c.notNull())
    .addColumn('mac', binary, (c) => c.notNull())
    .execute();
  // …and a row per metric it holds: what "each patient's latest measurement of X" walks.
  await db.schema
    .createTable('analytics_vitals')
    .addColumn('record_id', 'text', (c) => c.notNull())
    .addColumn('metric', 'text', (c) => c.notNull())
    .addColumn('patient_id', 'text', (c) => c.notNull())
    .addColumn('measured_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('analytics_vitals_pk', ['record_id', 'metric'])
    .execute();
  // The latest measurement per patient and metric: an index walk, not a sort.
  await db.schema
    .createIndex('analytics_vitals_latest')
    .on('analytics_vitals')
    .columns(['metric', 'patient_id', 'measured_at', 'record_id'])
    .execute();
  await db.schema
    .createTable('analytics_budget_locks')
    .addColumn('actor_id', 'text', (c) => c.primaryKey())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('analytics_spends')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('epsilon_milli', 'integer', (c) => c.notNull())
    .addColumn('spent_at', 'bigint', (c) => c.notNull())
    .addColumn('ledger_seq', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('analytics_spends_actor_time')
    .on('analytics_spends')
    .columns(['actor_id', 'spent_at'])
    .execute();
}
