import type { Kysely } from 'kysely';
import type { MigrationContext } from './context.js';

/**
 * Issue 14: patient re-enrolment and the MFA policy under the two-person rule.
 *
 * - `second_factor_policy`: the hospital's second-factor policy for a role as changed at run time
 *   by an approved `mfa.policy` request; a role without a row follows
 *   `MEDVAULT_SECOND_FACTOR_POLICY` (the configured default).
 * - `account_notices`: what a person is told at their next sign-in (their account was re-enrolled,
 *   when and at whose request) until they dismiss it.
 */
export async function up(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  await db.schema
    .createTable('second_factor_policy')
    .addColumn('role', 'text', (c) => c.primaryKey())
    .addColumn('policy', 'text', (c) => c.notNull())
    .addColumn('approval_id', 'text', (c) => c.notNull())
    .addColumn('changed_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('account_notices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('occurred_at', 'bigint', (c) => c.notNull())
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('approved_by', 'text', (c) => c.notNull())
    .addColumn('dismissed_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('account_notices_user')
    .on('account_notices')
    .columns(['user_id', 'dismissed_at'])
    .execute();
}
