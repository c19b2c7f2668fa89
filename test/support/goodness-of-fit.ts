import { discreteLaplacePmf } from '../../src/crypto/discrete-laplace.js';

/**
 * A Kolmogorov–Smirnov test with the Dvoretzky–Kiefer–Wolfowitz bound in Massart's form:
 * P(sup |F_n − F| > ε) ≤ 2·exp(−2nε²) for every n and every F, discrete ones included (there it is
 * conservative). So a correct sampler fails with probability at most `alpha` when the threshold is
 * ε = sqrt(ln(2/alpha) / (2n)) — exact, not an asymptotic approximation.
 */
export function dkwThreshold(n: number, alpha: number): number {
  return Math.sqrt(Math.log(2 / alpha) / (2 * n));
}

/** CDF of the discrete Laplace of scale t: P(Z ≤ z) = q^−z/(1+q) below 0, 1 − q^(z+1)/(1+q) from 0. */
export function discreteLaplaceCdf(scale: number, z: number): number {
  const q = Math.exp(-1 / scale);
  return z < 0 ? Math.pow(q, -z) / (1 + q) : 1 - Math.pow(q, z + 1) / (1 + q);
}

/**
 * sup over x of |F_n(x) − F(x)| for integer samples: both are step functions jumping only at
 * integers, so the supremum is a maximum over the integers from min − 1 to max.
 */
export function ksStatistic(samples: readonly number[], cdf: (z: number) => number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const n = sorted.length;
  const lo = sorted[0]! - 1;
  const hi = sorted[n - 1]!;
  let i = 0;
  let d = 0;
  for (let z = lo; z <= hi; z++) {
    while (i < n && sorted[i]! <= z) i++;
    d = Math.max(d, Math.abs(i / n - cdf(z)));
  }
  return d;
}

/** Whether `samples` pass the DKW test against Lap_Z(scale) at false-failure probability `alpha`. */
export function fitsDiscreteLaplace(samples: readonly number[], scale: number, alpha = 1e-7): boolean {
  return ksStatistic(samples, (z) => discreteLaplaceCdf(scale, z)) <= dkwThreshold(samples.length, alpha);
}

export { discreteLaplacePmf };
