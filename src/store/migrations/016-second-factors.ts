import type { Kysely } from 'kysely';
import type { MigrationContext } from './context.js';

/**
 * Issue 14, second factors for every role:
 * - `second_factors`: a user's TOTP secrets (envelope ciphertext, with the last time step
 *   accepted, so a code is good once) and passkeys (WebAuthn credential id, COSE public key and
 *   signature counter). A TOTP factor is usable once `confirmed_at` is set by a first good code.
 * - `second_factor_pending`: the short-lived token a login answers after the first factor(s),
 *   stored as its SHA-256; `stage` says whether it proves a factor or may only enrol one.
 * - `webauthn_challenges`: single-use, expiring WebAuthn challenges per user and purpose.
 */
export async function up(db: Kysely<unknown>, { binary }: MigrationContext): Promise<void> {
  await db.schema
    .createTable('second_factors')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('secret_ct', binary)
    .addColumn('last_step', 'bigint')
    .addColumn('credential_id', 'text', (c) => c.unique())
    .addColumn('public_key', binary)
    .addColumn('sign_count', 'bigint')
    .addColumn('transports', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('confirmed_at', 'bigint')
    .addColumn('last_used_at', 'bigint')
    .execute();
  await db.schema.createIndex('second_factors_user').on('second_factors').column('user_id').execute();
  await db.schema
    .createTable('second_factor_pending')
    .addColumn('token_hash', binary, (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('lockout_key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('second_factor_pending_expiry')
    .on('second_factor_pending')
    .column('expires_at')
    .execute();
  await db.schema
    .createTable('webauthn_challenges')
    .addColumn('challenge', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('webauthn_challenges_expiry')
    .on('webauthn_challenges')
    .column('expires_at')
    .execute();
}
