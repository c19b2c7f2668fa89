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

/** A patient's records newest first, optionally of some types, before a (created_at, id) cursor. */
export async function listPatientRecords(
  db: DbOrTx,
  patientId: string,
  options: {
    readonly types: readonly string[] | 'all';
    readonly before: { readonly createdAt: number; readonly id: string } | undefined;
    readonly limit: number;
  },
): Promise<Array<Pick<RecordRow, 'id' | 'patient_id' | 'type' | 'author_id' | 'created_at' | 'title_ct'>>> {
  if (options.types !== 'all' && options.types.length === 0) return [];
  let q = db
    .selectFrom('records')
    .select([...META, 'title_ct'])
    .where('patient_id', '=', patientId);
  if (options.types !== 'all') q = q.where('type', 'in', options.types);
  const before = options.before;
  if (before !== undefined) {
    q = q.where((eb) =>
      eb.or([
        eb('created_at', '<', before.createdAt),
        eb.and([eb('created_at', '=', before.createdAt), eb('id', '<', before.id)]),
      ]),
    );
  }
  const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(options.limit).execute();
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
