import { randomUUID } from 'node:crypto';
import { withTransaction, type DbOrTx } from '../../store/database.js';
import { dismissNotice, insertNotice, listOpenNotices } from '../../store/reenrolment-repository.js';
import { displayNames } from '../../store/user-repository.js';
import { selfPatientId, type AccessScope } from '../access/index.js';
import type { LedgeredServiceDeps } from '../audit/ledger-append.js';
import { notFound } from '../errors.js';

/** A notice as its person reads it. */
export interface NoticeView {
  readonly id: string;
  readonly kind: 'reenrolled';
  /** When it happened (epoch ms); the UI shows it as a date in the reader's zone. */
  readonly occurredAt: number;
  /** Who asked for it, by display name (null when the account has none). */
  readonly requestedByName: string | null;
  /** The sentence to show, with the date in UTC (a client may format `occurredAt` itself). */
  readonly text: string;
}

export type AccountNoticesDeps = LedgeredServiceDeps;

/**
 * What a person is told at their next sign-in: today that their account was re-enrolled (when,
 * at whose request). A notice is written in the re-enrolling transaction and stays until its
 * person dismisses it, so a sign-in that never showed it (a tool, a crash) does not lose it.
 */
export class AccountNotices {
  constructor(private readonly deps: AccountNoticesDeps) {}

  /** Records that `userId`'s account was re-enrolled, in the re-enrolment's transaction. */
  async reenrolled(
    tx: DbOrTx,
    userId: string,
    request: { requesterId: string; approverId: string },
  ): Promise<void> {
    await insertNotice(tx, {
      id: randomUUID(),
      userId,
      kind: 'reenrolled',
      occurredAt: this.deps.clock(),
      requestedBy: request.requesterId,
      approvedBy: request.approverId,
    });
  }

  /** The caller's own notices not dismissed yet, oldest first (every role). */
  async mine(scope: AccessScope): Promise<NoticeView[]> {
    const rows = await listOpenNotices(this.deps.db, scope.userId);
    const names = await displayNames(
      this.deps.db,
      rows.map((r) => r.requestedBy),
    );
    return rows.map((r) => {
      const requestedByName = names.get(r.requestedBy) ?? null;
      const date = new Date(r.occurredAt).toISOString().slice(0, 10);
      return {
        id: r.id,
        kind: 'reenrolled',
        occurredAt: r.occurredAt,
        requestedByName,
        text: `Your account was re-enrolled on ${date} at the request of ${requestedByName ?? 'a member of staff'}. If you did not ask for this, tell the hospital at once.`,
      };
    });
  }

  /** Dismisses one of the caller's own notices (404 for another's, an unknown or a dismissed one). */
  async dismiss(scope: AccessScope, id: string): Promise<void> {
    await withTransaction(this.deps.db, async (tx) => {
      if (!(await dismissNotice(tx, scope.userId, id, this.deps.clock()))) throw notFound('notice');
      await this.deps.audit.append(tx, {
        actor: scope.actor,
        action: 'notice.dismiss',
        target: { type: 'user', id: scope.userId },
        patientId: selfPatientId(scope.actor),
        outcome: 'success',
        details: { noticeId: id },
      });
    });
  }
}
