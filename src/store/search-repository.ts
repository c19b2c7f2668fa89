import type { DbOrTx } from './database.js';

export async function insertSearchTokens(
  tx: DbOrTx,
  recordId: string,
  tokens: readonly Buffer[],
): Promise<void> {
  if (tokens.length === 0) return;
  await tx
    .insertInto('search_index')
    .values(tokens.map((token) => ({ token, record_id: recordId })))
    .execute();
}

export interface SearchHitRow {
  readonly id: string;
  readonly patient_id: string;
  readonly type: string;
  readonly author_id: string;
  readonly created_at: number;
  readonly title_ct: Buffer;
}

/**
 * Records carrying any of `tokens` whose patient is in `patientIds`, newest first, strictly
 * before the (createdAt, id) cursor. The patient filter only narrows the scan; the caller's
 * policy still decides each hit.
 */
export async function searchRecords(
  db: DbOrTx,
  tokens: readonly Buffer[],
  patientIds: readonly string[],
  before: { readonly createdAt: number; readonly id: string } | undefined,
  limit: number,
): Promise<SearchHitRow[]> {
  if (tokens.length === 0 || patientIds.length === 0) return [];
  let q = db
    .selectFrom('records')
    .select(['id', 'patient_id', 'type', 'author_id', 'created_at', 'title_ct'])
    .where('patient_id', 'in', patientIds)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('search_index')
          .select('search_index.record_id')
          .whereRef('search_index.record_id', '=', 'records.id')
          .where('search_index.token', 'in', tokens),
      ),
    );
  if (before !== undefined) {
    q = q.where((eb) =>
      eb.or([
        eb('created_at', '<', before.createdAt),
        eb.and([eb('created_at', '=', before.createdAt), eb('id', '<', before.id)]),
      ]),
    );
  }
  const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  return rows.map((r) => ({ ...r, created_at: Number(r.created_at) }));
}

/** Patients with a record of `type` carrying any of `tokens` (a statistics cohort). */
export async function patientsWithTokens(
  db: DbOrTx,
  tokens: readonly Buffer[],
  type: string,
): Promise<string[]> {
  if (tokens.length === 0) return [];
  const rows = await db
    .selectFrom('search_index')
    .innerJoin('records', 'records.id', 'search_index.record_id')
    .select('records.patient_id')
    .distinct()
    .where('search_index.token', 'in', tokens)
    .where('records.type', '=', type)
    .execute();
  return rows.map((r) => r.patient_id);
}
