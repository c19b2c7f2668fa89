import type { DbOrTx } from './database.js';
import type { RecordsTable } from './schema-records.js';

export type RecordRow = RecordsTable;
/** What lists and access checks need: everything but the ciphertext. */
export type RecordMetaRow = Omit<RecordsTable, 'title_ct' | 'body_ct'>;

const META = ['id', 'patient_id', 'type', 'author_id', 'created_at'] as const;

export async function insertRecord(tx: DbOrTx, row: RecordRow): Promise<void> {
  await tx.insertInto('records').values(row).execute();
}

export async function findRecord(db: DbOrTx, id: string): Promise<RecordRow | undefined> {
  const row = await db.selectFrom('records').selectAll().where('id', '=', id).executeTakeFirst();
  return row === undefined ? undefined : { ...row, created_at: Number(row.created_at) };
}

/** Every record (whole rows) after `afterId` in id order, `limit` at a time: for maintenance passes. */
export async function listRecordRowsAfter(db: DbOrTx, afterId: string, limit: number): Promise<RecordRow[]> {
  const rows = await db
    .selectFrom('records')
    .selectAll()
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ ...r, created_at: Number(r.created_at) }));
}

/** How many records there are. */
export async function countRecords(db: DbOrTx): Promise<number> {
  const row = await db
    .selectFrom('records')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Where a patient's list starts and what it holds. */
export interface PatientRecordsQuery {
  readonly types: readonly string[] | 'all';
  readonly before: { readonly createdAt: number; readonly id: string } | undefined;
  /** Include the cursor's own record (a reader that stopped inside it resumes there). */
  readonly inclusive?: boolean;
  readonly limit: number;
}

function patientRecords(db: DbOrTx, patientId: string, options: PatientRecordsQuery) {
  let q = db.selectFrom('records').where('patient_id', '=', patientId);
  if (options.types !== 'all') q = q.where('type', 'in', options.types);
  const before = options.before;
  if (before !== undefined) {
    q = q.where((eb) =>
      eb.or([
        eb('created_at', '<', before.createdAt),
        eb.and([
          eb('created_at', '=', before.createdAt),
          eb('id', options.inclusive === true ? '<=' : '<', before.id),
        ]),
      ]),
    );
  }
  return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(options.limit);
}

/** A patient's records newest first, optionally of some types, before a (created_at, id) cursor. */
export async function listPatientRecords(
  db: DbOrTx,
  patientId: string,
  options: PatientRecordsQuery,
): Promise<Array<Pick<RecordRow, 'id' | 'patient_id' | 'type' | 'author_id' | 'created_at' | 'title_ct'>>> {
  if (options.types !== 'all' && options.types.length === 0) return [];
  const rows = await patientRecords(db, patientId, options)
    .select([...META, 'title_ct'])
    .execute();
  return rows.map((r) => ({ ...r, created_at: Number(r.created_at) }));
}

/** As listPatientRecords, whole rows (bodies included) for readers that open them. */
export async function listPatientRecordRows(
  db: DbOrTx,
  patientId: string,
  options: PatientRecordsQuery,
): Promise<RecordRow[]> {
  if (options.types !== 'all' && options.types.length === 0) return [];
  const rows = await patientRecords(db, patientId, options).selectAll().execute();
  return rows.map((r) => ({ ...r, created_at: Number(r.created_at) }));
}

/** Records written by one author, newest first (the doctor's "recent records"). */
export async function listAuthorRecords(
  db: DbOrTx,
  authorId: string,
  limit: number,
): Promise<RecordMetaRow[]> {
  const rows = await db
    .selectFrom('records')
    .select(META)
    .where('author_id', '=', authorId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ ...r, created_at: Number(r.created_at) }));
}
