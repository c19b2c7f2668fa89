import type { Db } from '../../store/database.js';
import type { DataKeys } from '../data-keys.js';
import type { VitalsSink } from '../records/vitals-sink.js';
import { AnalyticsKeyStore, type AnalyticsKeyOptions } from './analytics-key.js';
import type { LedgerAppend } from '../audit/ledger-append.js';
import { Analytics, type UnsafeTestOptions } from './analytics-service.js';
import type { CohortKeywordResolver } from './cohorts.js';
import { EncryptedVitals } from './encrypted-vitals.js';
import { PrivacyBudget } from './privacy-budget.js';
import { Approvals } from '../approvals/index.js';
import { BudgetRaises } from './budget-raises.js';

const DAY_MS = 86_400_000;

export interface AnalyticsContextDeps {
  readonly db: Db;
  readonly dataKeys: DataKeys;
  readonly audit: LedgerAppend;
  /**
   * From the configuration: the hospital's MEDVAULT_DP_EPSILON_BUDGET (thousandths) per window of
   * MEDVAULT_DP_BUDGET_DAYS, and MEDVAULT_DP_ANALYST_SHARE (thousandths; absent or 1000: no split).
   */
  readonly budget: {
    readonly epsilonMilli: number;
    readonly days: number;
    readonly analystShareMilli?: number;
  };
  /** The two-person rule: a budget raise is a request another admin approves. */
  readonly approvals?: Approvals;
  readonly keywords?: CohortKeywordResolver | undefined;
  readonly key?: AnalyticsKeyOptions;
  readonly clock?: () => number;
}

/** The analytics context of a running process: differentially private statistics over encrypted vitals. */
export interface AnalyticsServices {
  /** DP queries and budgets (admins). */
  readonly statistics: Analytics;
  /** Where the records service hands each new vitals record's numbers (Paillier-encrypted here). */
  readonly vitalsSink: VitalsSink;
  /** Requests to raise the budget for the current window (approved by a second admin). */
  readonly budgetRaises: BudgetRaises;
}

/** The analytics context and what stops its background work. */
export interface ComposedAnalytics {
  readonly services: AnalyticsServices;
  /** Stops the obfuscator pool and the aggregation workers. */
  close(): Promise<void>;
}

/**
 * Builds the statistics module. The key is loaded (or created) on first use, not here, so a
 * process that never touches vitals never pays for a 3072-bit key generation.
 * `unsafeTest` exists for tests only; composeApp (and so openApp) never passes it.
 */
export function composeAnalytics(
  deps: AnalyticsContextDeps,
  unsafeTest: UnsafeTestOptions = {},
): ComposedAnalytics {
  const keys = new AnalyticsKeyStore(deps.dataKeys, deps.key);
  const budget = new PrivacyBudget({
    totalMilli: deps.budget.epsilonMilli,
    windowMs: deps.budget.days * DAY_MS,
    analystShareMilli: deps.budget.analystShareMilli ?? 1000,
  });
  const analytics = new Analytics(
    { db: deps.db, keys, budget, audit: deps.audit, keywords: deps.keywords, clock: deps.clock },
    unsafeTest,
  );
  return {
    services: {
      statistics: analytics,
      vitalsSink: new EncryptedVitals(keys, deps.dataKeys),
      budgetRaises: new BudgetRaises({
        // Alone (tests of this context), it has two-person requests of its own.
        approvals:
          deps.approvals ?? new Approvals({ db: deps.db, audit: deps.audit, clock: deps.clock ?? Date.now }),
        audit: deps.audit,
        windowMs: deps.budget.days * DAY_MS,
        clock: deps.clock ?? Date.now,
      }),
    },
    close: async () => {
      keys.close();
      await analytics.close();
    },
  };
}
