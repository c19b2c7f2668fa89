import type { DbOrTx } from './database.js';

/** A two-person request as stored. */
export interface ApprovalRow {
  readonly id: string;
  readonly kind: string;
  readonly subjectId: string;
  readonly requesterId: string;
  readonly payload: string;
  readonly status: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly decidedBy: string | null;
  readonly decidedAt: number | null;
}

const COLUMNS = [
  'id',
  'kind',
  'subject_id',
  'requester_id',
  'payload',
  'status',
  'created_at',
  'expires_at',
  'decided_by',
  'decided_at',
] as const;

interface RawApproval {
  id: string;
  kind: string;
  subject_id: string;
  requester_id: string;
  payload: string;
  status: string;
  created_at: number;
  expires_at: number;
  decided_by: string | null;
  decided_at: number | null;
}

const toRow = (r: RawApproval): ApprovalRow => ({
  id: r.id,
  kind: r.kind,
  subjectId: r.subject_id,
  requesterId: r.requester_id,
  payload: r.payload,
  status: r.status,
  createdAt: Number(r.created_at),
  expiresAt: Number(r.expires_at),
  decidedBy: r.decided_by,
  decidedAt: r.decided_at === null ? null : Number(r.decided_at),
});

export async function insertApproval(
  db: DbOrTx,
  a: Omit<ApprovalRow, 'status' | 'decidedBy' | 'decidedAt'>,
): Promise<void> {
  await db
    .insertInto('approval_requests')
    .values({
      id: a.id,
      kind: a.kind,
      subject_id: a.subjectId,
      requester_id: a.requesterId,
      payload: a.payload,
      status: 'pending',
      created_at: a.createdAt,
      expires_at: a.expiresAt,
      decided_by: null,
      decided_at: null,
    })
    .execute();
}

export async function findApproval(db: DbOrTx, id: string): Promise<ApprovalRow | undefined> {
  const row = await db
    .selectFrom('approval_requests')
    .select(COLUMNS)
    .where('id', '=', id)
    .executeTakeFirst();
  return row === undefined ? undefined : toRow(row);
}

/** Pending requests not yet expired at `now`, newest first. */
export async function listPendingApprovals(db: DbOrTx, now: number, limit: number): Promise<ApprovalRow[]> {
  const rows = await db
    .selectFrom('approval_requests')
    .select(COLUMNS)
    .where('status', '=', 'pending')
    .where('expires_at', '>', now)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map(toRow);
}

/** Whether a live request of `kind` about `subjectId` is waiting already. */
export async function pendingApprovalExists(
  db: DbOrTx,
  kind: string,
  subjectId: string,
  now: number,
): Promise<boolean> {
  const row = await db
    .selectFrom('approval_requests')
    .select('id')
    .where('kind', '=', kind)
    .where('subject_id', '=', subjectId)
    .where('status', '=', 'pending')
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Records the one decision of a request: only while it is still pending (a racing second
 * decision updates nothing and answers false).
 */
export async function decideApproval(
  db: DbOrTx,
  d: { id: string; status: 'approved' | 'refused'; decidedBy: string; now: number },
): Promise<boolean> {
  const result = await db
    .updateTable('approval_requests')
    .set({ status: d.status, decided_by: d.decidedBy, decided_at: d.now })
    .where('id', '=', d.id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The newest request of `kind` about `subjectId`, whatever its state (a page's "pending" badge). */
export async function findLatestApproval(
  db: DbOrTx,
  kind: string,
  subjectId: string,
): Promise<ApprovalRow | undefined> {
  const row = await db
    .selectFrom('approval_requests')
    .select(COLUMNS)
    .where('kind', '=', kind)
    .where('subject_id', '=', subjectId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  return row === undefined ? undefined : toRow(row);
}
