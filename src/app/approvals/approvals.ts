import { randomUUID } from 'node:crypto';
import { APPROVAL_TTL_MS, type ApprovalStatus } from '../../contract/vocabulary/approvals.js';
import {
  decideApproval,
  findApproval,
  findLatestApproval,
  insertApproval,
  listPendingApprovals,
  pendingApprovalExists,
  type ApprovalRow,
} from '../../store/approval-repository.js';
import { withTransaction, type DbOrTx } from '../../store/database.js';
import { displayNames } from '../../store/user-repository.js';
import type { AccessScope } from '../access/index.js';
import type { AuditActor } from '../audit/entry.js';
import type { LedgeredServiceDeps } from '../audit/ledger-append.js';
import { AppError, conflict, notFound } from '../errors.js';
import type { ApprovalHandler, ApprovalKind, ApprovalOutcome } from './approval-kind.js';

/** A request as its deciders see it. */
export interface ApprovalView {
  readonly id: string;
  readonly kind: ApprovalKind;
  readonly subjectId: string;
  readonly summary: string;
  readonly requestedBy: string;
  readonly requestedByName: string | null;
  readonly status: ApprovalStatus;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly decidedBy: string | null;
  readonly decidedAt: number | null;
}

export interface ApprovalDecision extends ApprovalOutcome {
  readonly approval: ApprovalView;
}

/** What asks for a second person: the request's kind, what it is about and what it would do. */
export interface NewApproval {
  readonly kind: ApprovalKind;
  readonly subjectId: string;
  /** Facts only (ids, roles, amounts): shown to deciders and written to the ledger. */
  readonly payload: Readonly<Record<string, string | number>>;
}

export type ApprovalsDeps = LedgeredServiceDeps;

/** Most requests one listing shows: far more than a hospital has waiting. */
const LIST_LIMIT = 200;

/**
 * THE two-person rule (DESIGN.md principle 7). An action that would let one insider become
 * someone else is not done by its requester: it is a request (kind, subject, requester,
 * payload, expiry) that a different person of the right role approves, once, before it expires;
 * the approval runs the kind's effect in the same transaction. The request and the decision are
 * each a ledger entry; so is every refused attempt to decide (own request, wrong role, expired).
 */
export class Approvals {
  private readonly handlers = new Map<ApprovalKind, ApprovalHandler>();

  constructor(private readonly deps: ApprovalsDeps) {}

  /** Registers what a kind does when approved (at composition, once per kind). */
  handle(kind: ApprovalKind, handler: ApprovalHandler): void {
    if (this.handlers.has(kind)) throw new Error(`approval kind ${kind} handled twice`);
    this.handlers.set(kind, handler);
  }

  /**
   * Files a request inside the caller's transaction (the change that needs it, such as a new
   * pending account, commits with it). 409 `approval_pending` while the same kind waits for the
   * same subject.
   */
  async request(tx: DbOrTx, requester: AccessScope, input: NewApproval): Promise<ApprovalView> {
    const now = this.deps.clock();
    if (await pendingApprovalExists(tx, input.kind, input.subjectId, now))
      throw new AppError('approval_pending');
    const row: ApprovalRow = {
      id: randomUUID(),
      kind: input.kind,
      subjectId: input.subjectId,
      requesterId: requester.userId,
      payload: JSON.stringify(input.payload),
      status: 'pending',
      createdAt: now,
      expiresAt: now + APPROVAL_TTL_MS,
      decidedBy: null,
      decidedAt: null,
    };
    await insertApproval(tx, row);
    await this.ledger(tx, requester.actor, 'approval.request', row, 'success', { ...input.payload });
    return this.view(row, new Map());
  }

  /** Files a request in a transaction of its own. */
  async requestAlone(requester: AccessScope, input: NewApproval): Promise<ApprovalView> {
    return withTransaction(this.deps.db, (tx) => this.request(tx, requester, input));
  }

  /**
   * Requests waiting for a decision (not expired), newest first: for those who may decide, and
   * only the kinds the caller's role decides (a registrar sees patient re-enrolments, not staff
   * requests).
   */
  async pending(scope: AccessScope): Promise<ApprovalView[]> {
    scope.require('approvals.decide');
    const all = await listPendingApprovals(this.deps.db, this.deps.clock(), LIST_LIMIT);
    const rows = all.filter((r) => this.handlers.get(r.kind as ApprovalKind)?.deciders.includes(scope.role));
    const names = await displayNames(
      this.deps.db,
      rows.map((r) => r.requesterId),
    );
    return rows.map((r) => this.view(r, names));
  }

  /** The newest request of `kind` about `subjectId` (any state), for the caller's own checks. */
  async latest(kind: ApprovalKind, subjectId: string): Promise<ApprovalView | null> {
    const row = await findLatestApproval(this.deps.db, kind, subjectId);
    if (row === undefined) return null;
    const names = await displayNames(this.deps.db, [row.requesterId]);
    return this.view(row, names);
  }

