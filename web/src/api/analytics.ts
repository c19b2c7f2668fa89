/**
 * Differentially private statistics (admin only): run one query, read the privacy budget.
 * Every answer is noisy by construction; the UI shows the noise scale and the 95% interval the
 * server states with it, never a bare number. Metrics, aggregates, cohorts and epsilon bounds are
 * the contract's.
 */
import { VITAL_KEYS, VITAL_METRICS } from '../../../src/contract/vocabulary/vital-metrics.js';
import { api, ContractMismatch, type RouteInput, type RouteOutput } from './client.js';

export {
  AGGREGATES,
  MAX_COHORT_KEYWORD_LENGTH,
  MAX_EPSILON,
  MIN_EPSILON,
  type Aggregate,
} from '../../../src/contract/vocabulary/analytics.js';
export { SMOKING_STATUSES } from '../../../src/contract/vocabulary/patients.js';

/** The vitals the server aggregates, in its order (age is derived from the date of birth). */
export const METRICS = VITAL_KEYS.map((key) => VITAL_METRICS[key]);

export type StatisticsQuery = RouteInput<'analyticsQuery'>['body'];
export type Cohort = StatisticsQuery['cohort'];
export type Budget = RouteOutput<'privacyBudget'>;
export type StatisticsAnswer = RouteOutput<'analyticsQuery'>;

export async function fetchBudget(): Promise<Budget> {
  return api.call('privacyBudget');
}

export async function runStatistics(query: StatisticsQuery): Promise<StatisticsAnswer> {
  const answer = await api.call('analyticsQuery', { body: query });
  // The schema lets each scale be absent; an answer stating no noise at all is not one this page shows.
  if (answer.noiseScale.count === undefined && answer.noiseScale.sum === undefined)
    throw new ContractMismatch('analyticsQuery', 200, '/noiseScale', 'states no noise scale');
  return answer;
}
