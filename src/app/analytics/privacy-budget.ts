import { raisedInWindow } from '../../store/budget-raise-repository.js';
import {
  insertSpend,
  lockHospitalBudget,
  spendByAnalyst,
  spentInWindow,
} from '../../store/privacy-spend-repository.js';
import type { DbOrTx } from '../../store/database.js';
import { privacyBudgetExhausted } from '../errors.js';
import { windowAt, type BudgetWindow } from './budget-window.js';

/**
 * The hospital may release `totalMilli`/1000 epsilon per window of `windowMs`, all analysts
 * together; any one analyst at most `analystShareMilli`/1000 of that (1000: no split).
 */
export interface BudgetPolicy {
  readonly totalMilli: number;
  readonly windowMs: number;
  readonly analystShareMilli: number;
}

/** One analyst's part of the window, when the budget is split. */
export interface AnalystShareStatus {
  readonly shareEpsilon: number;
  readonly spentEpsilon: number;
  readonly remainingEpsilon: number;
}

/** The hospital's budget in the current window (and the caller's share of it, when split). */
export interface BudgetStatus {
  readonly totalEpsilon: number;
  readonly spentEpsilon: number;
  readonly remainingEpsilon: number;
  readonly windowDays: number;
  /** Epoch ms the current window began. */
  readonly windowStartedAt: number;
  /** Epoch ms the current window ends and the whole budget is available again. */
  readonly resetsAt: number;
  /** The caller's share; null when the budget is not split between analysts. */
  readonly analyst: AnalystShareStatus | null;
}

/** What one analyst spent in the current window (the admin statistics page lists them). */
export interface AnalystSpend {
  readonly analystId: string;
  readonly name: string;
  readonly spentEpsilon: number;
  readonly queries: number;
  readonly lastSpentAt: number;
}

/** The budget with each analyst's spend in the window. */
export interface BudgetReport extends BudgetStatus {
  readonly analysts: readonly AnalystSpend[];
}

const DAY_MS = 86_400_000;

/**
 * The hospital's privacy budget (sequential composition: the epsilons of every release add up,
 * whoever asked). It is not per account: an admin who creates another admin adds nothing to it.
 * Epsilon is counted in integer thousandths, so no rounding ever lets a sum slip under a limit.
 *
 * Concurrency: `reserve` runs in the caller's transaction and first locks the hospital's one
 * budget row (`SELECT … FOR UPDATE` on PostgreSQL; SQLite's IMMEDIATE transaction holds the write
 * lock), then sums the window (hospital and analyst), checks both and the caller inserts the
 * spend. Every spend of every analyst checks after the previous one committed, so concurrent
 * queries, on one server or several, can never overspend; a refused query rolls back and has
 * spent nothing.
 */
export class PrivacyBudget {
  constructor(readonly policy: BudgetPolicy) {}

  /** The largest epsilon (thousandths) one analyst may spend per window whose total is `totalMilli`. */
  analystCapMilli(totalMilli: number = this.policy.totalMilli): number {
    return Math.floor((totalMilli * this.policy.analystShareMilli) / 1000);
  }

  private get split(): boolean {
    return this.policy.analystShareMilli < 1000;
  }

  async status(db: DbOrTx, analystId: string, now: number): Promise<BudgetStatus> {
    const window = windowAt(now, this.policy.windowMs);
    return this.describe(window, await this.spent(db, window, analystId));
  }

  /** The status with what each analyst spent in the window. */
  async report(db: DbOrTx, analystId: string, now: number): Promise<BudgetReport> {
    const window = windowAt(now, this.policy.windowMs);
    const status = this.describe(window, await this.spent(db, window, analystId));
    const rows = await spendByAnalyst(db, window);
    return {
      ...status,
      analysts: rows.map((r) => ({
        analystId: r.analystId,
        name: r.displayName ?? r.username ?? r.analystId,
        spentEpsilon: r.spentMilli / 1000,
        queries: r.queries,
        lastSpentAt: r.lastSpentAt,
      })),
    };
  }

