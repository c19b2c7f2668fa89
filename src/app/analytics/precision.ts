import type { VitalMetric } from '../../contract/vocabulary/vital-metrics.js';

/**
 * Whether a released statistic is precise enough to be useful, judged from what was already
 * released (the noisy value and count) and public parameters (ε, the declared bounds), never from
 * the true count: post-processing of a differentially private answer costs no privacy, so the
 * page may be told this without leaking the cohort's size beyond what the answer itself does.
 *
 * The rule (docs/statistics.md, "Too small a cohort"): the expected absolute noise of the answer
 * (a discrete Laplace variable of scale b has E|X| ≈ b) is compared with what it measures —
 * - mean: (b_sum + |value − centre|·b_count) / noisy count against {@link MEAN_TOLERANCE} of the
 *   metric's declared range (heart rate: 4.6 bpm), since a mean lives in that range;
 * - count: b_count / noisy count, and sum: b_sum / |noisy sum|, against {@link RELATIVE_TOLERANCE}.
 * A noisy count below 1 is always 'low'.
 */
export type Precision = 'useful' | 'low';

/** A mean is useful while its expected error is at most this share of the metric's range. */
export const MEAN_TOLERANCE = 0.02;
/** A count or sum is useful while its expected error is at most this share of its value. */
export const RELATIVE_TOLERANCE = 0.1;

export interface PrecisionJudgement {
  readonly precision: Precision;
  /** The expected absolute error of the value, in its unit (null when no value was released). */
  readonly expectedError: number | null;
}

/** A count or a sum: its noise scale against its own noisy value. */
export function relativePrecision(scale: number, noisyValue: number): PrecisionJudgement {
  const size = Math.abs(noisyValue);
  if (size < 1) return { precision: 'low', expectedError: scale };
  return { precision: scale <= RELATIVE_TOLERANCE * size ? 'useful' : 'low', expectedError: scale };
}

/** A mean released as centre + noisy centred sum / noisy count (answer.ts). */
export function meanPrecision(
  scales: { readonly sum: number; readonly count: number },
  released: { readonly value: number | null; readonly centre: number; readonly noisyCount: number },
  metric: Pick<VitalMetric, 'min' | 'max'>,
): PrecisionJudgement {
  if (released.value === null || released.noisyCount < 1) return { precision: 'low', expectedError: null };
  const error =
    (scales.sum + Math.abs(released.value - released.centre) * scales.count) / released.noisyCount;
  return {
    precision: error <= MEAN_TOLERANCE * (metric.max - metric.min) ? 'useful' : 'low',
    expectedError: error,
  };
}
