import { randomUUID } from 'node:crypto';
import { insertBudgetRaise } from '../../store/budget-raise-repository.js';
import type { AccessScope } from '../access/index.js';
import type { Approvals, ApprovalView } from '../approvals/index.js';
import { payloadField } from '../approvals/index.js';
import type { LedgerAppend } from '../audit/ledger-append.js';
import { invalidInput } from '../errors.js';
import { windowAt } from './budget-window.js';

export interface BudgetRaisesDeps {
  readonly approvals: Approvals;
  readonly audit: LedgerAppend;
  readonly windowMs: number;
  readonly clock: () => number;
}

/** Largest raise one request may ask for, in thousandths (epsilon 100). */
const MAX_RAISE_MILLI = 100_000;

/**
 * Raising the hospital's privacy budget needs two admins (issue 14): one asks (`budget.raise`),
 * another approves; the approval adds the epsilon to the window current AT APPROVAL (a request
 * approved after its window ended raises the next one — never a past window), in the approving
 * transaction, with its ledger entry. The raise ends with the window.
 */
export class BudgetRaises {
  constructor(private readonly deps: BudgetRaisesDeps) {
    deps.approvals.handle('budget.raise', {
      deciders: ['admin'],
      describe: (r) =>
        `Raise this window's privacy budget by epsilon ${Number(payloadField(r, 'epsilonMilli')) / 1000}.`,
      apply: async (tx, request, approver) => {
        const epsilonMilli = Number(payloadField(request, 'epsilonMilli'));
        const now = deps.clock();
        const window = windowAt(now, deps.windowMs);
        await insertBudgetRaise(tx, {
          id: randomUUID(),
          windowStart: window.from,
          epsilonMilli,
          approvalId: request.id,
          now,
        });
        await deps.audit.append(tx, {
          actor: approver.actor,
          action: 'analytics.budget_raise',
          target: { type: 'approval', id: request.id },
          patientId: null,
          outcome: 'success',
          details: { epsilonMilli, windowStart: window.from, requestedBy: request.requesterId },
        });
        return {};
      },
    });
  }

  /** An admin asks for `epsilon` more this window; another admin must approve. */
  async request(scope: AccessScope, epsilon: number): Promise<ApprovalView> {
    scope.require('analytics.query');
    const epsilonMilli = Math.round(epsilon * 1000);
    if (!Number.isSafeInteger(epsilonMilli) || epsilonMilli < 1 || epsilonMilli > MAX_RAISE_MILLI)
      throw invalidInput('epsilon must be between 0.001 and 100.');
    return this.deps.approvals.requestAlone(scope, {
      kind: 'budget.raise',
      subjectId: 'hospital',
      payload: { epsilonMilli },
    });
  }
}
