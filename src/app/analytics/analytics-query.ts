import { AGGREGATES, MAX_EPSILON, MIN_EPSILON, type Aggregate } from '../../contract/vocabulary/analytics.js';
import { invalidInput } from '../errors.js';
import { VITAL_KEYS, VITAL_METRICS, type VitalMetric } from '../../contract/vocabulary/vital-metrics.js';
import { parseCohort, type Cohort, type CohortInput } from './cohorts.js';

export { AGGREGATES, MAX_EPSILON, MIN_EPSILON, type Aggregate };

/** A query as it arrives from HTTP or the CLI. */
export interface AnalyticsQueryInput {
  readonly metric: string;
  readonly aggregate: string;
  readonly cohort: CohortInput;
  readonly epsilon: number;
}

/** A validated query. */
export interface AnalyticsQuery {
  readonly metric: VitalMetric;
  readonly aggregate: Aggregate;
  readonly cohort: Cohort;
  /** Epsilon in thousandths: exact integer budget accounting. */
  readonly epsilonMilli: number;
}

/** Epsilon as an integer number of thousandths. @throws AppError invalid_input. */
export function epsilonMilli(epsilon: number, min = MIN_EPSILON, max = MAX_EPSILON): number {
  const milli = Math.round(epsilon * 1000);
  if (!Number.isFinite(epsilon) || epsilon < min || epsilon > max || Math.abs(epsilon * 1000 - milli) > 1e-6)
    throw invalidInput(`epsilon must be between ${min} and ${max}, in steps of 0.001.`);
  return milli;
}

/** @throws AppError invalid_input naming the first thing wrong. */
export function parseQuery(input: AnalyticsQueryInput): AnalyticsQuery {
  const key = VITAL_KEYS.find((k) => k === input.metric);
  if (key === undefined) throw invalidInput(`metric must be one of ${VITAL_KEYS.join(', ')}.`);
  const aggregate = AGGREGATES.find((a) => a === input.aggregate);
  if (aggregate === undefined) throw invalidInput(`aggregate must be one of ${AGGREGATES.join(', ')}.`);
  return {
    metric: VITAL_METRICS[key],
    aggregate,
    cohort: parseCohort(input.cohort),
    epsilonMilli: epsilonMilli(input.epsilon),
  };
}

/**
 * The L1 sensitivity of a sum of one fixed-point value per patient: the largest magnitude a
 * patient can add or remove, from the declared bounds (never from the data).
 */
export function sumSensitivity(metric: VitalMetric): bigint {
  return BigInt(Math.round(Math.max(Math.abs(metric.min), Math.abs(metric.max)) * metric.scale));
}
