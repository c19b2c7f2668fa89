import type { VitalKey, VitalMetric } from '../../contract/vocabulary/vital-metrics.js';
import { sumSensitivity, type Aggregate, type AnalyticsQuery } from './analytics-query.js';
import { describeCohort, type Cohort } from './cohorts.js';
import { releaseInteger, type NoiseSource } from './dp-release.js';
import { meanPrecision, relativePrecision, type Precision } from './precision.js';
import type { BudgetStatus } from './privacy-budget.js';

/** One released statistic. */
export interface AnalyticsAnswer {
  readonly metric: VitalKey;
  readonly unit: string;
  readonly aggregate: Aggregate;
  readonly cohort: Cohort;
  readonly cohortLabel: string;
  readonly epsilon: number;
  /** The noisy statistic in the metric's unit (patients for count); null: a mean of a noisy count below 1. */
  readonly value: number | null;
  /** Contains the true value with probability ≥ 95% (exact discrete Laplace quantiles). */
  readonly interval95: { readonly low: number; readonly high: number } | null;
  /** Discrete Laplace scale of each noisy part, in output units (count: patients; sum: the unit). */
  readonly noiseScale: { readonly count?: number; readonly sum?: number };
  /** Whether the answer is precise enough to be useful, judged from released values only (precision.ts). */
  readonly precision: Precision;
  /** The expected absolute error of `value`, in its unit, null with no value (post-processing: no privacy cost). */
  readonly expectedError: number | null;
  /** The analyst's budget after this query. */
  readonly budget: BudgetStatus;
}

/** An answer before the budget transaction adds the analyst's remaining budget. */
export type ReleasedAnswer = Omit<AnalyticsAnswer, 'budget'>;

/**
 * The differentially private answer to a query from its true count and (decrypted) sum: a count
 * with sensitivity 1, a sum with the metric's declared sensitivity, a mean as the bounds' centre
 * plus a noisy centred sum over a noisy count with ε/2 each. Values and intervals in the metric's
 * unit; precision and expected error from the released values only.
 */
export function releaseAnswer(
  q: AnalyticsQuery,
  truth: { readonly count: number; readonly sum: bigint },
  noise: NoiseSource,
): ReleasedAnswer {
  const { metric } = q;
  const base = {
    metric: metric.key,
    unit: q.aggregate === 'count' ? 'patients' : metric.unit,
    aggregate: q.aggregate,
    cohort: q.cohort,
    cohortLabel: describeCohort(q.cohort),
    epsilon: q.epsilonMilli / 1000,
  };
  if (q.aggregate === 'count') {
    const c = releaseInteger(BigInt(truth.count), 1n, q.epsilonMilli, noise);
    const value = Number(c.value);
    return {
      ...base,
      value,
      interval95: { low: value - c.halfWidth, high: value + c.halfWidth },
      noiseScale: { count: c.scale },
      ...relativePrecision(c.scale, value),
    };
  }
  const delta = sumSensitivity(metric);
  if (q.aggregate === 'sum') {
    const s = releaseInteger(truth.sum, delta, q.epsilonMilli, noise);
    const value = Number(s.value) / metric.scale;
    const half = s.halfWidth / metric.scale;
    return {
      ...base,
      value,
      interval95: { low: value - half, high: value + half },
      noiseScale: { sum: s.scale / metric.scale },
      ...relativePrecision(s.scale / metric.scale, value),
    };
  }
  // Mean: ε/2 each to a noisy centred sum Σ(x − c) and a noisy count (sequential composition),
  // each interval at 97.5% so that both hold together with probability ≥ 95% (union bound). c is
  // the middle of the declared bounds, so one patient moves the centred sum by at most half the
  // range (heart rate: 115 bpm, not 250): half the noise of a plain sum, for the same ε.
  const halfEps = Math.floor(q.epsilonMilli / 2);
  const centre = meanCentre(metric);
  const centred = truth.sum - centre * BigInt(truth.count);
  const s = releaseInteger(centred, centredSensitivity(metric), halfEps, noise, 0.975);
  const c = releaseInteger(BigInt(truth.count), 1n, q.epsilonMilli - halfEps, noise, 0.975);
  const noiseScale = { sum: s.scale / metric.scale, count: c.scale };
  const noisyCount = Number(c.value);
  const noisyCentred = Number(s.value) / metric.scale;
  const offset = Number(centre) / metric.scale;
  const value = noisyCount >= 1 ? clamp(offset + noisyCentred / noisyCount, metric.min, metric.max) : null;
  const interval = meanInterval(noisyCentred, s.halfWidth / metric.scale, noisyCount, c.halfWidth, {
    min: metric.min - offset,
    max: metric.max - offset,
  });
  return {
    ...base,
    value,
    interval95: { low: interval.low + offset, high: interval.high + offset },
    noiseScale,
    ...meanPrecision(noiseScale, { value, centre: offset, noisyCount }, metric),
  };
}

/** The fixed-point middle of a metric's declared bounds (rounded down to the grid). */
export const meanCentre = (metric: VitalMetric): bigint =>
  BigInt(Math.floor(((metric.min + metric.max) * metric.scale) / 2));

/** How far one patient moves Σ(x − centre): the larger distance from the centre to a bound. */
export function centredSensitivity(metric: VitalMetric): bigint {
  const centre = meanCentre(metric);
  const lo = BigInt(Math.round(metric.min * metric.scale));
  const hi = BigInt(Math.round(metric.max * metric.scale));
  return hi - centre > centre - lo ? hi - centre : centre - lo;
}

const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));

/**
 * Where sum/count lies when sum ∈ [S ± hs] and count ∈ [C ± hc] (count ≥ 1): the ratio is monotone
 * in each, so its extremes are at the corners; clamped to the metric's declared bounds (a mean
 * cannot leave them), which is also the answer when the count interval allows no patient.
 */
function meanInterval(
  sum: number,
  hs: number,
  count: number,
  hc: number,
  metric: { min: number; max: number },
): { low: number; high: number } {
  const cLow = Math.max(1, count - hc);
  const cHigh = count + hc;
  if (cHigh < 1) return { low: metric.min, high: metric.max };
  const corners = [sum - hs, sum + hs].flatMap((sv) => [sv / cLow, sv / cHigh]);
  return {
    low: clamp(Math.min(...corners), metric.min, metric.max),
    high: clamp(Math.max(...corners), metric.min, metric.max),
  };
}
