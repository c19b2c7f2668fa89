import type { ApprovalKind } from '../../contract/vocabulary/approvals.js';
import type { DbOrTx } from '../../store/database.js';
import type { ApprovalRow } from '../../store/approval-repository.js';
import type { AccessScope } from '../access/index.js';
import type { Role } from '../actor.js';

export type { ApprovalKind } from '../../contract/vocabulary/approvals.js';

/**
 * What an approval hands its approver, this once: a staff re-enrolment's new invite code, or a
 * patient re-enrolment's new enrolment code (the approver hands it over; the requester never sees it).
 */
export interface ApprovalOutcome {
  readonly invite?: { readonly code: string; readonly expiresAt: number };
  readonly enrolment?: { readonly enrolmentCode: string; readonly expiresAt: number };
}

/**
 * What one kind of request does: who may decide it and what approving it changes. Each context
 * that needs a second person registers its kinds with {@link Approvals.handle} at composition;
 * the approvals service owns the rule (another person, the right role, in time, once) and the
 * ledger, the kind owns the effect.
 */
export interface ApprovalHandler {
  /** The roles whose members may approve or refuse a request of this kind. */
  readonly deciders: readonly Role[];
  /** The effect of an approval, in the approving transaction (throws to refuse it). */
  apply(tx: DbOrTx, request: ApprovalRow, approver: AccessScope): Promise<ApprovalOutcome>;
  /** What approving does, in words for the approver (no secret). */
  describe(request: ApprovalRow): string;
  /**
   * The patient a request is about, when it is about one: its request and decision entries then
   * carry that patient id, so they show in the patient's access history.
   */
  patientOf?(request: ApprovalRow): string | null;
}

export type ApprovalHandlers = Partial<Record<ApprovalKind, ApprovalHandler>>;
