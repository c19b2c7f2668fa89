import type { DbOrTx } from '../../store/database.js';
import type { ApprovalRow } from '../../store/approval-repository.js';
import {
  clearPatientVerifiers,
  patientHasEnrolled,
  wasReenrolled,
} from '../../store/reenrolment-repository.js';
import { deleteAllSecondFactors } from '../../store/second-factor-repository.js';
import type { AccessScope } from '../access/index.js';
import type { Approvals, ApprovalOutcome, ApprovalView } from '../approvals/index.js';
import type { LedgerAppend } from '../audit/ledger-append.js';
import { AppError, notFound } from '../errors.js';
import type { AccountNotices } from './account-notices.js';
import type { EnrolmentCodes } from './enrolment-codes.js';
import type { Sessions } from './sessions.js';

export interface PatientReenrolmentDeps {
  readonly db: DbOrTx;
  readonly approvals: Approvals;
  readonly codes: EnrolmentCodes;
  readonly sessions: Sessions;
  readonly notices: AccountNotices;
  readonly audit: LedgerAppend;
  readonly clock: () => number;
}

/**
 * Re-enrolment of a patient who lost everything (PIN, password AND recovery code; a lost PIN alone
 * is assisted recovery), under the two-person rule (`patient.reenrol`):
 *
 * 1. a registrar asks ({@link request}); nothing changes yet;
 * 2. a DIFFERENT registrar approves (admins may not: they hold no duty towards patients, and the
 *    approver receives a code that opens the patient's account). In the approving transaction the
 *    PIN, password, recovery and PIN-reset verifiers are cleared, every session ends, every
 *    passkey and authenticator app (and any sign-in waiting for one) is removed, a notice for the
 *    patient's next sign-in is written, and a new enrolment code is issued;
 * 3. the code is answered to the APPROVER only, once, to hand to the patient in person after
 *    checking their identity. The requester never sees it, so a registrar who asks cannot take
 *    the account over with a colleague's rubber stamp, and the approver cannot start one.
 *
 * Request, approval (or refusal) and the code's issue are ledger entries about the patient, so
 * the patient's access history shows all three.
 */
export class PatientReenrolment {
  constructor(private readonly deps: PatientReenrolmentDeps) {
    deps.approvals.handle('patient.reenrol', {
      deciders: ['registrar'],
      describe: () =>
        'Re-enrol a patient: their PIN, password, recovery code, passkeys, authenticator apps and sessions are removed, and you receive a new enrolment code to hand to the patient in person (check their identity).',
      patientOf: (r) => r.subjectId,
      apply: (tx, request, approver) => this.apply(tx, request, approver),
    });
  }

  /**
   * A registrar asks to re-enrol a patient who has enrolled (or was re-enrolled and lost that
   * code too); another registrar must approve.
   * @throws AppError forbidden, not_found, reenrol_not_enrolled (a patient who never enrolled
   *   gets a new enrolment code instead), approval_pending.
   */
  async request(scope: AccessScope, patientId: string): Promise<ApprovalView> {
    await scope.duty(this.deps.db, patientId, 'patients.reenrol');
    const enrolled = await patientHasEnrolled(this.deps.db, patientId);
    if (enrolled === undefined) throw notFound('patient');
    if (!enrolled && !(await wasReenrolled(this.deps.db, patientId)))
      throw new AppError('reenrol_not_enrolled');
    return this.deps.approvals.requestAlone(scope, {
      kind: 'patient.reenrol',
      subjectId: patientId,
      payload: { patientId },
    });
  }

  /** The newest re-enrolment request about a patient (any state), or null: the registrar's page. */
  async latest(scope: AccessScope, patientId: string): Promise<ApprovalView | null> {
    await scope.duty(this.deps.db, patientId, 'patients.reenrol');
    return this.deps.approvals.latest('patient.reenrol', patientId);
  }

  private async apply(tx: DbOrTx, request: ApprovalRow, approver: AccessScope): Promise<ApprovalOutcome> {
    const { codes, sessions, notices, audit, clock } = this.deps;
    const patientId = request.subjectId;
    if ((await patientHasEnrolled(tx, patientId)) === undefined) throw notFound('patient');
    // Enrolled now, or re-enrolled before and not activated since (that code is replaced).
    const cleared = await clearPatientVerifiers(tx, patientId);
    if (!cleared && !(await wasReenrolled(tx, patientId, request.id)))
      throw new AppError('reenrol_not_enrolled');
    const sessionsEnded = await sessions.revokeAll(tx, patientId);
    const factorsRemoved = await deleteAllSecondFactors(tx, patientId);
    await notices.reenrolled(tx, patientId, {
      requesterId: request.requesterId,
      approverId: approver.userId,
    });
    await audit.append(tx, {
      actor: approver.actor,
      action: 'patient.reenrol',
      target: { type: 'patient', id: patientId },
      patientId,
      outcome: 'success',
      details: { requestId: request.id, requestedBy: request.requesterId, sessionsEnded, factorsRemoved },
    });
    const now = clock();
    const prepared = await codes.prepare(patientId, now);
    await codes.store(tx, approver.actor, patientId, prepared, now);
    return { enrolment: { enrolmentCode: prepared.enrolmentCode, expiresAt: prepared.expiresAt } };
  }
}
