import type { DbOrTx } from '../../store/database.js';
import { listPrescriptionMeta } from '../../store/prescription-repository.js';
import type { RecordRow } from '../../store/record-repository.js';

/** A list row: a stored record, or a signed prescription (no title ciphertext: it is listed by type). */
export type ListRow = Pick<RecordRow, 'id' | 'patient_id' | 'type' | 'author_id' | 'created_at'> & {
  readonly title_ct: Buffer | null;
};

/** The patient's prescriptions strictly before the cursor, as list rows (newest first). */
export async function prescriptionsBefore(
  db: DbOrTx,
  patientId: string,
  before: { readonly createdAt: number; readonly id: string } | undefined,
): Promise<ListRow[]> {
  return (await listPrescriptionMeta(db, patientId))
    .filter(
      (p) =>
        before === undefined ||
        p.createdAt < before.createdAt ||
        (p.createdAt === before.createdAt && p.id < before.id),
    )
    .map((p) => ({
      id: p.id,
      patient_id: patientId,
      type: 'prescription',
      author_id: p.prescriberId,
      created_at: p.createdAt,
      title_ct: null,
    }));
}

/** Two newest-first lists merged by (created_at, id) descending. */
export function mergeNewestFirst(a: readonly ListRow[], b: readonly ListRow[]): ListRow[] {
  const newer = (x: ListRow, y: ListRow): boolean =>
    x.created_at > y.created_at || (x.created_at === y.created_at && x.id > y.id);
  const out: ListRow[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = a[i];
    const y = b[j];
    if (y === undefined || (x !== undefined && newer(x, y))) {
      out.push(x as ListRow);
      i++;
    } else {
      out.push(y);
      j++;
    }
  }
  return out;
}
