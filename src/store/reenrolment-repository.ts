import type { DbOrTx } from './database.js';
import { NO_VERIFIER } from './patient-repository.js';

/**
 * Re-enrolment (migration 020): clearing an enrolled patient's verifiers, the notices people are
 * told at their next sign-in, and the run-time second-factor policy per role.
 */

/**
 * Takes an enrolled patient back to "registered, not enrolled": PIN, password and recovery
 * verifiers gone (the PIN-reset token too), so nothing they knew logs in and the next enrolment
 * code can set new ones. Returns whether the patient had enrolled (nothing changes otherwise).
 */
export async function clearPatientVerifiers(db: DbOrTx, patientId: string): Promise<boolean> {
  const r = await db
    .updateTable('patients')
    .set({
      pin_hash: NO_VERIFIER,
      password_hash: NO_VERIFIER,
      recovery_hash: NO_VERIFIER,
      reset_hash: null,
      reset_expires_at: null,
    })
    .where('id', '=', patientId)
    .where('pin_hash', '!=', NO_VERIFIER)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Whether a patient has enrolled (chosen a PIN and password); undefined for no such patient. */
export async function patientHasEnrolled(db: DbOrTx, patientId: string): Promise<boolean | undefined> {
  const row = await db
    .selectFrom('patients')
    .select('pin_hash')
    .where('id', '=', patientId)
    .executeTakeFirst();
  return row === undefined ? undefined : row.pin_hash !== NO_VERIFIER;
}

export interface NoticeRow {
  readonly id: string;
  readonly userId: string;
  readonly kind: string;
  readonly occurredAt: number;
  readonly requestedBy: string;
  readonly approvedBy: string;
}

export async function insertNotice(db: DbOrTx, n: NoticeRow): Promise<void> {
  await db
    .insertInto('account_notices')
    .values({
      id: n.id,
      user_id: n.userId,
      kind: n.kind,
      occurred_at: n.occurredAt,
      requested_by: n.requestedBy,
      approved_by: n.approvedBy,
      dismissed_at: null,
    })
    .execute();
}

/** A user's notices not dismissed yet, oldest first. */
export async function listOpenNotices(db: DbOrTx, userId: string): Promise<NoticeRow[]> {
  const rows = await db
    .selectFrom('account_notices')
    .select(['id', 'user_id', 'kind', 'occurred_at', 'requested_by', 'approved_by'])
    .where('user_id', '=', userId)
    .where('dismissed_at', 'is', null)
    .orderBy('occurred_at')
    .orderBy('id')
    .limit(20)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    userId: r.user_id,
    kind: r.kind,
    occurredAt: Number(r.occurred_at),
    requestedBy: r.requested_by,
    approvedBy: r.approved_by,
  }));
}

/** Dismisses one of the user's own notices; false when it is not theirs or already dismissed. */
export async function dismissNotice(db: DbOrTx, userId: string, id: string, now: number): Promise<boolean> {
  const r = await db
    .updateTable('account_notices')
    .set({ dismissed_at: now })
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .where('dismissed_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** The roles whose policy was changed at run time, with the policy now in force. */
export async function readPolicyOverrides(db: DbOrTx): Promise<Array<{ role: string; policy: string }>> {
  return db.selectFrom('second_factor_policy').select(['role', 'policy']).execute();
}

export async function putPolicyOverride(
  db: DbOrTx,
  p: { role: string; policy: string; approvalId: string; now: number },
): Promise<void> {
  const values = { policy: p.policy, approval_id: p.approvalId, changed_at: p.now };
  await db
    .insertInto('second_factor_policy')
    .values({ role: p.role, ...values })
    .onConflict((oc) => oc.column('role').doUpdateSet(values))
    .execute();
}

/**
 * Whether an approved re-enrolment of the patient exists (other than `exceptId`): such a patient
 * has enrolled before, so a registrar alone may not print them a new enrolment code.
 */
export async function wasReenrolled(db: DbOrTx, patientId: string, exceptId?: string): Promise<boolean> {
  let q = db
    .selectFrom('approval_requests')
    .select('id')
    .where('kind', '=', 'patient.reenrol')
    .where('subject_id', '=', patientId)
    .where('status', '=', 'approved');
  if (exceptId !== undefined) q = q.where('id', '!=', exceptId);
  return (await q.limit(1).executeTakeFirst()) !== undefined;
}
