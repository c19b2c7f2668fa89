import type { DbOrTx } from './database.js';

/**
 * Patients and their account rows. Identifiers arrive here already sealed (envelope ciphertext)
 * and credentials already hashed: this module never sees a clear SSN, name, PIN or password.
 */

/**
 * What a verifier column holds until the patient enrols (migration 018): no verifier at all.
 * Never handed above this module: {@link findPatientCredentials} answers null for it.
 */
export const NO_VERIFIER = '';

/** A new patient, as stored: identity only; the patient chooses PIN and password at enrolment. */
export interface NewPatientRow {
  readonly id: string;
  readonly ssnIndex: Buffer;
  /** The medical record number (in clear: an identifier, not a secret; migration 021). */
  readonly mrn: string;
  readonly ssnCt: Buffer;
  readonly nameCt: Buffer;
  readonly dobCt: Buffer;
  readonly smokingStatus: string;
  readonly createdBy: string;
  readonly now: number;
}

/**
 * What a login or recovery needs about a patient: verifiers and the account's status. The
 * verifiers are null until the patient enrols.
 */
export interface PatientCredentialRow {
  readonly id: string;
  readonly status: string;
  readonly pinHash: string | null;
  readonly passwordHash: string | null;
  readonly recoveryHash: string | null;
  readonly resetHash: string | null;
  readonly resetExpiresAt: number | null;
  readonly dobCt: Buffer;
  /** The SSN's blind index (the patient's lockout key). */
  readonly ssnIndex: Buffer;
}

/** The sealed demographics of one patient. */
export interface PatientDemographicsRow {
  readonly id: string;
  readonly mrn: string;
  readonly ssnCt: Buffer;
  readonly nameCt: Buffer;
  readonly dobCt: Buffer;
  readonly smokingStatus: string;
  readonly createdAt: number;
}

/** Inserts the patient's `users` row (role patient, no username: patients log in by SSN) and `patients` row. */
export async function insertPatient(db: DbOrTx, p: NewPatientRow): Promise<void> {
  await db
    .insertInto('users')
    .values({
      id: p.id,
      role: 'patient',
      username: null,
      // No display name in clear: a patient's name is patient data and lives only in name_ct.
      display_name: null,
      status: 'active',
      password_hash: null,
      created_at: p.now,
      updated_at: p.now,
    })
    .execute();
  await db
    .insertInto('patients')
    .values({
      id: p.id,
      ssn_index: p.ssnIndex,
      mrn: p.mrn,
      ssn_ct: p.ssnCt,
      name_ct: p.nameCt,
      dob_ct: p.dobCt,
      pin_hash: NO_VERIFIER,
      password_hash: NO_VERIFIER,
      recovery_hash: NO_VERIFIER,
      reset_hash: null,
      reset_expires_at: null,
      smoking_status: p.smokingStatus,
      created_by: p.createdBy,
      created_at: p.now,
    })
    .execute();
}

/** Whether an SSN blind index is already registered. */
export async function ssnIndexTaken(db: DbOrTx, ssnIndex: Buffer): Promise<boolean> {
  const row = await db
    .selectFrom('patients')
    .select('id')
    .where('ssn_index', '=', ssnIndex)
    .executeTakeFirst();
  return row !== undefined;
}

const verifierOrNull = (stored: string): string | null => (stored === NO_VERIFIER ? null : stored);

/** The patient behind an SSN blind index with their verifiers, for login and recovery only. */
export async function findPatientCredentials(
  db: DbOrTx,
  ssnIndex: Buffer,
): Promise<PatientCredentialRow | undefined> {
  return findCredentials(db, 'patients.ssn_index', ssnIndex);
}

/** The same by patient id, for a signed-in patient's own credential changes. */
export async function findPatientCredentialsById(
  db: DbOrTx,
  patientId: string,
): Promise<PatientCredentialRow | undefined> {
  return findCredentials(db, 'patients.id', patientId);
}

async function findCredentials(
  db: DbOrTx,
  column: 'patients.ssn_index' | 'patients.id',
  value: Buffer | string,
): Promise<PatientCredentialRow | undefined> {
  const row = await db
    .selectFrom('patients')
    .innerJoin('users', 'users.id', 'patients.id')
    .select([
      'patients.id',
      'users.status',
      'patients.pin_hash',
      'patients.password_hash',
      'patients.recovery_hash',
      'patients.reset_hash',
      'patients.reset_expires_at',
      'patients.dob_ct',
      'patients.ssn_index',
    ])
    .where(column, '=', value)
    .executeTakeFirst();
  return row === undefined
    ? undefined
    : {
        id: row.id,
        status: row.status,
        pinHash: verifierOrNull(row.pin_hash),
        passwordHash: verifierOrNull(row.password_hash),
        recoveryHash: verifierOrNull(row.recovery_hash),
        resetHash: row.reset_hash,
        resetExpiresAt: row.reset_expires_at,
        dobCt: row.dob_ct,
        ssnIndex: row.ssn_index,
      };
}

const DEMOGRAPHIC_COLUMNS = [
  'id',
  'mrn',
  'ssn_ct',
  'name_ct',
  'dob_ct',
  'smoking_status',
  'created_at',
] as const;

interface RawDemographics {
  id: string;
  mrn: string;
  ssn_ct: Buffer;
  name_ct: Buffer;
  dob_ct: Buffer;
  smoking_status: string;
  created_at: number;
}