  /**
   * Checks without locking (to refuse early, before the costly aggregation); `reserve` decides.
   * @throws AppError privacy_budget_exhausted.
   */
  async precheck(db: DbOrTx, analystId: string, epsilonMilli: number, now: number): Promise<void> {
    await this.check(db, analystId, epsilonMilli, now);
  }

  /**
   * Locks, checks and answers the status after the spend, in `tx`. Call `record` after the
   * ledger entry exists.
   * @throws AppError privacy_budget_exhausted (roll the transaction back: nothing is spent).
   */
  async reserve(tx: DbOrTx, analystId: string, epsilonMilli: number, now: number): Promise<BudgetStatus> {
    await lockHospitalBudget(tx, now);
    const { window, spent } = await this.check(tx, analystId, epsilonMilli, now);
    return this.describe(window, {
      hospital: spent.hospital + epsilonMilli,
      total: spent.total,
      analyst: spent.analyst + epsilonMilli,
    });
  }

  /** Records a reserved spend in the hospital's ledger of spend, naming its ledger entry. */
  async record(
    tx: DbOrTx,
    spend: { id: string; analystId: string; epsilonMilli: number; now: number; ledgerSeq: number },
  ): Promise<void> {
    await insertSpend(tx, {
      id: spend.id,
      analystId: spend.analystId,
      epsilonMilli: spend.epsilonMilli,
      spentAt: spend.now,
      ledgerSeq: spend.ledgerSeq,
    });
  }

  /** The window's spends; refuses when `epsilonMilli` more exceeds the hospital's total or the analyst's share. */
  private async check(
    db: DbOrTx,
    analystId: string,
    epsilonMilli: number,
    now: number,
  ): Promise<{ window: BudgetWindow; spent: Spent }> {
    const window = windowAt(now, this.policy.windowMs);
    const spent = await this.spent(db, window, analystId);
    const wait = Math.max(1, Math.ceil((window.to - now) / 1000));
    const resets = new Date(window.to).toISOString();
    const asked = `this query's ${epsilonMilli / 1000}`;
    if (spent.hospital + epsilonMilli > spent.total)
      throw privacyBudgetExhausted(
        wait,
        `The hospital's privacy budget has epsilon ${left(spent.total, spent.hospital)} left ` +
          `in this window, less than ${asked}; nothing was spent. The budget resets at ${resets}.`,
      );
    if (this.split && spent.analyst + epsilonMilli > this.analystCapMilli(spent.total))
      throw privacyBudgetExhausted(
        wait,
        `Your share of the hospital's privacy budget has epsilon ${left(this.analystCapMilli(spent.total), spent.analyst)} ` +
          `left in this window, less than ${asked}; nothing was spent. The budget resets at ${resets}.`,
      );
    return { window, spent };
  }

  private async spent(db: DbOrTx, window: BudgetWindow, analystId: string): Promise<Spent> {
    const hospital = await spentInWindow(db, window);
    // Raises approved by two admins (issue 14) add to this window's total only.
    const total = this.policy.totalMilli + (await raisedInWindow(db, window.from));
    return { hospital, total, analyst: this.split ? await spentInWindow(db, window, analystId) : hospital };
  }

  private describe(window: BudgetWindow, spent: Spent): BudgetStatus {
    const total = spent.total;
    const cap = this.analystCapMilli(total);
    return {
      totalEpsilon: total / 1000,
      spentEpsilon: spent.hospital / 1000,
      remainingEpsilon: left(total, spent.hospital),
      windowDays: this.policy.windowMs / DAY_MS,
      windowStartedAt: window.from,
      resetsAt: window.to,
      analyst: this.split
        ? {
            shareEpsilon: cap / 1000,
            spentEpsilon: spent.analyst / 1000,
            // The analyst can never spend more than the hospital has left.
            remainingEpsilon: Math.min(left(cap, spent.analyst), left(total, spent.hospital)),
          }
        : null,
    };
  }
}

interface Spent {
  readonly hospital: number;
  /** The window's total: the configured budget plus approved raises. */
  readonly total: number;
  readonly analyst: number;
}

/** Epsilon left under `limit` (thousandths) as a number of epsilon, never negative. */
const left = (limit: number, spent: number): number => Math.max(0, limit - spent) / 1000;
