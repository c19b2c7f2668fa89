import type { DbOrTx } from './database.js';

export async function insertSearchTokens(
  tx: DbOrTx,
  record: { readonly id: string; readonly patientId: string; readonly createdAt: number },
  tokens: readonly Buffer[],
): Promise<void> {
  if (tokens.length === 0) return;
  await tx
    .insertInto('search_index')
    .values(
      tokens.map((token) => ({
        token,
        patient_id: record.patientId,
        created_at: record.createdAt,
        record_id: record.id,
      })),
    )
    .execute();
}

/** Removes every token of the given records (before they are indexed again). */
export async function deleteSearchTokens(tx: DbOrTx, recordIds: readonly string[]): Promise<void> {
  if (recordIds.length === 0) return;
  await tx.deleteFrom('search_index').where('record_id', 'in', recordIds).execute();
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
  // The page is chosen from the index alone (its key is token, patient, time, record)…
  let q = db
    .selectFrom('search_index')
    .select(['record_id', 'created_at'])
    .distinct()
    .where('token', 'in', tokens)
    .where('patient_id', 'in', patientIds);
  if (before !== undefined) {
    q = q.where((eb) =>
      eb.or([
        eb('created_at', '<', before.createdAt),
        eb.and([eb('created_at', '=', before.createdAt), eb('record_id', '<', before.id)]),
      ]),
    );
  }
  const page = await q.orderBy('created_at', 'desc').orderBy('record_id', 'desc').limit(limit).execute();
  if (page.length === 0) return [];
  // …then only its records are read.
  const rows = await db
    .selectFrom('records')
    .select(['id', 'patient_id', 'type', 'author_id', 'created_at', 'title_ct'])
    .where(
      'id',
      'in',
      page.map((p) => p.record_id),
    )
    .execute();
  const byId = new Map(rows.map((r) => [r.id, { ...r, created_at: Number(r.created_at) }]));
  return page.flatMap((p) => {
    const row = byId.get(p.record_id);
    return row === undefined ? [] : [row];
  });
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
    .select('search_index.patient_id')
    .distinct()
    .where('search_index.token', 'in', tokens)
    .where('records.type', '=', type)
    .execute();
  return rows.map((r) => r.patient_id);
}
