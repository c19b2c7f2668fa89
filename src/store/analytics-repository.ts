import type { DbOrTx } from './database.js';

/**
 * The statistics tables: the sealed Paillier key and encrypted vitals (privacy-budget spends:
 * privacy-spend-repository.ts).
 * Values arrive here already encrypted and tagged; this module never sees a vital in clear.
 */

export interface AnalyticsKeyRow {
  readonly id: string;
  readonly bits: number;
  readonly sealed: Buffer;
  readonly createdAt: number;
}

/** Inserts a key unless one with its id exists (two processes creating it at once agree). */
export async function insertAnalyticsKeyIfAbsent(db: DbOrTx, row: AnalyticsKeyRow): Promise<void> {
  await db
    .insertInto('analytics_keys')
    .values({ id: row.id, bits: row.bits, sealed: row.sealed, created_at: row.createdAt })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

export async function findAnalyticsKey(db: DbOrTx, id: string): Promise<AnalyticsKeyRow | undefined> {
  const row = await db
    .selectFrom('analytics_keys')
    .select(['id', 'bits', 'sealed', 'created_at'])
    .where('id', '=', id)
    .executeTakeFirst();
  return row && { id: row.id, bits: row.bits, sealed: row.sealed, createdAt: Number(row.created_at) };
}

/** The encrypted numbers of one vitals record as stored. */
export interface VitalRecordRow {
  readonly recordId: string;
  readonly patientId: string;
  readonly measuredAt: number;
  readonly keyId: string;
  /** The metrics present, comma-separated in VITAL_KEYS order. */
  readonly metrics: string;
  readonly ciphertext: Buffer;
  readonly ageTag: Buffer;
  readonly mac: Buffer;
}

/** Each record's ciphertext row and one index row per metric it holds, in the caller's transaction. */
export async function insertVitalRecords(db: DbOrTx, rows: readonly VitalRecordRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('analytics_vital_records')
    .values(
      rows.map((row) => ({
        record_id: row.recordId,
        patient_id: row.patientId,
        measured_at: row.measuredAt,
        key_id: row.keyId,
        metrics: row.metrics,
        ciphertext: row.ciphertext,
        age_tag: row.ageTag,
        mac: row.mac,
      })),
    )
    .execute();
  await db
    .insertInto('analytics_vitals')
    .values(
      rows.flatMap((row) =>
        row.metrics.split(',').map((metric) => ({
          record_id: row.recordId,
          metric,
          patient_id: row.patientId,
          measured_at: row.measuredAt,
        })),
      ),
    )
    .execute();
}

export interface LatestVitalsFilter {
  readonly metric: string;
  readonly keyId: string;
  /** Only patients whose recorded smoking status is this. */
  readonly smokingStatus?: string | undefined;
}

/** An index row chosen as a patient's latest for the metric, with the record it points to. */
export interface LatestVitalRow {
  readonly metric: string;
  /** The index row's own patient and time: the caller checks they equal the record's. */
  readonly patientId: string;
  readonly measuredAt: number;
  readonly record: VitalRecordRow;
}

/**
 * Each patient's latest measurement of a metric (latest measured_at, ties broken by record id),
 * with its record's ciphertext under `keyId`, optionally only for patients of one smoking status.
 */
export async function latestVitalCiphertexts(db: DbOrTx, f: LatestVitalsFilter): Promise<LatestVitalRow[]> {
  let query = db
    .selectFrom('analytics_vitals as v')
    .innerJoin('analytics_vital_records as r', 'r.record_id', 'v.record_id')
    // key_id is the filter's: not read back for each of up to 100,000 rows.
    .select([
      'v.record_id',
      'v.patient_id',
      'v.measured_at',
      'r.patient_id as r_patient_id',
      'r.measured_at as r_measured_at',
      'r.metrics',
      'r.ciphertext',
      'r.age_tag',
      'r.mac',
    ])
    .where('v.metric', '=', f.metric)
    .where('r.key_id', '=', f.keyId)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('analytics_vitals as w')
            .select('w.record_id')
            .whereRef('w.metric', '=', 'v.metric')
            .whereRef('w.patient_id', '=', 'v.patient_id')
            .where((eb) =>
              eb.or([
                eb('w.measured_at', '>', eb.ref('v.measured_at')),
                eb.and([
                  eb('w.measured_at', '=', eb.ref('v.measured_at')),
                  eb('w.record_id', '>', eb.ref('v.record_id')),
                ]),
              ]),
            ),
        ),
      ),
    );
  if (f.smokingStatus !== undefined)
    query = query
      .innerJoin('patients as p', 'p.id', 'v.patient_id')
      .where('p.smoking_status', '=', f.smokingStatus);
  const rows = await query.execute();
  return rows.map((r) => ({
    metric: f.metric,
    patientId: r.patient_id,
    measuredAt: Number(r.measured_at),
    record: {
      recordId: r.record_id,
      patientId: r.r_patient_id,
      measuredAt: Number(r.r_measured_at),
      keyId: f.keyId,
      metrics: r.metrics,
      ciphertext: r.ciphertext,
      ageTag: r.age_tag,
      mac: r.mac,
    },
  }));
}
