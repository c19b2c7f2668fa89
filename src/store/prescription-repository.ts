import type { DbOrTx } from './database.js';

/** A stored prescription: clear columns plus the payload ciphertext. */
export interface PrescriptionRow {
  readonly id: string;
  readonly patientId: string;
  readonly prescriberId: string;
  readonly keyId: string;
  readonly algorithm: string;
  readonly payloadCt: Buffer;
  readonly payloadSha256: string;
  readonly signature: string;
  readonly status: string;
  readonly fillsRemaining: number;
  readonly issuedAt: number;
  readonly expiresAt: number;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface DispenseRow {
  readonly prescriptionId: string;
  readonly fillNumber: number;
  readonly pharmacistId: string;
  readonly dispensedAt: number;
}

const COLUMNS = [
  'id',
  'patient_id',
  'prescriber_id',
  'key_id',
  'algorithm',
  'payload_ct',
  'payload_sha256',
  'signature',
  'status',
  'fills_remaining',
  'issued_at',
  'expires_at',
  'created_at',
  'updated_at',
] as const;

type Raw = {
  id: string;
  patient_id: string;
  prescriber_id: string;
  key_id: string;
  algorithm: string;
  payload_ct: Buffer;
  payload_sha256: string;
  signature: string;
  status: string;
  fills_remaining: number;
  issued_at: number;
  expires_at: number;
  created_at: number;
  updated_at: number;
};

const toRow = (r: Raw): PrescriptionRow => ({
  id: r.id,
  patientId: r.patient_id,
  prescriberId: r.prescriber_id,
  keyId: r.key_id,
  algorithm: r.algorithm,
  payloadCt: r.payload_ct,
  payloadSha256: r.payload_sha256,
  signature: r.signature,
  status: r.status,
  fillsRemaining: Number(r.fills_remaining),
  issuedAt: Number(r.issued_at),
  expiresAt: Number(r.expires_at),
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

export async function insertPrescription(db: DbOrTx, p: Omit<PrescriptionRow, 'updatedAt'>): Promise<void> {
  await db
    .insertInto('prescriptions')
    .values({
      id: p.id,
      patient_id: p.patientId,
      prescriber_id: p.prescriberId,
      key_id: p.keyId,
      algorithm: p.algorithm,
      payload_ct: p.payloadCt,
      payload_sha256: p.payloadSha256,
      signature: p.signature,
      status: p.status,
      fills_remaining: p.fillsRemaining,
      issued_at: p.issuedAt,
      expires_at: p.expiresAt,
      created_at: p.createdAt,
      updated_at: p.createdAt,
    })
    .execute();
}

export async function findPrescription(db: DbOrTx, id: string): Promise<PrescriptionRow | undefined> {
  const row = await db.selectFrom('prescriptions').select(COLUMNS).where('id', '=', id).executeTakeFirst();
  return row === undefined ? undefined : toRow(row);
}

/** Whether a payload with these exact signed bytes (by hash) is already stored. */
export async function payloadHashExists(db: DbOrTx, sha256: string): Promise<boolean> {
  const row = await db
    .selectFrom('prescriptions')
    .select('id')
    .where('payload_sha256', '=', sha256)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * The dispensing queue: prescriptions with fills left that have not expired at `now`, oldest
 * issue first, keyset-paged by (issued_at, id).
 */
export async function listPendingPrescriptions(
  db: DbOrTx,
  now: number,
  limit: number,
  after?: { issuedAt: number; id: string },
): Promise<PrescriptionRow[]> {
  let q = db
    .selectFrom('prescriptions')
    .select(COLUMNS)
    .where('status', '=', 'active')
    .where('fills_remaining', '>', 0)
    .where('expires_at', '>', now);
  if (after !== undefined)
    q = q.where((eb) =>
      eb.or([
        eb('issued_at', '>', after.issuedAt),
        eb.and([eb('issued_at', '=', after.issuedAt), eb('id', '>', after.id)]),
      ]),
    );
  const rows = await q.orderBy('issued_at').orderBy('id').limit(limit).execute();
  return rows.map(toRow);
}

/** A patient's prescriptions, newest first. */
export async function listPatientPrescriptions(db: DbOrTx, patientId: string): Promise<PrescriptionRow[]> {
  const rows = await db
    .selectFrom('prescriptions')
    .select(COLUMNS)
    .where('patient_id', '=', patientId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map(toRow);
}

/**
 * Id, prescriber and time of each of a patient's prescriptions, newest first, without touching
 * any ciphertext: the records list merges these into a patient's record list (and applies its
 * own access rule for record type 'prescription').
 */
export async function listPrescriptionMeta(
  db: DbOrTx,
  patientId: string,
): Promise<Array<{ id: string; prescriberId: string; createdAt: number }>> {
  const rows = await db
    .selectFrom('prescriptions')
    .select(['id', 'prescriber_id', 'created_at'])
    .where('patient_id', '=', patientId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map((r) => ({ id: r.id, prescriberId: r.prescriber_id, createdAt: Number(r.created_at) }));
}

/**
 * Takes one fill, compare-and-set: succeeds only if the row still has exactly
 * `expectedFills` left and is active. Of any number of concurrent callers that read the same
 * value, one changes the row; on PostgreSQL the others wait for its row lock and then find the
 * WHERE no longer true (READ COMMITTED re-checks the updated row); on SQLite writers are
 * serialised by the IMMEDIATE transaction. Returns whether this caller won.
 */
export async function takeFill(db: DbOrTx, id: string, expectedFills: number, now: number): Promise<boolean> {
  const left = expectedFills - 1;
  const result = await db
    .updateTable('prescriptions')
    .set({ fills_remaining: left, status: left === 0 ? 'dispensed' : 'active', updated_at: now })
    .where('id', '=', id)
    .where('status', '=', 'active')
    .where('fills_remaining', '=', expectedFills)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function insertDispense(db: DbOrTx, d: DispenseRow): Promise<void> {
  await db
    .insertInto('prescription_dispenses')
    .values({
      prescription_id: d.prescriptionId,
      fill_number: d.fillNumber,
      pharmacist_id: d.pharmacistId,
      dispensed_at: d.dispensedAt,
    })
    .execute();
}

/** The dispenses of the given prescriptions, oldest first. */
export async function listDispenses(db: DbOrTx, prescriptionIds: readonly string[]): Promise<DispenseRow[]> {
  if (prescriptionIds.length === 0) return [];
  const rows = await db
    .selectFrom('prescription_dispenses')
    .select(['prescription_id', 'fill_number', 'pharmacist_id', 'dispensed_at'])
    .where('prescription_id', 'in', [...prescriptionIds])
    .orderBy('dispensed_at')
    .orderBy('fill_number')
    .execute();
  return rows.map((r) => ({
    prescriptionId: r.prescription_id,
    fillNumber: Number(r.fill_number),
    pharmacistId: r.pharmacist_id,
    dispensedAt: Number(r.dispensed_at),
  }));
}

/** When the newest fill of a prescription was handed out, or undefined before the first fill. */
export async function lastDispensedAt(db: DbOrTx, prescriptionId: string): Promise<number | undefined> {
  const row = await db
    .selectFrom('prescription_dispenses')
    .select('dispensed_at')
    .where('prescription_id', '=', prescriptionId)
    .orderBy('fill_number', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row === undefined ? undefined : Number(row.dispensed_at);
}
