import type { Kysely } from 'kysely';
import type { MigrationContext } from './context.js';

/**
 * Issue 14: the two-person rule and staff enrolment.
 *
 * - `approval_requests`: one row per request that waits for a second person (kind, subject,
 *   requester, payload, expiry) and its one decision.
 * - `staff_invites`: one-time invite codes, stored only as a keyed verifier (HMAC under the
 *   keyring's pepper), which is also how a typed code finds its row.
 * - `analytics_budget_raises`: epsilon added to the hospital's budget for one window by an
 *   approved request.
 *
 * Staff accounts made before this migration keep their password and keys; new ones start with
 * neither (`users.password_hash` null) and the status 'pending' until approved.
 */
export async function up(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  await db.schema
    .createTable('approval_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('requester_id', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('approval_requests_status')
    .on('approval_requests')
    .columns(['status', 'created_at'])
    .execute();
  await db.schema
    .createIndex('approval_requests_subject')
    .on('approval_requests')
    .columns(['kind', 'subject_id', 'status'])
    .execute();
  await db.schema
    .createTable('staff_invites')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('verifier', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .addColumn('revoked_at', 'bigint')
    .execute();
  await db.schema.createIndex('staff_invites_user').on('staff_invites').column('user_id').execute();
  await db.schema
    .createTable('analytics_budget_raises')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('window_start', 'bigint', (c) => c.notNull())
    .addColumn('epsilon_milli', 'integer', (c) => c.notNull())
    .addColumn('approval_id', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('analytics_budget_raises_window')
    .on('analytics_budget_raises')
    .column('window_start')
    .execute();
}
