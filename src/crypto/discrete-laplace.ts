/**
 * Exact sampling of the discrete Laplace distribution, after Canonne, Kamath and Steinke,
 * "The Discrete Gaussian for Differential Privacy" (NeurIPS 2020), Algorithms 1 and 2 — the
 * sampler OpenDP uses.
 *
 * Lap_Z(t): P(Z = z) = (e^(1/t) − 1)/(e^(1/t) + 1) · e^(−|z|/t) for every integer z. Adding it to
 * an integer query of sensitivity Δ with t = Δ/ε gives ε-differential privacy.
 *
 * Every draw is a uniform integer from node:crypto (`randomInt`, or rejection sampling on
 * `randomBytes` for large bounds) and every comparison is between integers: no floating point
 * touches a sample, so none of the inverse-CDF artefacts Mironov (CCS 2012) exploited (holes and
 * uneven spacing of doubles) can exist. The scale is a rational num/den of BigInts.
 */
import { uniformBelow } from './bigint.js';

/** A positive rational number num/den. */
export interface Rational {
  readonly num: bigint;
  readonly den: bigint;
}

function positive(r: Rational, what: string): void {
  if (r.num <= 0n || r.den <= 0n) throw new RangeError(`${what} must be a positive rational`);
}

/** Bernoulli(num/den) for 0 ≤ num ≤ den: one uniform integer compared with num. */
export function bernoulli(num: bigint, den: bigint): boolean {
  if (num < 0n || den <= 0n || num > den) throw new RangeError('probability outside [0, 1]');
  return uniformBelow(den) < num;
}

/**
 * Bernoulli(exp(−γ)) for a rational γ = num/den ≥ 0 (CKS Algorithm 1). For γ ≤ 1: draw
 * A_k ~ Bernoulli(γ/k) for k = 1, 2, … until one is 0; the answer is whether that k is odd. For
 * γ > 1: ⌊γ⌋ independent Bernoulli(exp(−1)) must all succeed, then Bernoulli(exp(−(γ − ⌊γ⌋))).
 */
export function bernoulliExp(num: bigint, den: bigint): boolean {
  if (num < 0n || den <= 0n) throw new RangeError('γ must be a non-negative rational');
  if (num <= den) {
    let k = 1n;
    while (bernoulli(num, den * k)) k++;
    return k % 2n === 1n;
  }
  for (let i = 0n; i < num / den; i++) if (!bernoulliExp(1n, 1n)) return false;
  return bernoulliExp(num % den, den);
}

/**
 * Lap_Z(scale) for a rational scale = num/den (CKS Algorithm 2 with t = num, s = den):
 * U uniform in [0, num), accepted with probability exp(−U/num); V ~ Geometric(1 − e^−1);
 * X = U + num·V is then geometric with parameter 1 − e^(−1/num); Y = ⌊X/den⌋ is geometric with
 * parameter 1 − e^(−den/num); a fair sign, rejecting −0 so zero is not counted twice.
 * Expected loop iterations are bounded by a small constant whatever the scale.
 */
export function sampleDiscreteLaplace(scale: Rational): bigint {
  positive(scale, 'scale');
  const { num: t, den: s } = scale;
  for (;;) {
    const u = uniformBelow(t);
    if (!bernoulliExp(u, t)) continue;
    let v = 0n;
    while (bernoulliExp(1n, 1n)) v++;
    const y = (u + t * v) / s;
    const negative = bernoulli(1n, 2n);
    if (negative && y === 0n) continue;
    return negative ? -y : y;
  }
}

/**
 * P(|Z| ≤ k) for Z ~ Lap_Z(scale), from the closed form of the CDF:
 * P(|Z| > k) = 2·q^(k+1)/(1 + q) with q = e^(−1/scale). Floating point here is harmless: it
 * describes the published noise, it never draws any.
 */
export function discreteLaplaceWithin(scale: number, k: number): number {
  if (!(scale > 0) || k < 0) return k < 0 ? 0 : 1;
  const q = Math.exp(-1 / scale);
  return 1 - (2 * Math.pow(q, k + 1)) / (1 + q);
}

/**
 * The smallest k ≥ 0 with P(|Z| ≤ k) ≥ coverage for Z ~ Lap_Z(scale): the noise lies in [−k, k]
 * with at least that probability (e.g. 0.95 for a 95% interval).
 */
export function discreteLaplaceHalfWidth(scale: number, coverage: number): number {
  if (!(coverage > 0 && coverage < 1)) throw new RangeError('coverage must be in (0, 1)');
  if (!(scale > 0)) throw new RangeError('scale must be positive');
  const q = Math.exp(-1 / scale);
  // Solve 2·q^(k+1)/(1+q) ≤ 1 − coverage, then step to the exact boundary.
  let k = Math.max(0, Math.ceil(Math.log(((1 - coverage) * (1 + q)) / 2) / Math.log(q)) - 1);
  while (k > 0 && discreteLaplaceWithin(scale, k - 1) >= coverage) k--;
  while (discreteLaplaceWithin(scale, k) < coverage) k++;
  return k;
}

/** P(Z = z) for Z ~ Lap_Z(scale) (for goodness-of-fit tests and documentation). */
export function discreteLaplacePmf(scale: number, z: number): number {
  const q = Math.exp(-1 / scale);
  return ((1 - q) / (1 + q)) * Math.pow(q, Math.abs(z));
}