  /**
   * Approves a request: refused (and the attempt ledgered) for its requester
   * (`approval_own_request`), a role the kind does not name (`approval_wrong_role`), a decided
   * request (`approval_decided`, also a second approval by the same person) or an expired one
   * (`approval_expired`). Else the decision and the kind's effect commit together.
   */
  async approve(scope: AccessScope, id: string): Promise<ApprovalDecision> {
    return this.decide(scope, id, 'approved');
  }

  /** Refuses a request (same rules as approving): nothing happens but the refusal's ledger entry. */
  async refuse(scope: AccessScope, id: string): Promise<ApprovalDecision> {
    return this.decide(scope, id, 'refused');
  }

  private async decide(
    scope: AccessScope,
    id: string,
    status: 'approved' | 'refused',
  ): Promise<ApprovalDecision> {
    scope.require('approvals.decide');
    const action = status === 'approved' ? 'approval.approve' : 'approval.refuse';
    const now = this.deps.clock();
    let refusal: AppError | undefined;
    let refusedRow: ApprovalRow | undefined;
    const decision = await withTransaction(this.deps.db, async (tx) => {
      const row = await findApproval(tx, id);
      if (row === undefined) throw notFound('request');
      const handler = this.handlers.get(row.kind as ApprovalKind);
      if (handler === undefined) throw notFound('request');
      refusal = refusalOf(row, handler, scope, now);
      if (refusal !== undefined) {
        refusedRow = row;
        return undefined;
      }
      if (!(await decideApproval(tx, { id, status, decidedBy: scope.userId, now })))
        throw new AppError('approval_decided');
      const outcome: ApprovalOutcome = status === 'approved' ? await handler.apply(tx, row, scope) : {};
      const decided: ApprovalRow = { ...row, status, decidedBy: scope.userId, decidedAt: now };
      await this.ledger(tx, scope.actor, action, decided, 'success', { kind: row.kind });
      return { approval: this.view(decided, new Map()), ...outcome };
    });
    if (decision !== undefined) return decision;
    // A refused attempt is evidence too (a lone insider trying), committed before the error.
    const row = refusedRow as ApprovalRow;
    const error = refusal as AppError;
    await withTransaction(this.deps.db, (tx) =>
      this.ledger(tx, scope.actor, action, row, 'denied', { kind: row.kind, reason: error.code }),
    );
    throw error;
  }

  private ledger(
    tx: DbOrTx,
    actor: AuditActor,
    action: 'approval.request' | 'approval.approve' | 'approval.refuse',
    row: ApprovalRow,
    outcome: 'success' | 'denied',
    details: Readonly<Record<string, string | number>>,
  ): Promise<unknown> {
    const patientId = this.handlers.get(row.kind as ApprovalKind)?.patientOf?.(row) ?? null;
    return this.deps.audit.append(tx, {
      actor,
      action,
      target: { type: 'approval', id: row.id },
      patientId,
      outcome,
      details: { ...details, kind: row.kind, subjectId: row.subjectId },
    });
  }

  private view(row: ApprovalRow, names: ReadonlyMap<string, string | null>): ApprovalView {
    const now = this.deps.clock();
    const status: ApprovalStatus =
      row.status === 'pending' && row.expiresAt <= now ? 'expired' : (row.status as ApprovalStatus);
    return {
      id: row.id,
      kind: row.kind as ApprovalKind,
      subjectId: row.subjectId,
      summary: this.handlers.get(row.kind as ApprovalKind)?.describe(row) ?? row.kind,
      requestedBy: row.requesterId,
      requestedByName: names.get(row.requesterId) ?? null,
      status,
      createdAt: row.createdAt,
      expiresAt: row.expiresAt,
      decidedBy: row.decidedBy,
      decidedAt: row.decidedAt,
    };
  }
}

/** Why `scope` may not decide `row` now, or undefined when it may. */
function refusalOf(
  row: ApprovalRow,
  handler: ApprovalHandler,
  scope: AccessScope,
  now: number,
): AppError | undefined {
  if (!handler.deciders.includes(scope.role)) return new AppError('approval_wrong_role');
  if (row.requesterId === scope.userId) return new AppError('approval_own_request');
  if (row.status !== 'pending') return new AppError('approval_decided');
  if (row.expiresAt <= now) return new AppError('approval_expired');
  return undefined;
}

/** Reads a request's payload field as a string (payloads are written by the kinds themselves). */
export function payloadField(row: ApprovalRow, field: string): string {
  const value = (JSON.parse(row.payload) as Record<string, unknown>)[field];
  if (typeof value !== 'string' && typeof value !== 'number') throw conflict('The request is malformed.');
  return String(value);
}
