import { randomInt } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { mrnOf } from '../../contract/vocabulary/mrn.js';
import type { MigrationContext } from './context.js';

/**
 * Issue 20, point 1: finding a patient.
 *
 * - `patients.mrn`: the medical record number (src/contract/vocabulary/mrn.ts), in clear (it is
 *   an identifier printed on paper, not a secret: docs/patient-search.md), unique. Every patient
 *   registered before this migration gets one here, drawn at random like a new registration's.
 *   On PostgreSQL the column is then NOT NULL; SQLite cannot add that to an existing column, and
 *   every insert sets it (patient-repository.ts).
 * - `patient_search_tokens`: blind indexes of each patient's normalised name words, name
 *   prefixes and date of birth (HMAC under keys the database never holds). They need the keyring
 *   to compute, which a migration does not have: the patients registered before this migration
 *   are indexed at start-up, once the keyring is open (PatientFinder.indexMissing).
 */
export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  await db.schema.alterTable('patients').addColumn('mrn', 'text').execute();
  const rows = await sql<{ id: string }>`select id from patients`.execute(db);
  const taken = new Set<string>();
  for (const { id } of rows.rows) {
    let mrn: string;
    do mrn = mrnOf(String(randomInt(1_000_000, 10_000_000)));
    while (taken.has(mrn));
    taken.add(mrn);
    await sql`update patients set mrn = ${mrn} where id = ${id}`.execute(db);
  }
  await db.schema.createIndex('patients_mrn').on('patients').column('mrn').unique().execute();
  if (ctx.dialect === 'postgres')
    await db.schema
      .alterTable('patients')
      .alterColumn('mrn', (c) => c.setNotNull())
      .execute();

  await db.schema
    .createTable('patient_search_tokens')
    .addColumn('token', ctx.binary, (c) => c.notNull())
    .addColumn('patient_id', 'text', (c) => c.notNull().references('patients.id'))
    .addPrimaryKeyConstraint('patient_search_tokens_pk', ['token', 'patient_id'])
    .execute();
  await db.schema
    .createIndex('patient_search_tokens_patient')
    .on('patient_search_tokens')
    .column('patient_id')
    .execute();
}