const toDemographics = (r: RawDemographics): PatientDemographicsRow => ({
  id: r.id,
  mrn: r.mrn,
  ssnCt: r.ssn_ct,
  nameCt: r.name_ct,
  dobCt: r.dob_ct,
  smokingStatus: r.smoking_status,
  createdAt: r.created_at,
});

export async function findPatientDemographics(
  db: DbOrTx,
  patientId: string,
): Promise<PatientDemographicsRow | undefined> {
  const row = await db
    .selectFrom('patients')
    .select(DEMOGRAPHIC_COLUMNS)
    .where('id', '=', patientId)
    .executeTakeFirst();
  return row === undefined ? undefined : toDemographics(row);
}

/**
 * One page of patients, newest first (ties broken by id), starting after `after` (keyset
 * paging: pages never overlap or skip a row when patients are added meanwhile).
 */
export async function listPatientDemographics(
  db: DbOrTx,
  page: { limit: number; after?: { createdAt: number; id: string } | undefined },
): Promise<PatientDemographicsRow[]> {
  let q = db.selectFrom('patients').select(DEMOGRAPHIC_COLUMNS);
  const after = page.after;
  if (after !== undefined) {
    q = q.where((eb) =>
      eb.or([
        eb('created_at', '<', after.createdAt),
        eb.and([eb('created_at', '=', after.createdAt), eb('id', '>', after.id)]),
      ]),
    );
  }
  const rows = await q.orderBy('created_at', 'desc').orderBy('id').limit(page.limit).execute();
  return rows.map(toDemographics);
}

/** The demographics of the given patients (any order). */
export async function findPatientsDemographics(
  db: DbOrTx,
  patientIds: readonly string[],
): Promise<PatientDemographicsRow[]> {
  if (patientIds.length === 0) return [];
  const rows = await db
    .selectFrom('patients')
    .select(DEMOGRAPHIC_COLUMNS)
    .where('id', 'in', [...patientIds])
    .execute();
  return rows.map(toDemographics);
}

export async function countPatients(db: DbOrTx): Promise<number> {
  const row = await db
    .selectFrom('patients')
    .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Replaces verifiers after a good login (parameter or pepper upgrade). Guarded by the old
 * verifier so a concurrent credential change is never overwritten with a stale secret.
 */
export async function upgradePatientHash(
  db: DbOrTx,
  patientId: string,
  column: 'pin_hash' | 'password_hash',
  from: string,
  to: string,
): Promise<void> {
  await db
    .updateTable('patients')
    .set(column === 'pin_hash' ? { pin_hash: to } : { password_hash: to })
    .where('id', '=', patientId)
    .where(column, '=', from)
    .execute();
}

/**
 * Sets a new PIN and recovery code, consuming the recovery code that proved the patient: the
 * update applies only while `recovery_hash` is still `usedRecoveryHash`, so one code can never
 * be spent twice, even by two requests at once. Any pending reset token is cleared too.
 * Returns whether it applied.
 */
export async function replacePinByRecovery(
  db: DbOrTx,
  patientId: string,
  change: { usedRecoveryHash: string; pinHash: string; recoveryHash: string },
): Promise<boolean> {
  const r = await db
    .updateTable('patients')
    .set({
      pin_hash: change.pinHash,
      recovery_hash: change.recoveryHash,
      reset_hash: null,
      reset_expires_at: null,
    })
    .where('id', '=', patientId)
    .where('recovery_hash', '=', change.usedRecoveryHash)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Stores a registrar-issued reset token's hash and expiry (replacing any earlier one). */
export async function setPinResetToken(
  db: DbOrTx,
  patientId: string,
  resetHash: string,
  expiresAt: number,
): Promise<void> {
  await db
    .updateTable('patients')
    .set({ reset_hash: resetHash, reset_expires_at: expiresAt })
    .where('id', '=', patientId)
    .execute();
}

/**
 * Sets a new PIN with a reset token, consuming the token: applies only while the token is still
 * stored and unexpired, so it works once. Returns whether it applied.
 */
export async function replacePinByResetToken(
  db: DbOrTx,
  patientId: string,
  change: { resetHash: string; pinHash: string; now: number },
): Promise<boolean> {
  const r = await db
    .updateTable('patients')
    .set({ pin_hash: change.pinHash, reset_hash: null, reset_expires_at: null })
    .where('id', '=', patientId)
    .where('reset_hash', '=', change.resetHash)
    .where('reset_expires_at', '>', change.now)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/**
 * Replaces one of a signed-in patient's verifiers (self-service change), guarded by the verifier
 * the change was proven against: a concurrent change of the same secret makes this one lose.
 * Changing the PIN also clears a pending reset token. Returns whether it applied.
 */
export async function replacePatientVerifier(
  db: DbOrTx,
  patientId: string,
  column: 'pin_hash' | 'password_hash' | 'recovery_hash',
  from: string,
  to: string,
): Promise<boolean> {
  const set =
    column === 'pin_hash'
      ? { pin_hash: to, reset_hash: null, reset_expires_at: null }
      : column === 'password_hash'
        ? { password_hash: to }
        : { recovery_hash: to };
  const r = await db
    .updateTable('patients')
    .set(set)
    .where('id', '=', patientId)
    .where(column, '=', from)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
