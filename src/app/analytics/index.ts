/** The analytics context's public entry: its compose function and public types. */
export {
  composeAnalytics,
  type AnalyticsContextDeps,
  type AnalyticsServices,
  type ComposedAnalytics,
} from './compose.js';
export type { Analytics, UnsafeTestOptions } from './analytics-service.js';
export type { AnalyticsKeyOptions } from './analytics-key.js';
export {
  AGGREGATES,
  MIN_EPSILON,
  MAX_EPSILON,
  type Aggregate,
  type AnalyticsQueryInput,
} from './analytics-query.js';
export {
  COHORT_KINDS,
  MAX_COHORT_KEYWORD_LENGTH,
  type CohortInput,
  type CohortKeywordResolver,
} from './cohorts.js';
export type { AnalyticsAnswer } from './answer.js';
export type { AnalystSpend, BudgetReport, BudgetStatus } from './privacy-budget.js';
