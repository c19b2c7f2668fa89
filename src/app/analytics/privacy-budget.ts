import {
  insertSpend,
  lockBudget,
  spendsSince,
  spentSince,
  type SpendRow,
} from '../../store/analytics-repository.js';
import type { DbOrTx } from '../../store/database.js';
import { privacyBudgetExhausted } from '../errors.js';

/** Each analyst may spend `totalMilli`/1000 epsilon in any window of `windowMs`. */
export interface BudgetPolicy {
  readonly totalMilli: number;
  readonly windowMs: number;
}

export interface BudgetStatus {
  readonly totalEpsilon: number;
  readonly spentEpsilon: number;
  readonly remainingEpsilon: number;
  readonly windowDays: number;
}

const DAY_MS = 86_400_000;

/**
 * Per-analyst privacy budgets over a sliding window (sequential composition: the epsilons of an
 * analyst's releases add up). Epsilon is counted in integer thousandths, so no rounding ever lets
 * a sum slip under the limit.
 *
 * Concurrency: `spend` runs in the caller's transaction and first locks the analyst's budget row
 * (`SELECT … FOR UPDATE` on PostgreSQL; SQLite's IMMEDIATE transaction holds the write lock), then
 * sums the window, checks and inserts. Two queries of one analyst check one after the other, so
 * together they can never overspend; a refused query rolls back and has spent nothing.
 */
export class PrivacyBudget {
  constructor(readonly policy: BudgetPolicy) {}

  async status(db: DbOrTx, actorId: string, now: number): Promise<BudgetStatus> {
    return this.describe(await spentSince(db, actorId, now - this.policy.windowMs));
  }

  /**
   * Checks without locking (to refuse early, before the costly aggregation); `spend` decides.
   * @throws AppError privacy_budget_exhausted.
   */
  async precheck(db: DbOrTx, actorId: string, epsilonMilli: number, now: number): Promise<void> {
    await this.check(db, actorId, epsilonMilli, now);
  }

  /**
   * Locks, checks and records a spend in `tx`. Call `record` after the ledger entry exists.
   * @throws AppError privacy_budget_exhausted (roll the transaction back: nothing is spent).
   */
  async reserve(tx: DbOrTx, actorId: string, epsilonMilli: number, now: number): Promise<BudgetStatus> {
    await lockBudget(tx, actorId, now);
    return this.describe((await this.check(tx, actorId, epsilonMilli, now)) + epsilonMilli);
  }

  /** Records a reserved spend, naming its ledger entry. */
  async record(
    tx: DbOrTx,
    spend: { id: string; actorId: string; epsilonMilli: number; now: number; ledgerSeq: number },
  ): Promise<void> {
    await insertSpend(tx, {
      id: spend.id,
      actorId: spend.actorId,
      epsilonMilli: spend.epsilonMilli,
      spentAt: spend.now,
      ledgerSeq: spend.ledgerSeq,
    });
  }

  /** The epsilon spent in the window; refuses when `epsilonMilli` more would exceed the total. */
  private async check(db: DbOrTx, actorId: string, epsilonMilli: number, now: number): Promise<number> {
    const since = now - this.policy.windowMs;
    const spent = await spentSince(db, actorId, since);
    if (spent + epsilonMilli <= this.policy.totalMilli) return spent;
    const spends = await spendsSince(db, actorId, since);
    throw privacyBudgetExhausted(this.retryAfterSeconds(spends, spent, epsilonMilli, now));
  }

  /** Seconds until enough of the oldest spends leave the window for this epsilon to fit. */
  private retryAfterSeconds(
    spends: readonly SpendRow[],
    spent: number,
    epsilonMilli: number,
    now: number,
  ): number {
    if (epsilonMilli > this.policy.totalMilli) return Math.ceil(this.policy.windowMs / 1000);
    let remaining = spent;
    for (const s of spends) {
      remaining -= s.epsilonMilli;
      if (remaining + epsilonMilli <= this.policy.totalMilli)
        return Math.max(1, Math.ceil((s.spentAt + this.policy.windowMs - now) / 1000));
    }
    return Math.ceil(this.policy.windowMs / 1000);
  }

  private describe(spentMilli: number): BudgetStatus {
    const total = this.policy.totalMilli;
    return {
      totalEpsilon: total / 1000,
      spentEpsilon: spentMilli / 1000,
      remainingEpsilon: Math.max(0, total - spentMilli) / 1000,
      windowDays: this.policy.windowMs / DAY_MS,
    };
  }
}
