import type { DbOrTx } from '../../store/database.js';
import type { ApprovalRow } from '../../store/approval-repository.js';
import { deleteAllSecondFactors } from '../../store/second-factor-repository.js';
import { revokeAllStaffKeys } from '../../store/staff-key-repository.js';
import { clearUserPassword, findUserById, setUserStatus, type UserRow } from '../../store/user-repository.js';
import type { AccessScope } from '../access/index.js';
import { isStaffRole } from '../actor.js';
import type { Approvals, ApprovalHandler, ApprovalOutcome } from '../approvals/index.js';
import type { LedgerAppend } from '../audit/ledger-append.js';
import { conflict, notFound } from '../errors.js';
import type { AccountNotices } from './account-notices.js';
import type { Sessions } from './sessions.js';
import type { StaffInvites } from './staff-invites.js';

export interface StaffApprovalDeps {
  readonly sessions: Sessions;
  readonly invites: StaffInvites;
  readonly notices: AccountNotices;
  readonly audit: LedgerAppend;
  readonly clock: () => number;
}

/**
 * The staff kinds of the two-person rule, registered with the approvals service:
 * - `staff.activate` / `admin.create`: a second admin activates a pending account;
 * - `staff.reenrol`: a second admin re-enrols a member — every key revoked, the password
 *   removed, every second factor removed (a lost factor is a staff re-enrolment), every session
 *   ended, a notice for the member's next sign-in, and a new invite code handed to the approver.
 * Only admins decide them.
 */
export function registerStaffApprovals(approvals: Approvals, deps: StaffApprovalDeps): void {
  const activate: ApprovalHandler = {
    deciders: ['admin'],
    describe: (r) => `Activate the new ${field(r, 'role')} account "${field(r, 'username')}".`,
    apply: async (tx, request, approver) => {
      const user = await staffSubject(tx, request);
      if (user.status !== 'pending') throw conflict('The account is no longer waiting for activation.');
      await setUserStatus(tx, user.id, 'active', deps.clock());
      await ledger(deps, tx, approver, 'user.activate', user, { requestId: request.id });
      return {};
    },
  };
  approvals.handle('staff.activate', activate);
  approvals.handle('admin.create', activate);
  approvals.handle('staff.reenrol', {
    deciders: ['admin'],
    describe: (r) =>
      `Re-enrol ${field(r, 'role')} "${field(r, 'username')}": revoke every key, the password, every second factor and every session; issue a new invite code.`,
    apply: async (tx, request, approver): Promise<ApprovalOutcome> => {
      const user = await staffSubject(tx, request);
      if (user.status === 'disabled') throw conflict('The account is disabled.');
      const now = deps.clock();
      const keysRevoked = await revokeAllStaffKeys(tx, user.id, now);
      await clearUserPassword(tx, user.id, now);
      const sessionsRevoked = await deps.sessions.revokeAll(tx, user.id);
      const factorsRemoved = await deleteAllSecondFactors(tx, user.id);
      await deps.notices.reenrolled(tx, user.id, {
        requesterId: request.requesterId,
        approverId: approver.userId,
      });
      const invite = await deps.invites.issue(tx, user.id);
      await ledger(deps, tx, approver, 'user.reenrol', user, {
        requestId: request.id,
        keysRevoked,
        sessionsRevoked,
        factorsRemoved,
      });
      return { invite };
    },
  });
}

function field(request: ApprovalRow, name: string): string {
  const value = (JSON.parse(request.payload) as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : '?';
}

async function staffSubject(tx: DbOrTx, request: ApprovalRow): Promise<UserRow> {
  const user = await findUserById(tx, request.subjectId);
  if (user === undefined || !isStaffRole(user.role)) throw notFound('user');
  return user;
}

function ledger(
  deps: StaffApprovalDeps,
  tx: DbOrTx,
  approver: AccessScope,
  action: 'user.activate' | 'user.reenrol',
  user: UserRow,
  details: Readonly<Record<string, string | number>>,
): Promise<unknown> {
  return deps.audit.append(tx, {
    actor: approver.actor,
    action,
    target: { type: 'user', id: user.id },
    patientId: null,
    outcome: 'success',
    details: { ...details, role: user.role },
  });
}
