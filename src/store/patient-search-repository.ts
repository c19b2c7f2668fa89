import type { DbOrTx } from './database.js';

/**
 * The patient finder's data: the MRN column and the blind-index tokens of names and dates of
 * birth (migration 021). Tokens arrive here already computed; this module never sees a name.
 */

/** Writes a patient's tokens (a token already there for them is kept: start-up catch-up may race). */
export async function insertPatientTokens(
  db: DbOrTx,
  patientId: string,
  tokens: readonly Buffer[],
): Promise<void> {
  if (tokens.length === 0) return;
  await db
    .insertInto('patient_search_tokens')
    .values(tokens.map((token) => ({ token, patient_id: patientId })))
    .onConflict((oc) => oc.columns(['token', 'patient_id']).doNothing())
    .execute();
}

/** The patient with this MRN, if any. */
export async function findPatientIdByMrn(db: DbOrTx, mrn: string): Promise<string | undefined> {
  const row = await db.selectFrom('patients').select('id').where('mrn', '=', mrn).executeTakeFirst();
  return row?.id;
}

/**
 * Patients carrying EVERY one of `tokens` (each token a separate condition: all words of a name,
 * and the date of birth), at most `limit`, by id. With `within`, only those patients.
 */
export async function patientsWithAllTokens(
  db: DbOrTx,
  tokens: readonly Buffer[],
  limit: number,
  within?: readonly string[],
): Promise<string[]> {
  const distinct = [...new Map(tokens.map((t) => [t.toString('hex'), t])).values()];
  if (distinct.length === 0 || (within !== undefined && within.length === 0)) return [];
  let q = db.selectFrom('patient_search_tokens').select('patient_id').where('token', 'in', distinct);
  if (within !== undefined) q = q.where('patient_id', 'in', [...within]);
  const rows = await q
    .groupBy('patient_id')
    .having((eb) => eb.fn.count('token'), '=', distinct.length)
    .orderBy('patient_id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.patient_id);
}

/**
 * Up to `limit` patients with no token at all (registered before migration 021), by id, after
 * the id `after` (a row that cannot be indexed is passed over, not read again).
 */
export async function unindexedPatients(
  db: DbOrTx,
  limit: number,
  after = '',
): Promise<Array<{ id: string; nameCt: Buffer; dobCt: Buffer }>> {
  const rows = await db
    .selectFrom('patients')
    .select(['id', 'name_ct', 'dob_ct'])
    .where('id', '>', after)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('patient_search_tokens')
            .select('patient_search_tokens.patient_id')
            .whereRef('patient_search_tokens.patient_id', '=', 'patients.id'),
        ),
      ),
    )
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, nameCt: r.name_ct, dobCt: r.dob_ct }));
}
