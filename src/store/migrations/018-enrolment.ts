import type { Kysely } from 'kysely';
import type { MigrationContext } from './context.js';

/**
 * Patient enrolment (issue 14): a registrar registers identity only and hands the patient a
 * one-time enrolment code; the patient chooses PIN and password. One row per patient, holding
 * only the code's keyed verifier (HMAC under the keyring's pepper, bound to the patient id), its
 * expiry and, once spent, when. Until a patient enrols, their `patients` row holds no verifiers
 * (the empty string: `NO_VERIFIER` in patient-repository.ts), so no password hashing is spent
 * on them and nothing can log in as them.
 */
export async function up(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  await db.schema
    .createTable('patient_enrolments')
    .addColumn('patient_id', 'text', (c) => c.primaryKey().references('patients.id'))
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .addColumn('issued_by', 'text', (c) => c.notNull())
    .addColumn('issued_at', 'bigint', (c) => c.notNull())
    .execute();
}
