import { discreteLaplaceHalfWidth, sampleDiscreteLaplace } from '../../crypto/discrete-laplace.js';

/**
 * The differentially private release of integer statistics: value + Lap_Z(Δ/ε), the discrete
 * Laplace mechanism (ε-DP for a query of L1 sensitivity Δ under add/remove-one-patient
 * neighbours). ε arrives in thousandths (integers), so the scale Δ/ε = Δ·1000/ε_milli is an exact
 * rational and the sampler never sees a float.
 */

/** Noise generator: the exact sampler, or (tests only) none. */
export type NoiseSource = (scaleNum: bigint, scaleDen: bigint) => bigint;

export const exactNoise: NoiseSource = (num, den) => sampleDiscreteLaplace({ num, den });

/** Coverage of the intervals answers carry. */
export const INTERVAL_COVERAGE = 0.95;

export interface NoisyInteger {
  /** The true integer plus noise. */
  readonly value: bigint;
  /** Laplace scale Δ/ε in the integer's units. */
  readonly scale: number;
  /** The noise is within ±halfWidth with probability ≥ the coverage asked for. */
  readonly halfWidth: number;
}

/**
 * Releases `truth` (sensitivity `sensitivity`) with budget `epsilonMilli`/1000.
 * @param coverage of the half-width (0.95; 0.975 for each half of a mean, so both hold ≥ 95%).
 */
export function releaseInteger(
  truth: bigint,
  sensitivity: bigint,
  epsilonMilli: number,
  noise: NoiseSource,
  coverage = INTERVAL_COVERAGE,
): NoisyInteger {
  if (!Number.isSafeInteger(epsilonMilli) || epsilonMilli <= 0)
    throw new RangeError('epsilon must be positive');
  const num = sensitivity * 1000n;
  const den = BigInt(epsilonMilli);
  const scale = Number(num) / Number(den);
  return {
    value: truth + noise(num, den),
    scale,
    halfWidth: discreteLaplaceHalfWidth(scale, coverage),
  };
}
