import type { DbOrTx } from './database.js';
import { NO_VERIFIER } from './patient-repository.js';

/**
 * Patients' one-time enrolment codes (migration 018). Codes arrive here already as keyed
 * verifiers: this module never sees a code.
 */

export interface EnrolmentRow {
  readonly patientId: string;
  readonly codeHash: string;
  readonly expiresAt: number;
  readonly usedAt: number | null;
}

/** Stores a patient's enrolment code verifier, replacing an earlier one (and its use). */
export async function putEnrolmentCode(
  db: DbOrTx,
  e: { patientId: string; codeHash: string; expiresAt: number; issuedBy: string; now: number },
): Promise<void> {
  const values = {
    code_hash: e.codeHash,
    expires_at: e.expiresAt,
    used_at: null,
    issued_by: e.issuedBy,
    issued_at: e.now,
  };
  await db
    .insertInto('patient_enrolments')
    .values({ patient_id: e.patientId, ...values })
    .onConflict((oc) => oc.column('patient_id').doUpdateSet(values))
    .execute();
}

export async function findEnrolment(db: DbOrTx, patientId: string): Promise<EnrolmentRow | undefined> {
  const row = await db
    .selectFrom('patient_enrolments')
    .select(['patient_id', 'code_hash', 'expires_at', 'used_at'])
    .where('patient_id', '=', patientId)
    .executeTakeFirst();
  return row === undefined
    ? undefined
    : {
        patientId: row.patient_id,
        codeHash: row.code_hash,
        expiresAt: Number(row.expires_at),
        usedAt: row.used_at === null ? null : Number(row.used_at),
      };
}

/**
 * Spends an enrolment code and sets the patient's first verifiers, in the caller's transaction.
 * Applies only while this very code is stored, unused and unexpired AND the patient has no
 * verifier yet, so a code works once, even for two requests at once. Returns whether it applied.
 */
export async function completeEnrolment(
  db: DbOrTx,
  e: {
    patientId: string;
    codeHash: string;
    pinHash: string;
    passwordHash: string;
    recoveryHash: string;
    now: number;
  },
): Promise<boolean> {
  const spent = await db
    .updateTable('patient_enrolments')
    .set({ used_at: e.now })
    .where('patient_id', '=', e.patientId)
    .where('code_hash', '=', e.codeHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', e.now)
    .executeTakeFirst();
  if (Number(spent.numUpdatedRows) !== 1) return false;
  const set = await db
    .updateTable('patients')
    .set({ pin_hash: e.pinHash, password_hash: e.passwordHash, recovery_hash: e.recoveryHash })
    .where('id', '=', e.patientId)
    .where('pin_hash', '=', NO_VERIFIER)
    .executeTakeFirst();
  return Number(set.numUpdatedRows) === 1;
}
